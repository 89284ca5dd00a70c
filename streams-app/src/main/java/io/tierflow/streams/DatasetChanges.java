package io.tierflow.streams;

import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.GlobalPin;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.streams.domain.CompletedStep;
import io.tierflow.streams.domain.CopyVersions;
import java.util.ArrayList;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What changes a dataset record besides access events and its due time: its inventory entry (or its deletion), the
 * status of its migration command, and an operator's request to re-optimise.
 */
final class DatasetChanges {
    /** Control target meaning every dataset. */
    static final String ALL = "*";
    static final String CHECKSUM_MISMATCH = "checksum_mismatch";
    private final ProcessorContext<String, TieringOutput> context;
    private final DatasetRecords records;
    private final UnregisteredActivity unregistered;
    private final DatasetEvaluation evaluation;
    private final MigrationCommands commands;
    private final DueScheduler due;
    private final CostLedgerWriter costs;
    private final Catalogue catalogue;

    DatasetChanges(ProcessorContext<String, TieringOutput> context, DatasetRecords records,
            UnregisteredActivity unregistered, DatasetEvaluation evaluation, MigrationCommands commands,
            DueScheduler due, CostLedgerWriter costs, Catalogue catalogue) {
        this.context = context;
        this.records = records;
        this.unregistered = unregistered;
        this.evaluation = evaluation;
        this.commands = commands;
        this.due = due;
        this.costs = costs;
        this.catalogue = catalogue;
    }

    /** A dataset's inventory entry: taken in and the dataset evaluated; a tombstone deletes everything of it. */
    void inventory(String key, Dataset dataset, long timestamp, long now) {
        DatasetRecords.Loaded record = records.load(key);
        DatasetActivity stored = records.activityForUpdate(key);
        DatasetActivity early = stored == null ? unregistered.take(key) : null; // events read before this entry
        DatasetActivity activity = stored != null ? stored : early != null ? early
                : DatasetRecords.newActivity(record == null ? null : record.state);
        if (dataset == null) {
            if (record != null) {
                costs.chargeReads(record.state, activity.uncharged, now);
                records.delete(record, now);
                if (record.state.getInFlight() != null) {
                    commands.ended(key, now); // its status, if one comes, finds no record and is dropped
                }
                commands.forget(key);
            }
            if (stored != null) {
                records.deleteActivity(key);
            }
            context.forward(new Record<>(key, TieringOutput.placement(null), timestamp));
            return;
        }
        if (record == null) {
            record = records.create(key);
        }
        DatasetState state = record.state;
        Dataset previous = state.getInventory();
        state.setInventory(dataset);
        if (state.getPrimarySite() == null) {
            // The inventory says where the dataset is until Tierflow moves it; afterwards completed migrations do.
            state.setPrimarySite(dataset.getPrimarySite());
            state.setReplicaSites(new ArrayList<>(dataset.getReplicaSites()));
            state.setStorageClass(dataset.getStorageClass());
            state.setCopyVersions(CopyVersions.ofInventory(dataset.getVersionToken(), dataset.getPrimarySite(),
                    dataset.getReplicaSites()));
        } else if (previous != null && CopyVersions.versionChanged(previous.getVersionToken(), previous.getSha256(),
                dataset.getVersionToken(), dataset.getSha256())) {
            // The owner wrote a new version: copies still holding the old one leave the placement.
            CopyVersions.Placed after = CopyVersions.afterNewVersion(new CopyVersions.Placed(state.getPrimarySite(),
                    state.getReplicaSites(), state.getStorageClass(), state.getCopyVersions()),
                    previous.getVersionToken(), dataset.getVersionToken(), dataset.getPrimarySite(),
                    dataset.getReplicaSites(), dataset.getStorageClass());
            state.setPrimarySite(after.primary());
            state.setReplicaSites(after.replicas());
            state.setStorageClass(after.storageClass());
            state.setCopyVersions(after.versions());
        }
        DatasetRecords.copyFacts(state, activity);
        evaluation.evaluate(state, activity, now);
        records.save(record, now);
        records.saveActivity(key, activity);
    }

