package io.tierflow.streams;

import io.tierflow.schemas.DatasetState;
import io.tierflow.streams.domain.Activity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads {@link DatasetView}s out of the dataset processor's stores, so readers (the query API) never depend on how
 * the topology lays its state out: a dataset's activity is in {@code dataset-activity}, the rest (once it has an
 * inventory entry or a decision) in {@code dataset-state}. Works on the stores of one partition (or any stores with
 * the same content).
 */
public final class DatasetViews {
    /** Store names the API must query (the stores of the dataset processor that hold per-dataset data). */
    public static final List<String> STORES = List.of(TieringTopology.DATASET_ACTIVITY_STORE,
            TieringTopology.DATASET_STATE_STORE);

    private DatasetViews() {
    }

    /** The view of {@code key}, or empty if the stores know nothing of it; counts are as of {@code nowMs}. */
    public static Optional<DatasetView> get(Function<String, ReadOnlyKeyValueStore<String, ?>> stores, String key,
            long nowMs) {
        Objects.requireNonNull(key, "dataset key");
        DatasetActivity activity = cast(store(stores, TieringTopology.DATASET_ACTIVITY_STORE).get(key),
                DatasetActivity.class);
        DatasetState state = cast(store(stores, TieringTopology.DATASET_STATE_STORE).get(key), DatasetState.class);
        return Optional.ofNullable(view(key, activity, state, nowMs));
    }

    /** Up to limit views with key > afterKey (null = from the start), in key order, that match the filter. */
    public static List<DatasetView> page(Function<String, ReadOnlyKeyValueStore<String, ?>> stores, String afterKey,
            int limit, Predicate<DatasetView> filter, long nowMs) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        Objects.requireNonNull(filter, "filter");
        ReadOnlyKeyValueStore<String, ?> activityStore = store(stores, TieringTopology.DATASET_ACTIVITY_STORE);
        ReadOnlyKeyValueStore<String, ?> stateStore = store(stores, TieringTopology.DATASET_STATE_STORE);
        List<DatasetView> page = new ArrayList<>();
        // A dataset may be in either store or both: walk both in key order, side by side.
        try (KeyValueIterator<String, ?> activities = from(activityStore, afterKey);
                KeyValueIterator<String, ?> states = from(stateStore, afterKey)) {
            KeyValue<String, ?> a = next(activities, afterKey);
            KeyValue<String, ?> s = next(states, afterKey);
            while ((a != null || s != null) && page.size() < limit) {
                int order = a == null ? 1 : s == null ? -1 : compareAsStored(a.key, s.key);
                String key = order <= 0 ? a.key : s.key;
                DatasetActivity activity = order <= 0 ? cast(a.value, DatasetActivity.class) : null;
                DatasetState state = order >= 0 ? cast(s.value, DatasetState.class) : null;
                if (order <= 0) {
                    a = next(activities, afterKey);
                }
                if (order >= 0) {
                    s = next(states, afterKey);
                }
                DatasetView view = view(key, activity, state, nowMs);
                if (view != null && filter.test(view)) {
                    page.add(view);
                }
            }
        }
        return page;
    }

    private static KeyValueIterator<String, ?> from(ReadOnlyKeyValueStore<String, ?> store, String afterKey) {
        return afterKey == null ? store.all() : store.range(afterKey, null);
    }

    /** The next entry after {@code afterKey}: range() includes its lower bound, a page starts after it. */
    private static KeyValue<String, ?> next(KeyValueIterator<String, ?> entries, String afterKey) {
        while (entries.hasNext()) {
            KeyValue<String, ?> entry = entries.next();
            if (!entry.key.equals(afterKey)) {
                return entry;
            }
        }
        return null;
    }

    /** The stores' order: of the keys' UTF-8 bytes, which is the order of their code points. */
    static int compareAsStored(String left, String right) {
        int i = 0;
        int j = 0;
        while (i < left.length() && j < right.length()) {
            int l = left.codePointAt(i);
            int r = right.codePointAt(j);
            if (l != r) {
                return Integer.compare(l, r);
            }
            i += Character.charCount(l);
            j += Character.charCount(r);
        }
        return Integer.compare(left.length() - i, right.length() - j);
    }

    private static DatasetView view(String key, DatasetActivity stored, DatasetState state, long nowMs) {
        if (stored == null && state == null) {
            return null;
        }
        Activity activity = stored != null ? stored.activity : new Activity();
        ActivityView activityView = new ActivityView(activity.count1h(nowMs), activity.count24h(nowMs),
                activity.rawHeat(), activity.rawHeatAt(), activity.lastAccess(), Map.copyOf(activity.rawRegionBytes()),
                activity.holt().nextHour(), activity.totalEvents());
        if (state == null) {
            return new DatasetView(key, null, activityView, null, null, List.of(), null, null, null, null, null, -1L,
                    0L);
        }
        return new DatasetView(key, state.getInventory(), activityView, state.getTier(), state.getPrimarySite(),
                List.copyOf(state.getReplicaSites()), state.getStorageClass(), state.getLastPlacement(),
                state.getInFlight(), state.getInFlightPhase(), state.getLastFailure(), state.getDueAt(),
                state.getLastMoveAt());
    }

    private static ReadOnlyKeyValueStore<String, ?> store(Function<String, ReadOnlyKeyValueStore<String, ?>> stores,
            String name) {
        ReadOnlyKeyValueStore<String, ?> store = stores.apply(name);
        if (store == null) {
            throw new IllegalArgumentException("no store named '" + name + "' was given; DatasetViews needs " + STORES);
        }
        return store;
    }

    private static <T> T cast(Object value, Class<T> type) {
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new IllegalArgumentException("expected a " + type.getSimpleName() + " in the store, found a "
                + value.getClass().getName() + ": the store given under that name is not the topology's");
    }
}
