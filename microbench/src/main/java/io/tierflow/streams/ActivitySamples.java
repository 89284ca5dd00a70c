package io.tierflow.streams;

import io.tierflow.streams.domain.TieringPolicy;

/** Activity values for the benchmarks: a dataset read from four regions over a day, as the topology keeps it. */
final class ActivitySamples {
    static final String[] REGIONS = {"us-east", "eu-west", "us-central", "ap-south"};
    /** A whole hour, so the buckets line up as they do in a run. */
    static final long T0 = 1_780_000_000_000L - 1_780_000_000_000L % 3_600_000L;

    private ActivitySamples() {
    }

    /** A placed dataset with {@code events} reads spread over the day before {@code T0}, some not yet charged. */
    static DatasetActivity busy(int events, int seed) {
        DatasetActivity value = DatasetActivity.empty();
        long step = 86_400_000L / events;
        for (int i = 0; i < events; i++) {
            long at = T0 - 86_400_000L + i * step;
            String region = REGIONS[(i + seed) & 3];
            value.activity.record(at, "GET", 1 << 20, region, "run-" + seed + "-" + i, TieringPolicy.BUILT_IN, at);
            value.uncharged.add(region, 1 << 20, false);
        }
        value.placed = true;
        value.sizeBytes = 64L << 20;
        return value;
    }
}
