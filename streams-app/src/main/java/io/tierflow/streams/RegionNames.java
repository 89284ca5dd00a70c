package io.tierflow.streams;

import java.util.HashMap;
import java.util.Map;

/**
 * One instance per client region name (or serving site name, in an instance of its own), which the activity and the
 * read tally compare by reference (see Activity.regionIndex). Kept for
 * the processor's lifetime, across restarts of its task, like the activity values that hold the instances.
 */
final class RegionNames {
    /** Client regions are a handful; the bound keeps a stream of made-up names from growing the map without end. */
    private static final int MAX_REGION_NAMES = 1_024;
    private final Map<String, String> names = new HashMap<>();

    /** The one instance of this region name (the name itself while the map is full). */
    String of(String region) {
        String known = names.get(region);
        if (known != null) {
            return known;
        }
        if (names.size() < MAX_REGION_NAMES) {
            names.put(region, region);
        }
        return region;
    }
}
