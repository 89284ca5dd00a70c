package io.tierflow.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A store partition held in a sorted map, for the handler tests: keys in the order Kafka Streams' stores keep them
 * (of their UTF-8 bytes), ranges inclusive at both ends and open where a bound is null, as the stores' contract says.
 */
final class MemoryStore<V> implements ReadOnlyKeyValueStore<String, V> {
    /** The byte order of the keys' UTF-8 encoding, as the stores compare their serialized keys. */
    static final Comparator<String> STORED_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final NavigableMap<String, V> entries = new TreeMap<>(STORED_ORDER);

    MemoryStore<V> put(String key, V value) {
        entries.put(key, value);
        return this;
    }

    @Override
    public V get(String key) {
        return entries.get(key);
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        NavigableMap<String, V> range = entries;
        if (from != null) {
            range = range.tailMap(from, true);
        }
        if (to != null) {
            range = range.headMap(to, true);
        }
        return iterator(range);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return iterator(entries);
    }

    @Override
    public long approximateNumEntries() {
        return entries.size();
    }

    private static <V> KeyValueIterator<String, V> iterator(NavigableMap<String, V> entries) {
        Iterator<Map.Entry<String, V>> it = new TreeMap<>(entries).entrySet().iterator();
        return new KeyValueIterator<>() {
            private Map.Entry<String, V> peeked;

            @Override
            public boolean hasNext() {
                return peeked != null || it.hasNext();
            }

            @Override
            public KeyValue<String, V> next() {
                Map.Entry<String, V> entry = peeked != null ? peeked : it.next();
                peeked = null;
                return KeyValue.pair(entry.getKey(), entry.getValue());
            }

            @Override
            public String peekNextKey() {
                if (peeked == null) {
                    if (!it.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    peeked = it.next();
                }
                return peeked.getKey();
            }

            @Override
            public void close() {
            }
        };
    }
}
