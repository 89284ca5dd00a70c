package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** When a dataset is next looked at. */
class DueTimesTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;

    @Test
    void shouldLookAgainWhenTheTierCanFallButNotSoonerThanTheShortestInterval() {
        assertEquals(NOW + 5 * HOUR, DueTimes.afterLook(NOW, NOW + 5 * HOUR, MINUTE));
        assertEquals(NOW + MINUTE, DueTimes.afterLook(NOW, NOW + 1_000, MINUTE), "a demotion all but due");
        assertEquals(NOW + MINUTE, DueTimes.afterLook(NOW, NOW - HOUR, MINUTE), "a demotion overdue");
        assertEquals(DueTimes.NEVER, DueTimes.afterLook(NOW, Long.MAX_VALUE, MINUTE), "no tier to fall to");
    }

    @Test
    void shouldLookAtAPlacedDatasetWithinTheLongestIntervalOfItsLastLookAfterARestart() {
        long lastLook = NOW - 10 * MINUTE;
        assertEquals(lastLook + HOUR, DueTimes.onStart(NOW + 5 * HOUR, true, lastLook, HOUR), "what memory held");
        assertEquals(NOW + 5 * MINUTE, DueTimes.onStart(NOW + 5 * MINUTE, true, lastLook, HOUR), "due sooner anyway");
        assertEquals(lastLook + HOUR, DueTimes.onStart(DueTimes.NEVER, true, lastLook, HOUR), "idle and cold");
    }

    @Test
    void shouldKeepTheDueTimeOfADatasetWithNothingToPlace() {
        assertEquals(DueTimes.NEVER, DueTimes.onStart(DueTimes.NEVER, false, 0, HOUR));
        assertEquals(NOW, DueTimes.onStart(NOW, false, 0, HOUR));
    }
}
