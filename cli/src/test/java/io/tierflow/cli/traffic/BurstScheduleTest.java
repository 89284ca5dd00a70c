package io.tierflow.cli.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BurstScheduleTest {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    @Test
    void shouldBeActiveForTheLengthAtTheStartOfEveryPeriod() {
        BurstSchedule bursts = new BurstSchedule(Set.of(3), Duration.ofMinutes(10), Duration.ofMinutes(2), 50);

        assertTrue(bursts.isActive(0));
        assertTrue(bursts.isActive(2 * MINUTE - 1));
        assertFalse(bursts.isActive(2 * MINUTE));
        assertFalse(bursts.isActive(10 * MINUTE - 1));
        assertTrue(bursts.isActive(10 * MINUTE));
        assertEquals(2 * MINUTE, bursts.nextChange(MINUTE));
        assertEquals(10 * MINUTE, bursts.nextChange(2 * MINUTE));
        assertEquals(12 * MINUTE, bursts.nextChange(10 * MINUTE));
    }

    @Test
    void shouldNeverBeActiveWithoutBurstKeys() {
        BurstSchedule none = BurstSchedule.none();
        assertFalse(none.isActive(0));
        assertEquals(Long.MAX_VALUE, none.nextChange(0));
    }

    @Test
    void shouldReadBurstKeysAsRanksOrDatasetKeys() {
        assertEquals(Set.of(1, 42, 7), BurstSchedule.parseRanks(List.of("1", "datasets/d000042", " 7 "), 100));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> BurstSchedule.parseRanks(List.of("101", "logs/x", "0"), 100));
        assertTrue(unknown.getMessage().contains("[101, logs/x, 0]"), unknown.getMessage());
    }

    @Test
    void shouldRejectAWindowLongerThanItsPeriod() {
        assertThrows(IllegalArgumentException.class,
                () -> new BurstSchedule(Set.of(1), Duration.ofMinutes(1), Duration.ofMinutes(2), 10));
        assertThrows(IllegalArgumentException.class,
                () -> new BurstSchedule(Set.of(1), Duration.ofMinutes(10), Duration.ofMinutes(2), 0.5));
    }
}
