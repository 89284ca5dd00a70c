package io.tierflow.streams.store;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store in front of another, the store behind: what the store is (its name, persistence, position,
 * committed offsets, size) is the store behind's, answered as is, and the bulk writes go through the front's own
 * {@link #get} and {@link #put}. The values and the lifecycle are the subclass's business, so a method that touches
 * them is never forwarded by default (a forgotten override would bypass the values held in front).
 */
abstract class StoreInFront<V> implements KeyValueStore<String, V> {
    /** The store behind, which holds every value written through. */
    final KeyValueStore<String, V> stored;

    StoreInFront(KeyValueStore<String, V> stored) {
        this.stored = stored;
    }

    @Override
    public final String name() {
        return stored.name();
    }

    @Override
    public final boolean persistent() {
        return stored.persistent();
    }

    @Override
    public final boolean isOpen() {
        return stored.isOpen();
    }

    @Override
    public final Position getPosition() {
        return stored.getPosition();
    }

    @Override
    public final Long committedOffset(TopicPartition partition) {
        return stored.committedOffset(partition);
    }

    @Override
    public final boolean managesOffsets() {
        return stored.managesOffsets();
    }

    /** The store behind's estimate, which misses keys new since the last commit: an estimate is all it promises. */
    @Override
    public final long approximateNumEntries() {
        return stored.approximateNumEntries();
    }

    @Override
    public final V putIfAbsent(String key, V value) {
        V existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public final void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }
}
