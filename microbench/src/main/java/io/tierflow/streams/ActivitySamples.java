package io.tierflow.streams;

import io.tierflow.streams.domain.Activity;
import io.tierflow.streams.domain.ReadTally;
import io.tierflow.streams.domain.TieringPolicy;

/**
 * Activity values for the benchmarks: a dataset read from four regions over a day, as the topology keeps it. Public,
 * for benchmarks in other packages.
 */
public final class ActivitySamples {
    private static final String[] REGIONS = {"us-east", "eu-west", "us-central", "ap-south"};
    /** A whole hour, so the buckets line up as they do in a run. */
    private static final long T0 = 1_780_000_000_000L - 1_780_000_000_000L % 3_600_000L;
    private static final long DAY = 86_400_000L;

    private ActivitySamples() {
    }

    /** The activity of {@code events} reads spread over the day before {@code T0}, regions taking turns. */
    public static Activity activity(int events, int seed) {
        Activity activity = new Activity();
        long step = DAY / events;
        for (int i = 0; i < events; i++) {
            long at = T0 - DAY + i * step;
            activity.record(at, "GET", 1 << 20, REGIONS[(i + seed) & 3], "run-" + seed + "-" + i,
                    TieringPolicy.BUILT_IN, at);
        }
        return activity;
    }

    /** A placed dataset with that activity, and its reads not yet charged. */
    static DatasetActivity busy(int events, int seed) {
        DatasetActivity value = new DatasetActivity(activity(events, seed), new ReadTally());
        for (int i = 0; i < events; i++) {
            value.uncharged.add(REGIONS[(i + seed) & 3], 1 << 20, false);
        }
        value.placed = true;
        value.sizeBytes = 64L << 20;
        return value;
    }
}
