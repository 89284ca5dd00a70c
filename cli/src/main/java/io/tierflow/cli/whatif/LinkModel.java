package io.tierflow.cli.whatif;

import java.util.HashMap;
import java.util.Map;

/**
 * How long a migration step takes on the modelled links: a copy takes its bytes over the bandwidth of its site pair
 * (one default, overridable per pair in either direction) plus a fixed per-step overhead for the requests around it
 * (HEAD, conditional GET, PUT, HEAD in the real migrator); a change of class in place and a switch or retire take
 * the overhead alone.
 */
public final class LinkModel {
    private final double defaultMbps;
    private final Map<String, Double> pairMbps = new HashMap<>();
    private final long stepOverheadMs;

    /**
     * @param defaultMbps megabits per second between any two sites not named in {@code pairs}
     * @param pairs megabits per second for a site pair, keyed {@code a:b} (either order)
     * @param stepOverheadMs added to every step
     */
    public LinkModel(double defaultMbps, Map<String, Double> pairs, long stepOverheadMs) {
        if (!(defaultMbps > 0) || Double.isInfinite(defaultMbps)) {
            throw new IllegalArgumentException("the link bandwidth must be a positive number of Mbit/s");
        }
        if (stepOverheadMs < 0) {
            throw new IllegalArgumentException("the step overhead must not be negative");
        }
        this.defaultMbps = defaultMbps;
        this.stepOverheadMs = stepOverheadMs;
        pairs.forEach((pair, mbps) -> {
            String[] sites = pair.split(":", -1);
            if (sites.length != 2 || sites[0].isBlank() || sites[1].isBlank()) {
                throw new IllegalArgumentException("a link is named site:site, not '" + pair + "'");
            }
            if (!(mbps > 0) || Double.isInfinite(mbps)) {
                throw new IllegalArgumentException("link " + pair + ": the bandwidth must be a positive number");
            }
            pairMbps.put(key(sites[0], sites[1]), mbps);
        });
    }

    /** Time to copy {@code bytes} from {@code source} to {@code destination}, in ms. */
    public long copyMs(String source, String destination, long bytes) {
        if (source.equals(destination)) {
            return stepOverheadMs; // a server-side change of storage class: no bytes travel
        }
        double mbps = pairMbps.getOrDefault(key(source, destination), defaultMbps);
        return stepOverheadMs + (long) Math.ceil(Math.max(bytes, 0) * 8.0 / (mbps * 1e6) * 1000);
    }

    /** Time a switch or a retire takes once it may start, in ms. */
    public long stepMs() {
        return stepOverheadMs;
    }

    private static String key(String a, String b) {
        return a.compareTo(b) <= 0 ? a + ":" + b : b + ":" + a;
    }
}
