package io.tierflow.streams.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A key-value store of objects held in a hash map and never serialized, for {@link StoreImplementation#IN_MEMORY}'s
 * stores written at every event or step (a topology run in Kafka's TopologyTestDriver, {@code tierflow whatif}). The
 * same contract as {@link WriteBehindStore} to the topology: {@link #get} hands out a copy, {@link #put} keeps the
 * object it is given, {@link #getForUpdate} hands out the held object itself to change in place and put back. Where the
 * write-behind store writes every value changed since the last commit through its serde to the store behind, this one
 * has nothing behind: nothing restores a replay's state or reads a changelog of it, and a held value is what its
 * serde would give back (the write-behind store relies on that too, for every value it holds). Iterations sort a
 * snapshot of the keys in stored order (as {@link HashedInMemoryStore}'s do) and hand out copies.
 *
 * <p>One thread only (the driver's): it takes no lock, and a value changed in place is seen at once. Not logged, not
 * persistent; never for a live node.
 */
final class HeldInMemoryStore<V> implements KeyValueStore<String, V>, UpdatableStore<V> {
    private final String name;
    private final UnaryOperator<V> copy;
    private final Map<String, V> held = new HashMap<>();
    private boolean open;

    /**
     * @param copy makes an independent copy of a value, equal to what a round trip through the value's serde gives
     */
    HeldInMemoryStore(String name, UnaryOperator<V> copy) {
        this.name = name;
        this.copy = copy;
    }

    /** A builder of these stores: nothing logged, no record cache (the store holds its values itself). */
    static <V> StoreBuilder<HeldInMemoryStore<V>> builder(String name, UnaryOperator<V> copy) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<HeldInMemoryStore<V>> withCachingEnabled() {
                throw new UnsupportedOperationException("the " + name + " store holds its values itself; a record "
                        + "cache cannot be added");
            }

            @Override
            public StoreBuilder<HeldInMemoryStore<V>> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<HeldInMemoryStore<V>> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException("the " + name + " store is held in memory only; it keeps no "
                        + "changelog");
            }

            @Override
            public StoreBuilder<HeldInMemoryStore<V>> withLoggingDisabled() {
                return this;
            }

            @Override
            public HeldInMemoryStore<V> build() {
                return new HeldInMemoryStore<>(name, copy);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        if (root != null) {
            context.register(root, (key, value) -> {
                throw new IllegalStateException("the in-memory store " + name + " has no changelog to restore from");
            });
        }
        held.clear();
        open = true;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public Position getPosition() {
        return Position.emptyPosition();
    }

    @Override
    public V get(String key) {
        V value = held.get(key);
        return value == null ? null : copy.apply(value);
    }

    /** The held value itself, to change in place and {@link #put} back; null if there is none. */
    @Override
    public V getForUpdate(String key) {
        return held.get(key);
    }

    @Override
    public void finishUpdates() {
        // no reader on another thread to let in again
    }

    /** Keeps {@code value} (not a copy): it must not be changed afterwards, except after {@link #getForUpdate}. */
    @Override
    public void put(String key, V value) {
        if (value == null) {
            held.remove(key);
        } else {
            held.put(key, value);
        }
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(String key) {
        return held.remove(key); // no longer held: the caller may have it
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return iterator(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return iterator(null, null);
    }

    @Override
    public long approximateNumEntries() {
        return held.size();
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        // nothing behind to write to
    }

    @Override
    public void close() {
        held.clear();
        open = false;
    }

    /** Keys from {@code from} to {@code to} (both included; null: unbounded) in stored order, each value a copy. */
    private KeyValueIterator<String, V> iterator(String from, String to) {
        List<String> keys = new ArrayList<>();
        if (from == null || to == null || StoredOrder.compare(from, to) <= 0) {
            for (String key : held.keySet()) {
                if ((from == null || StoredOrder.compare(key, from) >= 0)
                        && (to == null || StoredOrder.compare(key, to) <= 0)) {
                    keys.add(key);
                }
            }
        }
        keys.sort(StoredOrder::compare);
        return new KeyValueIterator<>() {
            private int next;

            /** Whether a key from the next position on still has a value (deleted ones are skipped when reached). */
            @Override
            public boolean hasNext() {
                while (next < keys.size() && !held.containsKey(keys.get(next))) {
                    next++;
                }
                return next < keys.size();
            }

            @Override
            public KeyValue<String, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String key = keys.get(next++);
                return new KeyValue<>(key, get(key));
            }

            @Override
            public String peekNextKey() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return keys.get(next);
            }

            @Override
            public void close() {
                // a snapshot of keys: nothing to release
            }
        };
    }
}
