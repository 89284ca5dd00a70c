package io.tierflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationSummaryTest {
    @Test
    void shouldSummariseMediansWithTheRatioOfThroughputs() {
        MigrationSummary summary = new MigrationSummary(List.of(300.0, 100.0, 200.0), List.of(150.0, 160.0, 170.0),
                List.of(5.0, 4.0, 6.0), List.of(7.0, 9.0, 8.0));

        assertEquals("migration: tierflow_mbps=200.0 rclone_mbps=160.0 ratio=1.250 tierflow_cpu_s_per_gb=5.00 "
                + "rclone_cpu_s_per_gb=8.00", summary.line());
    }

    @Test
    void shouldReadTheChildrensCpuTimeFromBashTimes() {
        String output = "some rclone notice\n0m0.002s 0m0.001s\n1m2.500s 0m3.250s\n";

        assertEquals(65_750_000_000L, BashTimes.childCpuNanos(output));
        assertThrows(IllegalStateException.class, () -> BashTimes.childCpuNanos("rclone crashed"));
    }
}
