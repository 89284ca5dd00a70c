package io.tierflow.cli.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Placement;
import io.tierflow.streams.TieringTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the topology as it runs live (its clock ticking every second, a migrator of the test's own
 * answering each command some seconds after it was issued), recorded; then the recording replayed by
 * {@link PolicyReplay} with the recorded migration outcomes: the replay must make the decisions the run made and
 * end with the copies the run ended with.
 */
class RecordedRunReplayTest {
    private static final Duration ANSWER_AFTER = Duration.ofSeconds(40);

    @TempDir
    Path stateDir;

    private record Recording(List<ReplayInput> inputs, List<String> decisions, Map<String, DatasetState> finalStates) {
    }

    @Test
    void shouldReproduceTheRecordedRunsPlacements() {
        Recording live = recordLiveRun();
        assertTrue(live.inputs().stream().anyMatch(i -> i instanceof ReplayInput.Status),
                "the run moved data: " + live.decisions());

        List<String> replayed = new ArrayList<>();
        List<ReplayInput> inputs = live.inputs();
        try (PolicyReplay replay = new PolicyReplay("recorded", ReplayScenario.setup(stateDir, null),
                ReplayScenario.policy(20))) {
            replay.onPlacement((key, p) -> replayed.add(describe(key, p)));
            inputs.forEach(replay::offer);
            replay.finish(inputs.get(inputs.size() - 1).timeMs());
            assertEquals(live.decisions(), replayed, "the same decisions, in the same order");
            live.finalStates().forEach((key, state) -> {
                SimulatedPlacements.Copies copies = replay.copies(key);
                assertEquals(state.getPrimarySite(), copies.primary(), key);
                List<String> sites = new ArrayList<>(List.of(state.getPrimarySite()));
                sites.addAll(state.getReplicaSites());
                assertEquals(sites, List.copyOf(copies.classBySite().keySet()), key);
                assertEquals(state.getStorageClass(), copies.classBySite().get(state.getPrimarySite()), key);
            });
        }
    }

    /** The run: the clock advanced a second at a time (at most two minutes of ticks per gap), as a live node's. */
    private Recording recordLiveRun() {
        List<ReplayInput> recorded = new ArrayList<>();
        List<String> decisions = new ArrayList<>();
        List<ReplayInput> script = ReplayScenario.twoDays();
        WhatIfSetup setup = ReplayScenario.setup(stateDir, null).withPolicy(ReplayScenario.policy(20));
        long first = script.get(0).timeMs();
        long clock = first - 10_000;
        List<TestRecord<String, MigrationCommand>> open = new ArrayList<>();
        try (ReplayDriver live = new ReplayDriver(setup, Instant.ofEpochMilli(clock))) {
            live.publishCatalogue(Instant.ofEpochMilli(clock));
            for (ReplayInput input : script) {
                long now = input.timeMs();
                for (int ticks = 0; clock + 1_000 <= now && ticks < 120; ticks++) {
                    clock += 1_000;
                    live.driver.advanceWallClockTime(Duration.ofSeconds(1));
                }
                if (clock < now) {
                    live.driver.advanceWallClockTime(Duration.ofMillis(now - clock));
                    clock = now;
                }
                answerDueCommands(live, open, now, recorded);
                if (input instanceof ReplayInput.Inventory inventory) {
                    live.datasets.pipeInput(inventory.key(), inventory.dataset(), Instant.ofEpochMilli(now));
                } else if (input instanceof ReplayInput.Access access) {
                    live.accessEvents.pipeInput(access.key(), access.event(), Instant.ofEpochMilli(now));
                }
                recorded.add(input);
                open.addAll(live.commands.readRecordsToList());
                live.placements.readKeyValuesToList().forEach(kv -> decisions.add(describe(kv.key, kv.value)));
            }
            KeyValueStore<String, DatasetState> states = live.driver.getKeyValueStore(
                    TieringTopology.DATASET_STATE_STORE);
            Map<String, DatasetState> finalStates = Map.of("burst", states.get("burst"),
                    "steady", states.get("steady"), "idle", states.get("idle"));
            return new Recording(recorded, decisions, finalStates);
        }
    }

    /** The test's migrator: a command is done {@link #ANSWER_AFTER} after it was issued, a retire after notBefore. */
    private static void answerDueCommands(ReplayDriver live, List<TestRecord<String, MigrationCommand>> open, long now,
            List<ReplayInput> recorded) {
        boolean answered = true;
        while (answered) {
            answered = false;
            for (TestRecord<String, MigrationCommand> record : List.copyOf(open)) {
                MigrationCommand c = record.value();
                long due = Math.max(c.getIssuedAt().toEpochMilli() + ANSWER_AFTER.toMillis(),
                        c.getNotBefore() == null ? 0 : c.getNotBefore().toEpochMilli());
                if (due > now) {
                    continue;
                }
                open.remove(record);
                MigrationStatus done = MigrationStatus.newBuilder().setCommandId(c.getId()).setKey(c.getKey())
                        .setAction(c.getAction()).setPhase(MigrationPhase.COMPLETED).setSourceSite(c.getSourceSite())
                        .setDestinationSite(c.getDestinationSite()).setBytesDone(c.getSizeBytes())
                        .setSha256(c.getAction() == MigrationAction.RETIRE ? null : ReplayScenario.SHA)
                        .setVersionToken("\"v1\"").setWorker("live").setAt(Instant.ofEpochMilli(due)).build();
                live.statuses.pipeInput(c.getKey(), done, Instant.ofEpochMilli(due));
                recorded.add(new ReplayInput.Status(done, due));
                open.addAll(live.commands.readRecordsToList());
                answered = true;
            }
        }
    }

    private static String describe(String key, Placement p) {
        return key + " " + p.getTier() + " " + p.getPrimarySite() + " " + p.getStorageClass() + " "
                + p.getReplicaSites();
    }
}
