package io.tierflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.cli.traffic.DatasetSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ApiBenchCommandTest {
    @Test
    void shouldDefaultToTheIssuesScale() {
        ApiBenchCommand command = new ApiBenchCommand();
        new CommandLine(command).parseArgs();

        assertTrue(command.datasets >= 100_000, "datasets " + command.datasets);
        assertEquals(10_000, command.freshnessRate);
        assertTrue(command.wrkSeconds >= 15, "wrk seconds " + command.wrkSeconds);
    }

    @Test
    void shouldRejectMoreProbeDatasetsThanHalfTheInventoryBeforeStartingAnything() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err))
                .execute("api", "--datasets", "100", "--probe-datasets", "60");

        assertEquals(2, exit);
        assertTrue(err.toString().contains("at most half"), err.toString());
    }

    @Test
    void shouldRejectFewerWrkConnectionsThanThreads() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err))
                .execute("api", "--wrk-threads", "4", "--wrk-connections", "2");

        assertEquals(2, exit);
        assertTrue(err.toString().contains("connection per thread"), err.toString());
    }

    @Test
    void shouldSpreadProbesOverThePopularityRanksWithoutRepeats() {
        List<DatasetSpec> inventory = BenchLoader.inventory(5, 1_000);
        List<DatasetSpec> probes = FreshnessEvents.probeDatasets(inventory, 10);

        assertEquals(10, probes.size());
        assertEquals(10, new HashSet<>(probes).size());
        assertEquals(51, probes.get(0).rank(), "the first probe sits mid-way into the first tenth");
        assertEquals(951, probes.get(9).rank());
        assertThrows(IllegalArgumentException.class, () -> FreshnessEvents.probeDatasets(inventory, 501));
    }

    @Test
    void shouldKeepSlashesAndEncodeTheRestOfAKeyInItsPath() {
        assertEquals("/datasets/datasets/d000042", QueryApiClient.datasetPath("datasets/d000042"));
        assertEquals("/datasets/a%20b/%C3%B8%3F.parquet", QueryApiClient.datasetPath("a b/ø?.parquet"));
        assertEquals(Set.of("/datasets/x"), Set.of(QueryApiClient.datasetPath("x")));
    }

    @Test
    void shouldPollAtTheIntervalThenBackOffToFivePercentOfTheWait() {
        java.time.Duration interval = java.time.Duration.ofMillis(10);

        assertEquals(10_000_000L, ProbePoller.nextPollDelayNanos(interval, 0));
        assertEquals(10_000_000L, ProbePoller.nextPollDelayNanos(interval, 150_000_000L));
        assertEquals(50_000_000L, ProbePoller.nextPollDelayNanos(interval, 1_000_000_000L));
        assertEquals(3_000_000_000L, ProbePoller.nextPollDelayNanos(interval, 60_000_000_000L));
    }

    @Test
    void shouldShowFreshnessPerWindowOfSending() {
        Freshness.Result result = new Freshness.Result(1000, 10, List.of(100.0, 300.0, 2000.0, 4000.0),
                List.of(0.5, 4.9, 5.0, 9.9), 0, 40);

        assertEquals(List.of("sent   0-  5 s:    2 probes, p50    100.0 ms, p99    300.0 ms",
                "sent   5- 10 s:    2 probes, p50   2000.0 ms, p99   4000.0 ms"), result.byWindow(5));
        assertEquals(100.0, result.achievedRate());
    }
}
