package io.tierflow.cli.whatif;

import static io.tierflow.cli.whatif.ReplayScenario.GB;
import static io.tierflow.cli.whatif.ReplayScenario.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.Policy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link TaskPipe}, the one reach into TopologyTestDriver's private state: a replay fed through it
 * decides and prices exactly as one fed through the driver's public API (a commit after every record), over a trace
 * that moves, fails, re-inventories and deletes datasets. If a Kafka upgrade moved what the pipe relies on, the first
 * test says so (the replay would fall back to the public API: the same report, slower).
 */
class TaskPipeTest {
    @TempDir
    Path stateDir;

    /** One step in ten fails, so failed steps and retries are in the trace too. */
    private final SimulatedMigrator migrator = new SimulatedMigrator(new LinkModel(1000, Map.of(), 50), 0.1, 13);

    private record Run(PolicyCosts costs, List<String> decisions, Map<String, String> copies, long deadLetters,
            boolean piped) {
    }

    /** Four days: eight datasets read in waves from three regions; one resized midway, one deleted at the end. */
    private static List<ReplayInput> fourDays() {
        List<ReplayInput> inputs = new ArrayList<>();
        List<String> keys = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        for (String key : keys) {
            inputs.add(new ReplayInput.Inventory(key, ReplayScenario.dataset(key, "azure", "GLACIER_IR", GB, START),
                    START.toEpochMilli()));
        }
        Random random = new Random(17);
        List<String> regions = List.of("us-east", "eu-west", "us-west");
        int n = 0;
        for (long minute = 1; minute < 4 * 24 * 60; minute++) {
            Instant at = START.plusSeconds(minute * 60);
            if (minute == 2 * 24 * 60) {
                inputs.add(new ReplayInput.Inventory("b", ReplayScenario.dataset("b", "azure", "GLACIER_IR", 3 * GB,
                        at), at.toEpochMilli()));
            }
            int reads = minute % (6 * 60) < 90 ? 4 : random.nextInt(2);
            for (int r = 0; r < reads; r++) {
                String key = keys.get(Math.min(keys.size() - 1, (int) Math.abs(random.nextGaussian() * 2)));
                inputs.add(ReplayScenario.read(key, at.plusMillis(r), regions.get(random.nextInt(regions.size())),
                        n++));
            }
        }
        long end = inputs.get(inputs.size() - 1).timeMs();
        inputs.add(new ReplayInput.Inventory("h", null, end + 1));
        return inputs;
    }

    private Run run(Policy policy, List<ReplayInput> inputs, boolean throughTaskPipe) {
        return run(policy, inputs, throughTaskPipe, ReplayDriver.COMMIT_EVERY_RECORDS);
    }

    private Run run(Policy policy, List<ReplayInput> inputs, boolean throughTaskPipe, int commitEveryRecords) {
        long endMs = inputs.get(inputs.size() - 1).timeMs() + 3_600_000;
        try (PolicyReplay replay = new PolicyReplay("p", ReplayScenario.setup(stateDir, migrator), policy)) {
            replay.committingEvery(commitEveryRecords);
            if (!throughTaskPipe) {
                replay.throughDriverApiOnly();
            }
            List<String> decisions = new ArrayList<>();
            replay.onPlacement((key, p) -> decisions.add(key + " " + (p == null ? "deleted" : p.toString())));
            inputs.forEach(replay::offer);
            PolicyCosts costs = replay.finish(endMs);
            Map<String, String> copies = new TreeMap<>();
            for (String key : List.of("a", "b", "c", "d", "e", "f", "g", "h")) {
                copies.put(key, String.valueOf(replay.copies(key)));
            }
            return new Run(costs, decisions, copies, replay.deadLetters(), replay.pipesWithoutCommits());
        }
    }

    @Test
    void shouldReachTheDriversTaskOnThisKafkaVersion() {
        List<ReplayInput> inputs = ReplayScenario.twoDays();
        assertTrue(run(ReplayScenario.policy(20), inputs, true).piped(),
                "TaskPipe could not reach TopologyTestDriver's internals: see docs/kafka-upgrade.md");
        assertFalse(run(ReplayScenario.policy(20), inputs, false).piped());
    }

    @Test
    void shouldDecideAndPriceExactlyAsTheDriversPublicApi() {
        List<ReplayInput> inputs = fourDays();
        for (Policy policy : List.of(ReplayScenario.policy(20), ReplayScenario.policy(200))) {
            Run publicApi = run(policy, inputs, false);
            Run piped = run(policy, inputs, true);

            assertTrue(publicApi.decisions().size() > 10, "the run made decisions: " + publicApi.decisions());
            assertTrue(publicApi.costs().moves() > 0 && publicApi.costs().failedSteps() > 0,
                    "datasets moved and steps failed: " + publicApi.costs());
            assertEquals(publicApi.decisions(), piped.decisions(), "every placement, in order");
            assertEquals(publicApi.copies(), piped.copies(), "the copies held at the end");
            assertEquals(publicApi.deadLetters(), piped.deadLetters());
            assertEquals(publicApi.costs(), piped.costs(), "every figure of the row, to the last sample");
        }
    }

    @Test
    void shouldDecideAndPriceTheSameWhereverTheCommitsFall() {
        List<ReplayInput> inputs = fourDays();
        assertTrue(inputs.size() > 1_000 && inputs.size() < ReplayDriver.COMMIT_EVERY_RECORDS,
                "the default cadence commits only when the replay closes: " + inputs.size());
        for (Policy policy : List.of(ReplayScenario.policy(20), ReplayScenario.policy(200))) {
            Run publicApi = run(policy, inputs, false);
            // At every move of the clock (as the driver commits), every few moves, and never before the end.
            for (int commitEvery : List.of(1, 97, ReplayDriver.COMMIT_EVERY_RECORDS)) {
                Run piped = run(policy, inputs, true, commitEvery);
                assertEquals(publicApi.decisions(), piped.decisions(), "every placement, committing every "
                        + commitEvery);
                assertEquals(publicApi.copies(), piped.copies(), "the copies, committing every " + commitEvery);
                assertEquals(publicApi.deadLetters(), piped.deadLetters());
                assertEquals(publicApi.costs(), piped.costs(), "the row, committing every " + commitEvery);
            }
        }
    }
}
