package io.tierflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiSummaryTest {
    private static Wrk.Result wrk(long requests, double p99Ms) {
        return new Wrk.Result(requests, 15_000_000, 1, 2, p99Ms, 20, Map.of("status", 0L), -1);
    }

    @Test
    void shouldTakeTheNearestRankPercentile() {
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            values.add((double) i);
        }
        Collections.shuffle(values, new java.util.Random(1));

        assertEquals(100.0, ApiSummary.percentile(values, 50));
        assertEquals(198.0, ApiSummary.percentile(values, 99));
        assertEquals(200.0, ApiSummary.percentile(values, 100));
        assertEquals(7.0, ApiSummary.percentile(List.of(7.0), 99));
        assertThrows(IllegalArgumentException.class, () -> ApiSummary.percentile(List.of(), 99));
        assertThrows(IllegalArgumentException.class, () -> ApiSummary.percentile(values, 0));
    }

    @Test
    void shouldPrintTheIssuesKeysInOrderThenTheReference() {
        List<Double> freshness = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            freshness.add(i * 10.0);
        }
        ApiSummary summary = new ApiSummary(wrk(450_000, 4.5), wrk(150_000, 12.25), wrk(600_000, 3), freshness);

        assertEquals("api: local_rps=30000 local_p99_ms=4.50 forwarded_rps=10000 forwarded_p99_ms=12.25 "
                + "freshness_p99_ms=990.0 health_rps=40000", summary.line());
        assertEquals(List.of("local_rps >= 20000: met", "local_p99_ms <= 10: met", "freshness_p99_ms <= 1000: met"),
                summary.targets());
    }

    @Test
    void shouldSayWhichTargetIsMissed() {
        ApiSummary summary = new ApiSummary(wrk(150_000, 25), wrk(150_000, 30), wrk(600_000, 3), List.of(1500.0));

        assertTrue(summary.targets().contains("local_rps >= 20000: NOT met"), summary.targets().toString());
        assertTrue(summary.targets().contains("local_p99_ms <= 10: NOT met"), summary.targets().toString());
        assertTrue(summary.targets().contains("freshness_p99_ms <= 1000: NOT met"), summary.targets().toString());
    }
}
