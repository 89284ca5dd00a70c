package io.tierflow.streams.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store of bytes held in a hash map, for {@link StoreImplementation#IN_MEMORY} (a topology run in Kafka's
 * TopologyTestDriver, {@code tierflow whatif}): the same contract as Kafka's in-memory store, but a key is found by its
 * hash rather than by comparing it with a dozen others. Kafka's keeps a sorted map for its range queries, and the
 * tiering topology's stores are read and written by key at every event, migration step and commit, and iterated only
 * when a task starts and when alerts are swept; so the iterations here sort a snapshot of the keys (as Kafka's does,
 * each value is read when the iterator reaches it). Public Kafka Streams API only. Not logged by itself: restored
 * only from a changelog the builder adds.
 */
final class HashedInMemoryStore implements KeyValueStore<Bytes, byte[]> {
    private final String name;
    private final Map<Bytes, byte[]> map = new HashMap<>();
    private volatile boolean open;

    HashedInMemoryStore(String name) {
        this.name = name;
    }

    /** A supplier of these stores, for {@code Stores.keyValueStoreBuilder}. */
    static KeyValueBytesStoreSupplier supplier(String name) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new HashedInMemoryStore(name);
            }

            @Override
            public String metricsScope() {
                return "in-memory";
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
            context.register(root, (key, value) -> put(Bytes.wrap(key), value));
        }
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
    public synchronized byte[] get(Bytes key) {
        return map.get(key);
    }

    @Override
    public synchronized void put(Bytes key, byte[] value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    @Override
    public synchronized byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] old = map.get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public synchronized void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        for (KeyValue<Bytes, byte[]> entry : entries) {
            put(entry.key, entry.value);
        }
    }

    @Override
    public synchronized byte[] delete(Bytes key) {
        return map.remove(key);
    }

    @Override
    public synchronized KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return iterator(from, to, true);
    }

    @Override
    public synchronized KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return iterator(from, to, false);
    }

    @Override
    public synchronized KeyValueIterator<Bytes, byte[]> all() {
        return iterator(null, null, true);
    }

    @Override
    public synchronized KeyValueIterator<Bytes, byte[]> reverseAll() {
        return iterator(null, null, false);
    }

    @Override
    public synchronized <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix,
            PS prefixKeySerializer) {
        byte[] start = prefixKeySerializer.serialize(null, prefix);
        List<Bytes> keys = new ArrayList<>();
        for (Bytes key : map.keySet()) {
            byte[] bytes = key.get();
            if (bytes.length >= start.length
                    && Arrays.equals(bytes, 0, start.length, start, 0, start.length)) {
                keys.add(key);
            }
        }
        return sorted(keys, true);
    }

    /** The keys from {@code from} to {@code to} (both included; null: unbounded), in the order of Kafka's store. */
    private KeyValueIterator<Bytes, byte[]> iterator(Bytes from, Bytes to, boolean forward) {
        if (from != null && to != null && from.compareTo(to) > 0) {
            return sorted(List.of(), forward); // as Kafka's store answers an inverted range: nothing
        }
        List<Bytes> keys = new ArrayList<>();
        for (Bytes key : map.keySet()) {
            if ((from == null || key.compareTo(from) >= 0) && (to == null || key.compareTo(to) <= 0)) {
                keys.add(key);
            }
        }
        return sorted(keys, forward);
    }

    private KeyValueIterator<Bytes, byte[]> sorted(List<Bytes> keys, boolean forward) {
        Bytes[] order = keys.toArray(new Bytes[0]);
        Arrays.sort(order, forward ? null : java.util.Comparator.reverseOrder());
        return new KeyValueIterator<>() {
            private int next = advance(0);

            /** The first position from {@code at} whose key still has a value (deleted ones are skipped). */
            private int advance(int at) {
                int i = at;
                synchronized (HashedInMemoryStore.this) {
                    while (i < order.length && !map.containsKey(order[i])) {
                        i++;
                    }
                }
                return i;
            }

            @Override
            public boolean hasNext() {
                // Skipped again here, not only after each step: a key deleted since is not returned with no value,
                // as Kafka's own in-memory store does not.
                next = advance(next);
                return next < order.length;
            }

            @Override
            public KeyValue<Bytes, byte[]> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Bytes key = order[next];
                byte[] value = get(key);
                next = advance(next + 1);
                return new KeyValue<>(key, value);
            }

            @Override
            public Bytes peekNextKey() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return order[next];
            }

            @Override
            public void close() {
                // a snapshot of keys: nothing to release
            }
        };
    }

    @Override
    public long approximateNumEntries() {
        synchronized (this) {
            return map.size();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            map.clear();
        }
        open = false;
    }
}
