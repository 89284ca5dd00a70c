package io.tierflow.streams.store;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An {@link UpdatableStore} over the store Kafka Streams hands a processor, through its public API only: every
 * {@link #getForUpdate} deserializes a new value (the record cache holds bytes), every {@link #put} serializes it again.
 * Slower than the write-behind store, but it relies on nothing Kafka Streams may change in a minor release.
 */
final class StockStore<V> implements UpdatableStore<V> {
    private final KeyValueStore<String, V> store;

    StockStore(KeyValueStore<String, V> store) {
        this.store = store;
    }

    /** A new value each time, which no other thread can see: changing it needs no lock. */
    @Override
    public V getForUpdate(String key) {
        return store.get(key);
    }

    @Override
    public void put(String key, V value) {
        store.put(key, value);
    }

    @Override
    public V delete(String key) {
        return store.delete(key);
    }

    /** Nothing to end: no value taken is shared. */
    @Override
    public void finishUpdates() {
    }
}
