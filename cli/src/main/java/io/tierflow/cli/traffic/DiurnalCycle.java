package io.tierflow.cli.traffic;

import java.time.Instant;

/**
 * The daily rhythm of traffic: a rate multiplier {@code 1 + a·sin(2π·(hourOfDay − 6)/24)} of the event time's
 * hour of day in UTC, so traffic peaks at 12:00, is at its mean at 06:00 and 18:00, and is lowest at 00:00.
 * Its mean over a day is 1, so a configured rate stays the daily average.
 *
 * @param amplitude {@code a}, in [0, 1): 0 is flat traffic, 0.5 makes the peak three times the trough
 */
public record DiurnalCycle(double amplitude) {
    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    public DiurnalCycle {
        if (!(amplitude >= 0 && amplitude < 1)) {
            // At 1 the night rate would be zero and the generator would stall at midnight.
            throw new IllegalArgumentException("the diurnal amplitude must be in [0, 1), got " + amplitude);
        }
    }

    /** Rate multiplier at this instant. */
    public double multiplier(Instant time) {
        return multiplierAtHour(hourOfDay(time.toEpochMilli()));
    }

    /** Rate multiplier at an hour of day (0 ≤ hour < 24, UTC). */
    public double multiplierAtHour(double hourOfDay) {
        return 1 + amplitude * Math.sin(2 * Math.PI * (hourOfDay - 6) / 24);
    }

    /** The largest multiplier of the day (at noon). */
    public double peak() {
        return 1 + amplitude;
    }

    static double hourOfDay(long epochMillis) {
        return Math.floorMod(epochMillis, 86_400_000L) / MILLIS_PER_HOUR;
    }
}
