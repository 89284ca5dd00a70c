package io.tierflow.streams.domain;

/**
 * When a condition raises or clears an alert. Each rule fires above one level and clears below a lower one, so an
 * alert near its limit does not flap.
 */
public final class AlertRules {
    /** Reads in the last hour that make a spike, at least, and how many times the forecast they must exceed. */
    public static final long SPIKE_MIN_READS_1H = 50;
    public static final double SPIKE_FACTOR = 5.0;
    /**
     * Complete hours of a dataset's traffic the forecast must have seen before a spike can be judged against it: a
     * dataset read for the first time has a forecast of 0, and every first burst of reads (a new dataset, a load test,
     * a backfill) would otherwise be a "spike" against no history at all.
     */
    public static final long SPIKE_MIN_HISTORY_HOURS = 6;
    /** Share of hot reads slower than the SLA that fires LATENCY_SLA, over at least this many reads. */
    public static final double SLA_MISS_SHARE = 0.10;
    public static final long SLA_MIN_READS = 10;
    /** Read cost of one dataset per hour that fires COST_SPIKE, in USD. */
    public static final double COST_SPIKE_USD_PER_HOUR = 5.0;
    /** Commands in flight that fire MIGRATION_BACKLOG. */
    public static final long BACKLOG_LIMIT = 100;

    private AlertRules() {
    }

    /**
     * Whether a traffic spike is on, given whether it was on before and how many complete hours the forecast has seen.
     * A spike fires only with {@link #SPIKE_MIN_HISTORY_HOURS} of history; one that is on clears by the reads alone.
     */
    public static boolean trafficSpike(long reads1h, double forecastPerHour, long observedHours, boolean wasOn) {
        double expected = Math.max(forecastPerHour, 1.0);
        if (wasOn) {
            return reads1h >= SPIKE_MIN_READS_1H / 2 && reads1h > 2 * expected;
        }
        return observedHours >= SPIKE_MIN_HISTORY_HOURS && reads1h >= SPIKE_MIN_READS_1H
                && reads1h > SPIKE_FACTOR * expected;
    }

    /**
     * Whether a spike that is on has grown enough to be reported again: its reads in the last hour reached
     * {@link #SPIKE_MIN_READS_1H} times 2, 4, 8, ... (checked as each read is counted, so without remembering what was
     * last reported; a few reports per spike, and a group's examples show the spikes as large as they have become).
     */
    public static boolean spikeGrew(long reads1h) {
        long multiple = reads1h / SPIKE_MIN_READS_1H;
        return reads1h % SPIKE_MIN_READS_1H == 0 && multiple >= 2 && Long.bitCount(multiple) == 1;
    }

    /** Whether the latency SLA is being missed; null when there were too few reads to tell (keep the state). */
    public static Boolean latencySla(long reads, long misses, boolean wasOn) {
        if (reads < SLA_MIN_READS) {
            return null;
        }
        double share = (double) misses / reads;
        return wasOn ? share > SLA_MISS_SHARE / 5 : share > SLA_MISS_SHARE;
    }

    public static boolean costSpike(double usdPerHour, boolean wasOn) {
        return wasOn ? usdPerHour > COST_SPIKE_USD_PER_HOUR / 5 : usdPerHour > COST_SPIKE_USD_PER_HOUR;
    }

    /**
     * Whether the moves waiting for the migration budget take too long to drain: above the limit it fires, and it
     * clears at half of it.
     */
    public static boolean backlogDrain(long drainSeconds, long limitSeconds, boolean wasOn) {
        return wasOn ? drainSeconds > limitSeconds / 2 : drainSeconds > limitSeconds;
    }

    public static boolean backlog(long inFlight, boolean wasOn) {
        return wasOn ? inFlight > BACKLOG_LIMIT / 2 : inFlight >= BACKLOG_LIMIT;
    }
}