    /** A status of the dataset's command in flight: progress is shown, the end of a step applied. */
    void status(String key, MigrationStatus status, long now) {
        if (status == null) {
            return;
        }
        DatasetRecords.Loaded record = records.load(key);
        MigrationCommand inFlight = record == null ? null : record.state.getInFlight();
        if (inFlight == null || !inFlight.getId().equals(status.getCommandId())) {
            return; // a status for a command that is no longer current (duplicate or stale)
        }
        DatasetState state = record.state;
        if (status.getPhase() == MigrationPhase.COMPLETED || status.getPhase() == MigrationPhase.FAILED
                || status.getPhase() == MigrationPhase.SUPERSEDED) {
            commands.ended(key, now);
        }
        switch (status.getPhase()) {
            case COMPLETED -> {
                DatasetActivity activity = records.activityOf(record);
                costs.chargeReads(state, activity.uncharged, now); // at the old placement, before it changes
                String failure = applyCompleted(state, inFlight, status);
                state.setInFlight(null);
                state.setInFlightPhase(null);
                state.setLastFailure(failure);
                if (failure == null) {
                    evaluation.evaluate(state, activity, now);
                } else {
                    due.schedule(state, now + catalogue.policyOf(state).cooldownMs());
                }
                records.saveActivity(key, activity);
            }
            case FAILED, SUPERSEDED -> { // SUPERSEDED: the migrator saw a newer command; it changed nothing
                state.setInFlight(null);
                state.setInFlightPhase(null);
                state.setLastFailure(status.getErrorCode() != null ? status.getErrorCode()
                        : status.getPhase() == MigrationPhase.SUPERSEDED ? "superseded" : "failed");
                // Not at once: a site that just failed is not hammered; try again after the cooldown.
                due.schedule(state, now + catalogue.policyOf(state).cooldownMs());
            }
            default -> state.setInFlightPhase(status.getPhase()); // progress: only shown to readers
        }
        records.save(record, now);
    }

    /** Applies a completed step to the record's copies; returns an error code if the step must not be trusted. */
    private static String applyCompleted(DatasetState state, MigrationCommand command, MigrationStatus status) {
        CompletedStep.Copies after = CompletedStep.apply(
                new CompletedStep.Copies(state.getPrimarySite(), state.getReplicaSites(), state.getStorageClass()),
                MigrationCommands.action(command.getAction()), command.getSourceSite(), command.getDestinationSite(),
                command.getStorageClass(), state.getInventory() == null ? null : state.getInventory().getSha256(),
                status.getSha256());
        if (after == null) {
            return CHECKSUM_MISMATCH;
        }
        state.setPrimarySite(after.primary());
        state.setReplicaSites(after.replicas());
        state.setStorageClass(after.storageClass());
        state.setCopyVersions(CopyVersions.afterStep(state.getCopyVersions(), MigrationCommands.action(
                command.getAction()), command.getSourceSite(), command.getDestinationSite(), status.getVersionToken()));
        return null;
    }

    /**
     * An operator's REOPTIMIZE: listed datasets are evaluated now; target '*' with no keys makes every dataset of this
     * partition due at the next punctuation, which re-evaluates them within its per-run bound. One that carries a
     * global pass's pin ({@link GlobalPins}) keeps it in the dataset's record before the look.
     */
    void reoptimize(ControlCommand command, long now) {
        // Decided on the catalogue as it is now, not as the last punctuation saw it (a change makes the rest due).
        if (catalogue.refresh()) {
            due.makeEveryDatasetDue();
        }
        GlobalPin pin = GlobalPins.of(command); // the global pass's pin on one dataset's primary, if it is one
        if (!command.getKeys().isEmpty()) {
            for (String key : command.getKeys()) {
                DatasetRecords.Loaded record = records.load(key);
                if (record == null || record.state.getInventory() == null) {
                    continue; // not a dataset of this partition, or nothing known to place yet
                }
                if (pin != null) {
                    record.state.setGlobalPin(pin);
                }
                DatasetActivity activity = records.activityOf(record);
                evaluation.evaluate(record.state, activity, now);
                records.save(record, now);
                records.saveActivity(key, activity);
            }
        } else if (ALL.equals(command.getTarget())) {
            // Through the due index alone, as a catalogue change does: no record is read or written here, and the
            // next punctuations evaluate every dataset within their per-run bound.
            due.makeEveryDatasetDue();
        } else {
            throw new IllegalArgumentException("REOPTIMIZE needs dataset keys, or target '" + ALL
                    + "' for every dataset; got target '" + command.getTarget() + "' and no keys");
        }
    }
}
