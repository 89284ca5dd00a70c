package io.tierflow.streams.domain;

/**
 * Exponentially decayed heat: {@code h(T) = sum of w_i * 2^(-(T - t_i) / halfLife)} over all accesses i.
 * Because every access decays independently, the value does not depend on the order events arrive in: a late
 * event is added with its weight decayed (or grown) to the reference time.
 */
public final class DecayedHeat {
    private DecayedHeat() {
    }

    /** The value {@code value} measured at {@code fromMs}, seen from {@code toMs} (earlier times grow it back). */
    public static double decay(double value, long fromMs, long toMs, long halfLifeMs) {
        if (value == 0.0 || fromMs == toMs) {
            return value;
        }
        return value * Math.pow(2.0, -(double) (toMs - fromMs) / halfLifeMs);
    }

    /**
     * When heat {@code heat} measured at {@code atMs} falls to {@code threshold} with no further access;
     * {@code atMs} if it is already at or below it.
     */
    public static long timeToFallTo(double heat, long atMs, double threshold, long halfLifeMs) {
        if (heat <= threshold || threshold <= 0) {
            return threshold <= 0 ? Long.MAX_VALUE : atMs;
        }
        double halfLives = Math.log(heat / threshold) / Math.log(2.0);
        return atMs + (long) Math.ceil(halfLives * halfLifeMs);
    }

    /** Average rate per millisecond implied by a decayed sum: the sum of a steady rate r converges to r·HL/ln 2. */
    public static double ratePerMs(double decayedSum, long halfLifeMs) {
        return decayedSum * Math.log(2.0) / halfLifeMs;
    }
}
