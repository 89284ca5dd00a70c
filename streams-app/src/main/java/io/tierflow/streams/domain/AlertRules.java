package io.tierflow.streams.domain;

/**
 * When a condition raises or clears an alert. Each rule fires above one level and clears below a lower one, so an
 * alert near its limit does not flap.
 */
public final class AlertRules {
    /** Reads in the last hour that make a spike, at least, and how many times the forecast they must exceed. */
    public static final long SPIKE_MIN_READS_1H = 50;
    public static final double SPIKE_FACTOR = 5.0;
    /** Share of hot reads slower than the SLA that fires LATENCY_SLA, over at least this many reads. */
    public static final double SLA_MISS_SHARE = 0.10;
    public static final long SLA_MIN_READS = 10;
    /** Read cost of one dataset per hour that fires COST_SPIKE, in USD. */
    public static final double COST_SPIKE_USD_PER_HOUR = 5.0;
    /** Commands in flight that fire MIGRATION_BACKLOG. */
    public static final long BACKLOG_LIMIT = 100;

    private AlertRules() {
    }

    /** Whether a traffic spike is on, given whether it was on before. */
    public static boolean trafficSpike(long reads1h, double forecastPerHour, boolean wasOn) {
        double expected = Math.max(forecastPerHour, 1.0);
        if (wasOn) {
            return reads1h >= SPIKE_MIN_READS_1H / 2 && reads1h > 2 * expected;
        }
        return reads1h >= SPIKE_MIN_READS_1H && reads1h > SPIKE_FACTOR * expected;
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

    public static boolean backlog(long inFlight, boolean wasOn) {
        return wasOn ? inFlight > BACKLOG_LIMIT / 2 : inFlight >= BACKLOG_LIMIT;
    }
}
