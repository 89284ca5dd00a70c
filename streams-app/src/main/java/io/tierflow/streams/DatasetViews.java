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
 * the topology lays its state out. Works on the stores of one partition (or any store with the same content).
 */
public final class DatasetViews {
    /** Store names the API must query (the stores of the dataset processor that hold per-dataset data). */
    public static final List<String> STORES = List.of(TieringTopology.DATASET_STATE_STORE);

    private DatasetViews() {
    }

    /** The view of {@code key}, or empty if the stores know nothing of it; counts are as of {@code nowMs}. */
    public static Optional<DatasetView> get(Function<String, ReadOnlyKeyValueStore<String, ?>> stores, String key,
            long nowMs) {
        Objects.requireNonNull(key, "dataset key");
        return Optional.ofNullable(view(key, state(stores, key), nowMs));
    }

    /** Up to limit views with key > afterKey (null = from the start), in key order, that match the filter. */
    public static List<DatasetView> page(Function<String, ReadOnlyKeyValueStore<String, ?>> stores, String afterKey,
            int limit, Predicate<DatasetView> filter, long nowMs) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        Objects.requireNonNull(filter, "filter");
        ReadOnlyKeyValueStore<String, ?> store = store(stores, TieringTopology.DATASET_STATE_STORE);
        List<DatasetView> page = new ArrayList<>();
        try (KeyValueIterator<String, ?> entries = afterKey == null ? store.all() : store.range(afterKey, null)) {
            while (entries.hasNext() && page.size() < limit) {
                KeyValue<String, ?> entry = entries.next();
                if (entry.key.equals(afterKey)) {
                    continue; // range() includes its lower bound; the page starts after it
                }
                DatasetView view = view(entry.key, cast(entry.value, DatasetState.class), nowMs);
                if (view != null && filter.test(view)) {
                    page.add(view);
                }
            }
        }
        return page;
    }

    private static DatasetState state(Function<String, ReadOnlyKeyValueStore<String, ?>> stores, String key) {
        return cast(store(stores, TieringTopology.DATASET_STATE_STORE).get(key), DatasetState.class);
    }

    private static DatasetView view(String key, DatasetState state, long nowMs) {
        if (state == null) {
            return null;
        }
        Activity activity = StateMapper.activity(state.getActivity());
        ActivityView activityView = new ActivityView(activity.count1h(nowMs), activity.count24h(nowMs),
                activity.rawHeat(), activity.rawHeatAt(), activity.lastAccess(), Map.copyOf(activity.rawRegionBytes()),
                activity.holt().nextHour(), activity.totalEvents());
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
