package io.tierflow.streams.domain;

/**
 * Finds a client region among the first {@code count} names of an array (regions are a handful, searched linearly).
 * Callers pass canonical region strings (one instance per name), so the first pass compares references only; a slot
 * restored from storage holds a copy, which the second pass finds and replaces with the canonical instance. Comparing
 * contents every time costs a cache miss per name: the stored strings are scattered over the heap
 * (microbench {@code ActivityRecordBenchmark} covers the activity update this runs in).
 */
final class RegionSlots {
    private RegionSlots() {
    }

    /** The slot of {@code region} in {@code names[0..count)}, or -1 if it has none. */
    static int find(String[] names, int count, String region) {
        for (int i = 0; i < count; i++) {
            if (names[i] == region) {
                return i;
            }
        }
        for (int i = 0; i < count; i++) {
            if (names[i].equals(region)) {
                names[i] = region;
                return i;
            }
        }
        return -1;
    }
}
