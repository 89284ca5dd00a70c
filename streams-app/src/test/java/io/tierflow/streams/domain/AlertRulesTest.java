package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class AlertRulesTest {
    @Test
    void shouldFireAboveTheLimitAndClearOnlyWellBelowIt() {
        long history = AlertRules.SPIKE_MIN_HISTORY_HOURS;
        assertFalse(AlertRules.trafficSpike(49, 0, history, false), "too few reads to call it a spike");
        assertTrue(AlertRules.trafficSpike(50, 5, history, false));
        assertFalse(AlertRules.trafficSpike(50, 10, history, false), "five times the forecast is needed");
        assertTrue(AlertRules.trafficSpike(30, 10, history, true), "stays on between the two levels");
        assertFalse(AlertRules.trafficSpike(19, 10, history, true));

        assertNull(AlertRules.latencySla(9, 9, false), "too few reads to tell");
        assertTrue(AlertRules.latencySla(100, 11, false));
        assertFalse(AlertRules.latencySla(100, 10, false));
        assertTrue(AlertRules.latencySla(100, 3, true));
        assertFalse(AlertRules.latencySla(100, 2, true));

        assertTrue(AlertRules.backlog(100, false));
        assertFalse(AlertRules.backlog(99, false));
        assertTrue(AlertRules.backlog(51, true));
        assertFalse(AlertRules.backlog(50, true));

        assertTrue(AlertRules.costSpike(5.01, false));
        assertTrue(AlertRules.costSpike(1.01, true));
        assertEquals(false, AlertRules.costSpike(0.99, true));
    }

    @Test
    void shouldReportASpikeAgainEachTimeItDoubles() {
        List<Long> reports = LongStream.rangeClosed(0, 2_000).filter(AlertRules::spikeGrew).boxed().toList();
        long min = AlertRules.SPIKE_MIN_READS_1H;
        assertEquals(List.of(2 * min, 4 * min, 8 * min, 16 * min, 32 * min), reports);
    }

    @Test
    void shouldJudgeNoSpikeWithoutEnoughHistory() {
        long history = AlertRules.SPIKE_MIN_HISTORY_HOURS;
        assertFalse(AlertRules.trafficSpike(10_000, 0, 0, false), "a first burst has nothing to be a spike against");
        assertFalse(AlertRules.trafficSpike(10_000, 0, history - 1, false), "one hour short of enough history");
        assertTrue(AlertRules.trafficSpike(10_000, 0, history, false), "a dormant dataset that wakes up is a spike");
        assertTrue(AlertRules.trafficSpike(30, 10, 0, true), "a spike that is on clears by its reads, not history");
        assertFalse(AlertRules.trafficSpike(19, 10, 0, true));
    }
}
