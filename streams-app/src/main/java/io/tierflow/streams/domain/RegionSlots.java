package io.tierflow.streams.domain;

/**
 * Finds a client region among the first {@code count} names of an array (regions are a handful, searched linearly).
 * Callers pass canonical region strings (one instance per name), so the first pass compares references only; a slot
 * restored from storage holds a copy, which the second pass finds and replaces with the canonical instance. Comparing
 * contents every time costs a cache miss per name: the stored strings are scattered over the heap
 * (microbench {@code ActivityRecordBenchmark} covers the activity update this runs in).
 */
final class RegionSlots {
    /**
     * Client regions one dataset keeps apart. Client regions are named by producers, so a stream of made-up names
     * would otherwise grow each record without end; beyond this, reads count under {@link #OTHER}, which matches no
     * site's region (priced as egress from every site: the conservative side).
     */
    static final int MAX_PER_DATASET = 32;
    /** Where a dataset counts the client regions beyond {@link #MAX_PER_DATASET}. */
    static final String OTHER = "other-regions";

    private RegionSlots() {
    }

    /**
     * Whether {@code region}, which has no slot among {@code count}, must go to {@link #OTHER} instead of a slot of its
     * own: when only the slot kept for {@code OTHER} is left.
     */
    static boolean foldsIntoOther(int count, String region) {
        return count >= MAX_PER_DATASET - 1 && region != OTHER;
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
