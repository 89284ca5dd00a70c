package io.tierflow.streams.store;

import java.util.List;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/**
 * Hands back the task's own key-value store instead of Kafka Streams' usual wrapper, which finds the task again on
 * every read (under a lock the stream thread takes in every loop iteration). For queries of one partition
 * ({@code StoreQueryParameters.withPartition}), of plain key-value stores only: a timestamped one's values would need
 * unwrapping. It relies on what Kafka Streams' internal {@link StateStoreProvider} hands {@link #create}: the task's
 * registered store itself (see {@code KafkaStreamsContractTest}).
 */
final class TaskStoreQuery implements QueryableStoreType<ReadOnlyKeyValueStore<?, ?>> {
    static final TaskStoreQuery INSTANCE = new TaskStoreQuery();

    private TaskStoreQuery() {
    }

    @Override
    public boolean accepts(StateStore store) {
        return store instanceof ReadOnlyKeyValueStore && !(store instanceof TimestampedKeyValueStore);
    }

    @Override
    public ReadOnlyKeyValueStore<?, ?> create(StateStoreProvider provider, String storeName) {
        // The query names one partition, so there is exactly one store (none: the provider throws).
        List<ReadOnlyKeyValueStore<?, ?>> stores = provider.stores(storeName, this);
        if (stores.size() != 1) {
            throw new InvalidStateStoreException("expected one active store " + storeName + " for the partition, "
                    + "found " + stores.size());
        }
        return stores.get(0);
    }
}
