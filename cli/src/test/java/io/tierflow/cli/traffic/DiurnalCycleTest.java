package io.tierflow.cli.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DiurnalCycleTest {
    @Test
    void shouldPeakAtNoonAndBottomOutAtMidnightUtc() {
        DiurnalCycle cycle = new DiurnalCycle(0.5);

        assertEquals(1.5, cycle.multiplier(Instant.parse("2026-03-02T12:00:00Z")), 1e-9);
        assertEquals(0.5, cycle.multiplier(Instant.parse("2026-03-02T00:00:00Z")), 1e-9);
        assertEquals(1.0, cycle.multiplier(Instant.parse("2026-03-02T06:00:00Z")), 1e-9);
        assertEquals(1.0, cycle.multiplier(Instant.parse("2026-03-02T18:00:00Z")), 1e-9);
        assertEquals(1.5, cycle.peak(), 1e-9);
    }

    @Test
    void shouldAverageToOneOverADaySoTheRateIsTheDailyMean() {
        DiurnalCycle cycle = new DiurnalCycle(0.8);
        double sum = 0;
        int steps = 24 * 60;
        for (int minute = 0; minute < steps; minute++) {
            sum += cycle.multiplierAtHour(minute / 60.0);
        }
        assertEquals(1.0, sum / steps, 1e-9);
    }

    @Test
    void shouldBeFlatWithoutAmplitudeAndRejectAnAmplitudeThatStopsTraffic() {
        assertEquals(1.0, new DiurnalCycle(0).multiplier(Instant.parse("2026-03-02T03:17:00Z")), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new DiurnalCycle(1));
        assertThrows(IllegalArgumentException.class, () -> new DiurnalCycle(-0.1));
    }
}
