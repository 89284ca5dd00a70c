package io.tierflow.streams.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * {@link HashedInMemoryStore} answers every read as Kafka's own in-memory store does, after the same random writes:
 * point reads, and the iterations in Kafka's order (ranges both ways, open ends, inverted ranges, prefixes).
 */
class HashedInMemoryStoreTest {
    private static Bytes key(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> drain(KeyValueIterator<Bytes, byte[]> iterator) {
        List<String> seen = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining(kv -> seen.add(new String(kv.key.get(), StandardCharsets.UTF_8) + "="
                    + new String(kv.value, StandardCharsets.UTF_8)));
        }
        return seen;
    }

    @Test
    void shouldSkipAKeyDeletedWhileIteratingAsKafkasStoreDoes() {
        KeyValueStore<Bytes, byte[]> hashed = HashedInMemoryStore.supplier("hashed").get();
        for (String k : List.of("a", "b", "c")) {
            hashed.put(key(k), k.getBytes(StandardCharsets.UTF_8));
        }
        try (KeyValueIterator<Bytes, byte[]> all = hashed.all()) {
            assertEquals(key("a"), all.next().key);
            hashed.delete(key("b")); // the next key, once the iterator has stepped past "a"
            assertEquals(key("c"), all.peekNextKey());
            var c = all.next();
            assertEquals(key("c"), c.key);
            assertArrayEquals("c".getBytes(StandardCharsets.UTF_8), c.value);
            assertFalse(all.hasNext());
        }
    }

    @Test
    void shouldAnswerAsKafkasInMemoryStoreAfterTheSameWrites() {
        KeyValueStore<Bytes, byte[]> kafka = Stores.inMemoryKeyValueStore("kafka").get();
        KeyValueStore<Bytes, byte[]> hashed = HashedInMemoryStore.supplier("hashed").get();
        Random random = new Random(5);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add((i % 3 == 0 ? "ds-" : i % 3 == 1 ? "ds-1" : "alert|") + random.nextInt(1000));
        }
        for (int step = 0; step < 5_000; step++) {
            Bytes key = key(keys.get(random.nextInt(keys.size())));
            byte[] value = ("v" + step).getBytes(StandardCharsets.UTF_8);
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    kafka.put(key, value);
                    hashed.put(key, value);
                }
                case 2 -> assertArrayEquals(kafka.putIfAbsent(key, value), hashed.putIfAbsent(key, value));
                case 3 -> assertArrayEquals(kafka.delete(key), hashed.delete(key));
                default -> {
                    kafka.put(key, null); // a null value deletes
                    hashed.put(key, null);
                }
            }
            assertArrayEquals(kafka.get(key), hashed.get(key));
        }
        List<KeyValue<Bytes, byte[]>> batch = List.of(KeyValue.pair(key("ds-5"), new byte[] {'a'}),
                KeyValue.pair(key("zz"), new byte[] {'b'}));
        kafka.putAll(batch);
        hashed.putAll(batch);

        assertEquals(kafka.approximateNumEntries(), hashed.approximateNumEntries());
        assertEquals(drain(kafka.all()), drain(hashed.all()));
        assertEquals(drain(kafka.reverseAll()), drain(hashed.reverseAll()));
        for (String[] range : new String[][] {{"ds-1", "ds-5"}, {"alert|", "ds-"}, {null, "ds-3"}, {"ds-3", null},
                {"ds-9", "ds-1"}}) {
            Bytes from = range[0] == null ? null : key(range[0]);
            Bytes to = range[1] == null ? null : key(range[1]);
            assertEquals(drain(kafka.range(from, to)), drain(hashed.range(from, to)), String.join("..", range[0],
                    range[1]));
            assertEquals(drain(kafka.reverseRange(from, to)), drain(hashed.reverseRange(from, to)));
        }
        for (String prefix : List.of("ds-1", "alert|", "nothing")) {
            assertEquals(drain(kafka.prefixScan(prefix, new StringSerializer())),
                    drain(hashed.prefixScan(prefix, new StringSerializer())), prefix);
        }
        assertTrue(drain(hashed.all()).size() > 100, "the comparison covered a store with entries");
    }
}
