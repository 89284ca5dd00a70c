package io.tierflow.streams;

import io.tierflow.streams.domain.Tier;

/**
 * What the dataset processor does on the clock: picks up changes of the catalogue, signals site changes and the
 * backlog, charges the task's storage, and evaluates the datasets that are due, at most the bound per punctuation.
 */
final class DuePunctuator {
    private final TieringSettings settings;
    private final Catalogue catalogue;
    private final DatasetRecords records;
    private final DatasetEvaluation evaluation;
    private final DueScheduler due;
    private final DatasetAlerts alerts;
    private final MigrationCommands commands;
    private final CostLedgerWriter costs;
    private final LiveModelScoring live;

    DuePunctuator(TieringSettings settings, Catalogue catalogue, DatasetRecords records, DatasetEvaluation evaluation,
            DueScheduler due, DatasetAlerts alerts, MigrationCommands commands, CostLedgerWriter costs,
            LiveModelScoring live) {
        this.live = live;
        this.settings = settings;
        this.catalogue = catalogue;
        this.records = records;
        this.evaluation = evaluation;
        this.due = due;
        this.alerts = alerts;
        this.commands = commands;
        this.costs = costs;
    }

    /** One punctuation at wall-clock time {@code wallClockMs}; evaluates at the clock the settings choose. */
    void punctuate(long wallClockMs, long streamTime) {
        if (catalogue.refresh()) {
            due.makeEveryDatasetDue();
        }
        long now = settings.eventTimeClock() ? streamTime : Math.max(streamTime, wallClockMs);
        if (now <= 0) {
            return;
        }
        alerts.checkSites(catalogue.sites(), now);
        alerts.reportBacklog(commands.inFlight(), now);
        costs.chargeStorage(now);
        for (DueIndex.Due taken : due.takeDue(now)) {
            String key = taken.key();
            DatasetRecords.Loaded record = records.load(key);
            if (record == null) {
                continue; // cannot happen while the index follows every record (a deleted dataset leaves it)
            }
            DueScheduler.taken(record.state);
            if (record.state.getInventory() != null) {
                DatasetActivity stored = records.activityForUpdate(key);
                DatasetActivity activity = stored != null ? stored : DatasetRecords.newActivity(record.state);
                boolean readsToCharge = !activity.uncharged.isEmpty();
                Tier tierBefore = activity.tier;
                evaluation.evaluate(record.state, activity, now);
                // Most due datasets are idle: their look changes the dataset record only. The activity value is
                // written when the look changed it (reads charged and cleared, a new tier) or it is new, which
                // spares most due evaluations a serialization and a record-cache write.
                if (stored == null || readsToCharge || activity.tier != tierBefore) {
                    records.saveActivity(key, activity);
                }
                records.finishUpdates(); // readers may copy them again before the next dataset is looked at
            } else {
                due.unschedule(key);
            }
            records.save(record, now);
        }
        live.labelDue(now, settings.maxEvaluationsPerPunctuation(), key -> {
            DatasetActivity activity = records.activityForUpdate(key);
            return activity == null ? Long.MIN_VALUE : activity.activity.lastAccess();
        });
        records.finishUpdates();
    }
}
