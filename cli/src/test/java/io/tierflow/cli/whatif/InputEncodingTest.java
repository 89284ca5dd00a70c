package io.tierflow.cli.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.Policy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs serialized once for a whole run and handed as bytes to every policy's driver give each replay exactly the
 * decisions and costs it reaches serializing its own inputs.
 */
class InputEncodingTest {
    @TempDir
    Path stateDir;

    private final SimulatedMigrator migrator = new SimulatedMigrator(new LinkModel(1000, Map.of(), 50), 0.1, 3);

    private record Run(PolicyCosts costs, List<String> decisions) {
    }

    /** Two days of reads, then the idle dataset deleted (a tombstone, which has no value bytes). */
    private static List<ReplayInput> inputs() {
        List<ReplayInput> inputs = new ArrayList<>(ReplayScenario.twoDays());
        long end = inputs.get(inputs.size() - 1).timeMs();
        inputs.add(new ReplayInput.Inventory("idle", null, end + 1));
        return inputs;
    }

    private Run run(PolicyReplay replay, Consumer<PolicyReplay> feed, long endMs) {
        List<String> decisions = new ArrayList<>();
        replay.onPlacement((key, p) -> decisions.add(key + " " + (p == null ? "deleted" : p.getTier() + " "
                + p.getPrimarySite() + " " + p.getStorageClass() + " " + p.getReplicaSites())));
        feed.accept(replay);
        return new Run(replay.finish(endMs), decisions);
    }

    private Run alone(Policy policy, List<ReplayInput> inputs) {
        try (PolicyReplay replay = new PolicyReplay("p", ReplayScenario.setup(stateDir, migrator), policy)) {
            return run(replay, r -> inputs.forEach(r::offer), inputs.get(inputs.size() - 1).timeMs());
        }
    }

    @Test
    void shouldDecideAndPriceTheSameFromBytesEncodedOnceForEveryPolicy() {
        List<ReplayInput> inputs = inputs();
        long endMs = inputs.get(inputs.size() - 1).timeMs();
        Policy eager = ReplayScenario.policy(20);
        Policy lazy = ReplayScenario.policy(1_000);

        List<InputEncoding.Encoded> encoded;
        Run eagerShared;
        Run lazyShared;
        try (InputEncoding shared = new InputEncoding();
                PolicyReplay eagerReplay = new PolicyReplay("p", ReplayScenario.setup(stateDir, migrator), eager,
                        shared);
                PolicyReplay lazyReplay = new PolicyReplay("p", ReplayScenario.setup(stateDir, migrator), lazy,
                        shared)) {
            encoded = inputs.stream().map(shared::encode).toList();
            eagerShared = run(eagerReplay, r -> encoded.forEach(r::offer), endMs);
            lazyShared = run(lazyReplay, r -> encoded.forEach(r::offer), endMs);
        }
        Run eagerAlone = alone(eager, inputs);
        Run lazyAlone = alone(lazy, inputs);

        assertNotEquals(eagerAlone.decisions(), lazyAlone.decisions(), "the policies decide differently");
        assertTrue(eagerAlone.decisions().size() > 3, "the run made decisions: " + eagerAlone.decisions());
        assertEquals(eagerAlone.decisions(), eagerShared.decisions());
        assertEquals(eagerAlone.costs(), eagerShared.costs(), "every figure, to the last sample");
        assertEquals(lazyAlone.decisions(), lazyShared.decisions());
        assertEquals(lazyAlone.costs(), lazyShared.costs(), "every figure, to the last sample");
        assertEquals(inputs.size(), encoded.size());
        assertEquals(null, encoded.get(encoded.size() - 1).value(), "a tombstone stays one");
        assertEquals("idle deleted", eagerShared.decisions().get(eagerShared.decisions().size() - 1),
                "the tombstone reached the topology as one");
    }
}
