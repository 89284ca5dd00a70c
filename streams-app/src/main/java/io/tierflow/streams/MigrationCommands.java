package io.tierflow.streams;

import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.streams.domain.CopyVersions;
import io.tierflow.streams.domain.MigrationPlanner;
import io.tierflow.streams.domain.PlacementDecision;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Issues migration commands, one in flight per dataset, and counts this task's commands in flight: from the dataset
 * records when the task starts, then as commands are issued and end.
 */
final class MigrationCommands {
    private final ProcessorContext<String, TieringOutput> context;
    private final Catalogue catalogue;
    private final TieringMetrics metrics;
    private final boolean wallClockSequences;
    private final MigrationAdmission admission;
    private long inFlight;

    /** @param wallClockSequences whether sequences also follow the wall clock (not in replays: see {@link #sequence}) */
    MigrationCommands(ProcessorContext<String, TieringOutput> context, Catalogue catalogue, TieringMetrics metrics,
            long inFlight, boolean wallClockSequences, MigrationAdmission admission) {
        this.context = context;
        this.admission = admission;
        this.catalogue = catalogue;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.wallClockSequences = wallClockSequences;
    }

    /**
     * Issues {@code step} (if any) unless the migration budget holds it back: a COPY the budget has no room for waits
     * and is decided anew when it has (see {@link MigrationAdmission}).
     */
    void issueWithinBudget(DatasetState state, MigrationPlanner.Step step, PlacementDecision decision, long now) {
        if (admission.mayIssue(state, step, decision, now)) {
            issue(state, step, now);
        }
    }

    /** Sends the command for {@code step} and records it in the dataset's record as the one in flight. */
    private void issue(DatasetState state, MigrationPlanner.Step step, long now) {
        Dataset inventory = state.getInventory();
        String id = CommandIds.of(state.getKey(), step.action().name(), step.source(), step.destination(),
                step.storageClass(), inventory.getVersionToken(), state.getCommandsIssued());
        MigrationCommand command = MigrationCommand.newBuilder()
                .setId(id)
                .setKey(state.getKey())
                .setAction(action(step.action()))
                .setSourceSite(step.source())
                .setDestinationSite(step.destination())
                .setStorageClass(step.storageClass())
                .setExpectedVersionToken(inventory.getVersionToken())
                .setExpectedSha256(inventory.getSha256())
                .setSizeBytes(inventory.getSizeBytes())
                .setNotBefore(step.notBeforeMs() > 0 ? Instant.ofEpochMilli(step.notBeforeMs()) : null)
                .setReason(step.reason())
                .setRequireEncryption(catalogue.policyOf(state).encryptedOnly())
                .setIssuedAt(Instant.ofEpochMilli(now))
                // What the migrator must keep and how new the decision is: a RETIRE deletes nothing unless the
                // primary's copy is there, and a command older than one the migrator saw is skipped as superseded.
                .setSequence(sequence(state, now))
                .setKeepSite(step.action() == MigrationPlanner.Action.RETIRE ? state.getPrimarySite() : null)
                // Each copy as its own store knows it: a copy on a file store or written in parts has another
                // token than the inventory's, and the migrator checks the source (and the kept copy) against it.
                .setKeepVersionToken(step.action() == MigrationPlanner.Action.RETIRE
                        ? CopyVersions.tokenOf(state.getCopyVersions(), state.getPrimarySite(),
                                inventory.getVersionToken()) : null)
                .setSourceVersionToken(CopyVersions.tokenOf(state.getCopyVersions(), step.source(),
                        inventory.getVersionToken()))
                .build();
        state.setInFlight(command);
        state.setInFlightPhase(null);
        state.setCommandsIssued(state.getCommandsIssued() + 1);
        state.setLastMoveAt(now);
        context.forward(new Record<>(state.getKey(), TieringOutput.command(command), now));
        metrics.commandIssued(command.getAction());
        inFlight++;
    }

    /**
     * The command's sequence: a time (epoch ms), not a count. A dataset deleted and registered again starts from an
     * empty record, where a count would start again at 1, below the commands of its earlier life, and the migrator
     * would take a replay of one of those for the newest. A time goes on: the later of the time the command is made at
     * and the wall clock (which event time may lag; not in replays, which must not depend on it), and above the
     * previous command of the record, so it grows with every command of a dataset, across deletes too as long as the
     * clock does not step back further than the time between them.
     */
    private long sequence(DatasetState state, long now) {
        long time = wallClockSequences ? Math.max(now, context.currentSystemTimeMs()) : now;
        return Math.max(time, state.getLastMoveAt() + 1);
    }

    /** The dataset's command in flight ended: it completed or failed, or its dataset is gone. */
    void ended(String key, long now) {
        inFlight--;
        admission.ended(key, now);
    }

    /** The dataset is gone: a move of it waiting for the budget waits no more. */
    void forget(String key) {
        admission.forget(key);
    }

    long inFlight() {
        return inFlight;
    }

    static MigrationAction action(MigrationPlanner.Action action) {
        return switch (action) {
            case COPY -> MigrationAction.COPY;
            case SWITCH -> MigrationAction.SWITCH;
            case RETIRE -> MigrationAction.RETIRE;
        };
    }

    static MigrationPlanner.Action action(MigrationAction action) {
        return switch (action) {
            case COPY -> MigrationPlanner.Action.COPY;
            case SWITCH -> MigrationPlanner.Action.SWITCH;
            case RETIRE -> MigrationPlanner.Action.RETIRE;
        };
    }
}
