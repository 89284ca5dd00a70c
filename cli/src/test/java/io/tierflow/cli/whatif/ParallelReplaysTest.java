package io.tierflow.cli.whatif;

import static io.tierflow.cli.whatif.ReplayScenario.GB;
import static io.tierflow.cli.whatif.ReplayScenario.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policies replayed side by side, each on its own thread, give what each gives alone; a failing one is named. */
class ParallelReplaysTest {
    @TempDir
    Path stateDir;

    private final SimulatedMigrator migrator = new SimulatedMigrator(new LinkModel(1000, Map.of(), 50), 0.1, 7);

    /** Six days of reads of five datasets, far more inputs than one hand-off holds. */
    private static List<ReplayInput> sixDays() {
        List<ReplayInput> inputs = new ArrayList<>();
        List<String> keys = List.of("a", "b", "c", "d", "e");
        for (String key : keys) {
            inputs.add(new ReplayInput.Inventory(key, ReplayScenario.dataset(key, "azure", "GLACIER_IR", GB, START),
                    START.toEpochMilli()));
        }
        Random random = new Random(5);
        List<String> regions = List.of("us-east", "eu-west", "us-west");
        int n = 0;
        for (long minute = 1; minute < 6 * 24 * 60; minute++) {
            Instant at = START.plusSeconds(minute * 60);
            int reads = minute % (8 * 60) < 120 ? 3 : random.nextInt(2); // busy two hours in every eight
            for (int r = 0; r < reads; r++) {
                String key = keys.get(Math.min(keys.size() - 1, (int) Math.abs(random.nextGaussian() * 1.5)));
                inputs.add(ReplayScenario.read(key, at.plusMillis(r), regions.get(random.nextInt(regions.size())),
                        n++));
            }
        }
        return inputs;
    }

    private static ReplaySource source(List<ReplayInput> inputs) {
        return new ReplaySource() {
            @Override
            public long replay(Consumer<ReplayInput> to) {
                inputs.forEach(to);
                return inputs.size();
            }

            @Override
            public String description() {
                return "six days";
            }
        };
    }

    private WhatIfRun.Outcome run(List<ReplayInput> inputs, WhatIfRun.Candidate... candidates) throws IOException {
        return WhatIfRun.run(source(inputs), ReplayScenario.setup(stateDir, migrator), List.of(candidates), null);
    }

    @Test
    void shouldGiveTwoPoliciesRunTogetherExactlyTheRowsEachGivesAlone() throws IOException {
        List<ReplayInput> inputs = sixDays();
        assertTrue(inputs.size() > 4 * ParallelReplays.BATCH, "several hand-offs, and a last partial one");
        WhatIfRun.Candidate eager = new WhatIfRun.Candidate("eager", ReplayScenario.policy(5));
        WhatIfRun.Candidate lazy = new WhatIfRun.Candidate("lazy", ReplayScenario.policy(200));

        WhatIfRun.Outcome together = run(inputs, eager, lazy);
        WhatIfRun.Outcome eagerAlone = run(inputs, eager);
        WhatIfRun.Outcome lazyAlone = run(inputs, lazy);

        PolicyCosts eagerRow = together.report().rows().get(0);
        PolicyCosts lazyRow = together.report().rows().get(1);
        assertEquals("eager", eagerRow.name());
        assertEquals("lazy", lazyRow.name());
        assertNotEquals(eagerRow.cost(), lazyRow.cost(), "the two policies decide differently, so a mix-up shows");
        assertEquals(eagerAlone.report().rows().get(0), eagerRow, "eager: same costs, moves, samples as alone");
        assertEquals(lazyAlone.report().rows().get(0), lazyRow, "lazy: same costs, moves, samples as alone");
        assertEquals(inputs.size(), together.inputs());
        // Both runs price the baselines and the optimum on the same inputs.
        assertEquals(eagerAlone.report().rows().subList(1, eagerAlone.report().rows().size()),
                together.report().rows().subList(2, together.report().rows().size()));
        assertEquals(eagerAlone.report().optimum(), together.report().optimum());
    }

    @Test
    void shouldNameThePolicyWhoseReplayFailedInsteadOfWaitingForIt() throws IOException {
        // Its state directory cannot be made (a file is in the way), so each replay fails at its first input; the
        // reader has far more inputs than the queues hold and must not block on a replay that stopped taking them.
        Path blocked = Files.writeString(stateDir.resolve("not-a-directory"), "x");
        WhatIfSetup setup = new WhatIfSetup(ReplayScenario.sites(), null, null,
                io.tierflow.streams.TieringSettings.DEFAULTS, migrator, blocked.resolve("state"),
                java.time.Duration.ofHours(1));
        List<ReplayInput> many = new ArrayList<>();
        List<ReplayInput> days = sixDays();
        int needed = (ParallelReplays.QUEUED_BATCHES + 2) * ParallelReplays.BATCH;
        while (many.size() < needed) {
            many.addAll(days);
        }

        WhatIfException failed = assertThrows(WhatIfException.class, () -> WhatIfRun.run(source(many), setup,
                List.of(new WhatIfRun.Candidate("only", ReplayScenario.policy(20))), null));

        assertTrue(failed.getMessage().startsWith("the replay of policy only failed: "), failed.getMessage());
        assertTrue(failed.getMessage().contains("cannot create the replay's state directory"), failed.getMessage());
    }
}
