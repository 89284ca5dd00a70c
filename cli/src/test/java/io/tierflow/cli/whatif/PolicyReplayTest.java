package io.tierflow.cli.whatif;

import static io.tierflow.cli.whatif.ReplayScenario.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.Placement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay of one policy: where it puts the data, what that costs, and that it does so the same way twice. */
class PolicyReplayTest {
    @TempDir
    Path stateDir;

    private final SimulatedMigrator migrator = new SimulatedMigrator(new LinkModel(1000, Map.of(), 50), 0, 1);

    private record Run(PolicyCosts costs, List<String> decisions, Map<String, SimulatedPlacements.Copies> copies) {
    }

    private Run replay(double hotThreshold, SimulatedMigrator withMigrator) {
        List<ReplayInput> inputs = ReplayScenario.twoDays();
        List<String> decisions = new ArrayList<>();
        try (PolicyReplay replay = new PolicyReplay("p", ReplayScenario.setup(stateDir, withMigrator),
                ReplayScenario.policy(hotThreshold))) {
            replay.onPlacement((key, p) -> decisions.add(key + " " + describe(p)));
            inputs.forEach(replay::offer);
            PolicyCosts costs = replay.finish(inputs.get(inputs.size() - 1).timeMs());
            return new Run(costs, decisions, Map.of("burst", replay.copies("burst"), "steady", replay.copies("steady"),
                    "idle", replay.copies("idle")));
        }
    }

    private static String describe(Placement p) {
        return p.getTier() + " " + p.getPrimarySite() + " " + p.getStorageClass() + " " + p.getReplicaSites();
    }

    @Test
    void shouldMoveTheBurstyDatasetNearItsReadersAndServeItsReadsFromThere() {
        Run run = replay(20, migrator);

        SimulatedPlacements.Copies burst = run.copies().get("burst");
        assertEquals("aws", burst.primary(), "read from us-east in bursts: its primary moved to aws");
        assertEquals(List.of("aws"), List.copyOf(burst.classBySite().keySet()), "the old copy retired");
        assertTrue(run.costs().getsByTier().getOrDefault("HOT", 0L) > 0, "reads served hot after the move");
        assertTrue(run.costs().getsByTier().getOrDefault("COLD", 0L) > 0, "reads served cold before it");
        assertTrue(run.costs().moves() >= 1);
        assertTrue(run.costs().bytesMoved() >= ReplayScenario.GB, "the copy crossed sites");
        assertTrue(run.costs().cost().migrationUsd() > 0, "the copy's egress and requests are charged");
        assertTrue(run.costs().cost().earlyDeletionUsd() > 0, "the cold copy retired within its 90 days is charged the rest");
        assertTrue(run.costs().cost().storageUsd() > 0);
        assertEquals(0, run.costs().unplacedReads());
        long reads = ReplayScenario.twoDays().stream().filter(i -> i instanceof ReplayInput.Access).count();
        assertEquals(reads, run.costs().reads(), "every read served and counted once");
        assertEquals(run.costs().total(), run.costs().cumulative().get(run.costs().cumulative().size() - 1).totalUsd(),
                1e-9, "the chart ends at the total");
        SimulatedPlacements.Copies idle = run.copies().get("idle");
        assertEquals(1, idle.classBySite().size(), "one copy of an idle dataset");
    }

    @Test
    void shouldGiveTheSamePlacementsAndCostsForTheSameInputsAndPolicy() {
        Run first = replay(20, migrator);
        Run second = replay(20, migrator);

        assertEquals(first.decisions(), second.decisions());
        assertEquals(first.copies(), second.copies());
        assertEquals(first.costs(), second.costs(), "every figure, to the last sample");
        assertTrue(first.decisions().size() > 3, "the run made decisions: " + first.decisions());
    }

    @Test
    void shouldFollowThePolicyUnderTest() {
        Run eager = replay(20, migrator);
        Run reluctant = replay(1_000, migrator); // never hot

        assertNotEquals(eager.costs().getsByTier(), reluctant.costs().getsByTier());
        assertEquals(0, reluctant.costs().getsByTier().getOrDefault("HOT", 0L));
    }

    @Test
    void shouldCountInjectedFailuresAndKeepTheCopiesTheTopologyKeeps() {
        Run failing = replay(20, new SimulatedMigrator(new LinkModel(1000, Map.of(), 50), 1, 1));

        assertTrue(failing.costs().failedSteps() > 0);
        assertEquals(0, failing.costs().moves(), "no step completed");
        assertEquals("azure", failing.copies().get("burst").primary(), "a failed move leaves the data where it was");
        assertTrue(failing.costs().cost().migrationUsd() < replay(20, migrator).costs().cost().migrationUsd(),
                "only the uploads' PUTs: no copy was charged");
    }
}
