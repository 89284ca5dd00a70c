package io.tierflow.streams;

import io.tierflow.schemas.DatasetState;
import io.tierflow.streams.domain.MigrationBudget;
import io.tierflow.streams.domain.MigrationBudgets;
import io.tierflow.streams.domain.MigrationPlanner;
import io.tierflow.streams.domain.MovePriority;
import io.tierflow.streams.domain.PlacementDecision;
import io.tierflow.streams.domain.TieringPolicy;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Holds COPY steps to the task's share of the policy's migration budget ({@link MigrationBudget}): the share is the
 * budget divided by the partitions of the dataset inputs, so the tasks together never exceed it wherever they run
 * (ADR 16). What the budget counts and what waits is kept in the {@code migration-budget} store (logged), so a restart
 * or a rebalance loses nothing. SWITCH and RETIRE move no bytes and are never held. A move that waits is looked at
 * again when the budget has room for it (the due index), and decided anew then. A policy with a budget share moves its
 * datasets in a pool of its own ({@link MigrationBudgets}).
 */
final class MigrationAdmission {
    private final KeyValueStore<String, byte[]> store;
    private final KeyValueStore<String, DatasetState> states;
    private final Catalogue catalogue;
    private final DueScheduler due;
    private final DatasetAlerts alerts;
    private final TieringSettings settings;
    private final int partitions;
    private final MigrationBudgets budget;
    /** The backlog as of the last change, for the gauges (read on other threads). */
    private volatile MigrationBudget.Backlog backlog = new MigrationBudget.Backlog(0, 0, 0.0);
    private boolean checkedInFlight;

    MigrationAdmission(KeyValueStore<String, byte[]> store, KeyValueStore<String, DatasetState> states,
            Catalogue catalogue, DueScheduler due, DatasetAlerts alerts, TieringSettings settings, int partitions) {
        this.store = store;
        this.states = states;
        this.catalogue = catalogue;
        this.due = due;
        this.alerts = alerts;
        this.settings = settings;
        this.partitions = partitions;
        this.budget = new MigrationBudgets(new StoreJournal());
        restore();
    }

    /**
     * Whether {@code step}, decided for the dataset at {@code now}, may be issued: a COPY if the budget admits it (else
     * it waits, deferred); any other step at once. No step, or another than a COPY, ends the dataset's wait.
     */
    boolean mayIssue(DatasetState state, MigrationPlanner.Step step, PlacementDecision decision, long now) {
        if (step == null || step.action() != MigrationPlanner.Action.COPY) {
            if (budget.isWaiting(state.getKey())) {
                budget.withdraw(state.getKey());
                backlog = budget.backlog();
            }
            return step != null;
        }
        share();
        TieringPolicy policy = catalogue.policyOf(state);
        MigrationBudget.Move move = MovePriority.of(state.getKey(), state.getInventory().getSizeBytes(), step,
                state.getPrimarySite(), state.getStorageClass(), decision, catalogue.sites(), policy.horizonMonths(),
                now);
        boolean admitted = budget.request(budget.poolOf(policy.name()), move, now);
        backlog = budget.backlog();
        return admitted;
    }

    /** The dataset's command in flight ended (or the dataset is gone); a COPY's bytes count for an hour more. */
    void ended(String key, long now) {
        budget.ended(key, now);
    }

    /** The dataset is gone: it waits no more. */
    void forget(String key) {
        if (budget.isWaiting(key)) {
            budget.withdraw(key);
            backlog = budget.backlog();
        }
    }

    /**
     * On the clock: the copies whose hour has passed stop counting, the waiting moves the budget now has room for are
     * made due at once (the punctuation that follows looks at them), and the backlog is measured and reported.
     */
    void punctuate(long now) {
        share();
        if (!checkedInFlight) {
            endCopiesNoLongerInFlight(now);
            checkedInFlight = true;
        }
        for (String key : budget.release(now)) {
            DatasetState state = states.get(key);
            if (state == null || state.getInventory() == null || state.getInFlight() != null) {
                budget.withdraw(key); // gone, or moving already: nothing waits for the budget any more
            } else {
                due.dueBy(key, now);
            }
        }
        backlog = budget.backlog();
        alerts.reportBacklogDrain(backlog, settings.migrationBacklogDrainLimit(), now);
    }

    MigrationBudget.Backlog backlog() {
        return backlog;
    }

    /**
     * Sets this task's share of the budget in force (the default policy's, or none: the built-in policy), split by the
     * policies' budget shares.
     */
    private void share() {
        budget.share(MigrationBudget.shareOf(catalogue.migrationBudgetBytesPerHour(), partitions),
                catalogue.budgetShares());
    }

    private void restore() {
        share();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                MigrationBudget.Copy copy = MigrationBudgetCodec.copy(entry.key, entry.value);
                if (copy != null) {
                    budget.restore(poolOf(copy.key()), copy);
                } else {
                    MigrationBudget.Move move = MigrationBudgetCodec.move(entry.key, entry.value);
                    budget.restore(poolOf(move.key()), move);
                }
            }
        }
    }

    /** The pool of a dataset's moves under the policy in force now (the common pool when the dataset is gone). */
    private String poolOf(String key) {
        DatasetState state = states.get(key);
        return state == null ? MigrationBudgets.COMMON : budget.poolOf(catalogue.policyOf(state).name());
    }

    /**
     * A copy counted as in flight whose dataset has no COPY in flight any more ended while the status was not seen here
     * (a store kept from before, a status that ended the command on another path): it ends now, so the budget does
     * not keep counting it for ever.
     */
    private void endCopiesNoLongerInFlight(long now) {
        for (String key : budget.inFlightKeys()) {
            DatasetState state = states.get(key);
            if (state == null || state.getInFlight() == null
                    || state.getInFlight().getAction() != io.tierflow.schemas.MigrationAction.COPY) {
                budget.ended(key, now);
            }
        }
    }

    /** Keeps every change of the budget in the task's store. */
    private final class StoreJournal implements MigrationBudget.Journal {
        @Override
        public void copy(MigrationBudget.Copy copy) {
            store.put(MigrationBudgetCodec.key(copy), MigrationBudgetCodec.encode(copy));
        }

        @Override
        public void copyExpired(MigrationBudget.Copy copy) {
            store.delete(MigrationBudgetCodec.key(copy));
        }

        @Override
        public void waiting(MigrationBudget.Move move) {
            store.put(MigrationBudgetCodec.key(move), MigrationBudgetCodec.encode(move));
        }

        @Override
        public void notWaiting(String key) {
            store.delete(MigrationBudgetCodec.waitingKey(key));
        }
    }
}
