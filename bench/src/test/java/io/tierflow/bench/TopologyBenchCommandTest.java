package io.tierflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopologyBenchCommandTest {
    @Test
    void shouldDefaultToTheIssuesScale() {
        TopologyBenchCommand command = new TopologyBenchCommand();
        new CommandLine(command).parseArgs();

        assertTrue(command.events >= 5_000_000, "events " + command.events);
        assertTrue(command.datasets >= 100_000, "datasets " + command.datasets);
        assertTrue(command.runs >= 2, "runs " + command.runs);
    }

    @Test
    void shouldRejectAnEmptyRunBeforeStartingAnything() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err))
                .execute("topology", "--events", "0");

        assertEquals(2, exit);
        assertTrue(err.toString().contains("need at least one event"), err.toString());
    }

    @Test
    void shouldAskForASuiteWhenNoneIsGiven() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err)).execute();

        assertEquals(2, exit);
        assertTrue(err.toString().contains("name a suite"), err.toString());
    }

    @Test
    void shouldBurstDistinctRanksThatExist() {
        assertEquals(Set.of(100, 1_000, 10_000), BenchLoader.burstRanks(100_000));
        assertEquals(Set.of(1, 2), BenchLoader.burstRanks(20));
    }
}
