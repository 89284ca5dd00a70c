package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AlertRulesTest {
    @Test
    void shouldFireAboveTheLimitAndClearOnlyWellBelowIt() {
        assertFalse(AlertRules.trafficSpike(49, 0, false), "too few reads to call it a spike");
        assertTrue(AlertRules.trafficSpike(50, 5, false));
        assertFalse(AlertRules.trafficSpike(50, 10, false), "five times the forecast is needed");
        assertTrue(AlertRules.trafficSpike(30, 10, true), "stays on between the two levels");
        assertFalse(AlertRules.trafficSpike(19, 10, true));

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
}
