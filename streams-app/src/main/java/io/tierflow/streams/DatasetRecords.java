package io.tierflow.streams;

import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.streams.domain.CapacityShare;
import io.tierflow.streams.domain.PolicyScopes;
import io.tierflow.streams.store.UpdatableStore;
import java.util.Objects;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A task's dataset records ({@code dataset-state}) and activity values ({@code dataset-activity}). A record changes
 * only here, loaded, changed and then saved or deleted: saving tells the cost ledger and the site capacity what the
 * record holds now against what it held when loaded ({@link CostLedgerWriter#hold}, {@link SiteCapacity#move}), and
 * deleting releases its holdings and takes the dataset out of the due index. Callers cannot forget either, so storage
 * is charged, and capacity counted, without looking at each dataset.
 */
final class DatasetRecords {
    private final KeyValueStore<String, DatasetState> states;
    private final UpdatableStore<DatasetActivity> activities;
    private final CostLedgerWriter costs;
    private final DueScheduler due;
    private final SiteCapacity capacity;

    /** A dataset record loaded to change, with the storage and the site capacity it held when loaded. */
    static final class Loaded {
        final String key;
        final DatasetState state;
        private final CostLedgerWriter.Footprint held;
        private final CapacityShare.Holding capacityHeld;

        private Loaded(String key, DatasetState state, CostLedgerWriter.Footprint held,
                CapacityShare.Holding capacityHeld) {
            this.key = key;
            this.state = state;
            this.held = held;
            this.capacityHeld = capacityHeld;
        }
    }

    /**
     * @param activities its values are changed in place ({@link UpdatableStore#getForUpdate}), so the caller ends
     *     each record's changes with {@link #finishUpdates}
     */
    DatasetRecords(KeyValueStore<String, DatasetState> states, UpdatableStore<DatasetActivity> activities,
            CostLedgerWriter costs, DueScheduler due, SiteCapacity capacity) {
        this.states = states;
        this.capacity = capacity;
        this.activities = activities;
        this.costs = costs;
        this.due = due;
    }

    /**
     * Builds the due index (kept in memory only, see {@link DueIndex}), the storage the task holds and its use of each
     * site's capacity from the records, and returns how many have a command in flight. Runs when the task starts: once
     * its stores are restored, and whenever it starts again here (after a rebalance, or after an aborted transaction).
     */
    long rebuild() {
        due.clear();
        costs.clearHoldings();
        capacity.clear();
        long commandsInFlight = 0;
        try (KeyValueIterator<String, DatasetState> all = states.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                due.restore(entry.key, entry.value);
                costs.addHoldings(CostLedgerWriter.footprint(entry.value));
                capacity.add(SiteCapacity.holding(entry.value));
                if (entry.value.getInFlight() != null) {
                    commandsInFlight++;
                }
            }
        }
        return commandsInFlight;
    }

    /** The dataset's record to change, or null if it has none. */
    Loaded load(String key) {
        DatasetState state = states.get(key);
        return state == null ? null : new Loaded(key, state, CostLedgerWriter.footprint(state),
                SiteCapacity.holding(state));
    }

    /** A new record, for a dataset that has none, to change: it holds nothing yet. */
    Loaded create(String key) {
        return new Loaded(key, StateMapper.newDatasetState(key), null, null);
    }

    /** Writes a changed record, charging and moving the storage it holds (and its bytes per site) if that changed. */
    void save(Loaded record, long now) {
        costs.hold(record.held, CostLedgerWriter.footprint(record.state), now);
        capacity.move(record.capacityHeld, SiteCapacity.holding(record.state));
        states.put(record.key, record.state);
    }

    /** Deletes a record: its storage is charged up to {@code now} and released, and it leaves the due index. */
    void delete(Loaded record, long now) {
        costs.hold(record.held, null, now);
        capacity.move(record.capacityHeld, null);
        due.remove(record.key);
        states.delete(record.key);
    }

    /**
     * The dataset's activity value itself, to change in place and {@link #saveActivity save}; null if it has none. A
     * change not saved is seen in memory but never written (see {@link UpdatableStore#getForUpdate}).
     */
    DatasetActivity activityForUpdate(String key) {
        return activities.getForUpdate(key);
    }

    /** The activity value of a loaded record, to change in place: the stored one, else a new one with its facts. */
    DatasetActivity activityOf(Loaded record) {
        DatasetActivity activity = activities.getForUpdate(record.key);
        return activity != null ? activity : newActivity(record.state);
    }

    /** A new activity value for a dataset without one, with the facts of its record (if it has one). */
    static DatasetActivity newActivity(DatasetState state) {
        DatasetActivity activity = DatasetActivity.empty();
        if (state != null) {
            copyFacts(state, activity);
        }
        return activity;
    }

    /** Copies what the event path needs to know of the dataset record into its activity value. */
    static void copyFacts(DatasetState state, DatasetActivity activity) {
        Dataset inventory = state.getInventory();
        activity.placed = inventory != null;
        activity.sizeBytes = inventory == null ? 0 : inventory.getSizeBytes();
        activity.slaMs = inventory == null || inventory.getLatencySlaMs() == null ? Double.NaN
                : inventory.getLatencySlaMs();
        activity.tier = StateMapper.tier(state.getTier());
    }

    /**
     * Keeps the owner and media type a policy's scope may be matched on in the activity value, where the event path
     * finds them, while some policy is scoped by them ({@code wanted}); otherwise keeps none, so the value written at
     * every commit does not carry them for nothing. They are set (or cleared) when the dataset is looked at, and a
     * catalogue change makes every dataset due: until its next look an event is matched on what the value holds (an
     * older layout's value holds none).
     */
    static void copyScopeFacts(Dataset inventory, DatasetActivity activity, boolean wanted) {
        String owner = !wanted || inventory == null ? null : inventory.getOwner();
        String mediaType = !wanted || inventory == null ? null : PolicyScopes.mediaType(inventory.getContentType());
        if (!Objects.equals(owner, activity.owner)) {
            activity.owner = owner;
        }
        if (!Objects.equals(mediaType, activity.mediaType)) {
            activity.mediaType = mediaType;
        }
    }

    /** Saves a changed activity value: it is written at the next commit. */
    void saveActivity(String key, DatasetActivity activity) {
        activities.put(key, activity);
    }

    void deleteActivity(String key) {
        activities.delete(key);
    }

    /** Ends the in-place changes of held values (activity, cost-ledger entries): readers copy them again. */
    void finishUpdates() {
        activities.finishUpdates();
        costs.finishUpdates();
    }
}
