package io.tierflow.streams.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

/** The replay's store of objects keeps the write-behind store's contract: copies out, the given object kept. */
class HeldInMemoryStoreTest {
    private final HeldInMemoryStore<long[]> store = new HeldInMemoryStore<>("dataset-activity", long[]::clone);

    @Test
    void shouldHandOutCopiesAndKeepWhatItIsGiven() {
        long[] value = {1, 2};
        store.put("a", value);

        long[] read = store.get("a");
        read[0] = 99;

        assertArrayEquals(new long[] {1, 2}, store.get("a"), "a changed copy leaves the held value as it was");
        assertNotSame(value, store.get("a"));
        assertSame(value, store.getForUpdate("a"), "the held value itself, to change in place");
        store.getForUpdate("a")[1] = 7;
        store.finishUpdates();
        assertArrayEquals(new long[] {1, 7}, store.get("a"));
        assertNull(store.get("b"));
        assertNull(store.getForUpdate("b"));
    }

    @Test
    void shouldDeleteAndTakeNullAsADeletion() {
        store.put("a", new long[] {1});
        store.put("b", new long[] {2});

        assertArrayEquals(new long[] {1}, store.delete("a"));
        store.put("b", null);

        assertNull(store.get("a"));
        assertNull(store.get("b"));
        assertNull(store.delete("a"));
        assertEquals(0, store.approximateNumEntries());
    }

    /**
     * Keys come in RocksDB's order (their UTF-8 bytes: U+FFFD before a character outside the basic plane, which
     * String.compareTo puts the other way round), bounds included, each value a copy; a key deleted during the
     * iteration is skipped.
     */
    @Test
    void shouldIterateInStoredOrder() {
        String beyondBasicPlane = new String(Character.toChars(0x1F600));
        for (String key : List.of("b", beyondBasicPlane, "a", "\uFFFD", "c")) {
            store.put(key, new long[] {key.codePointAt(0)});
        }

        assertEquals(List.of("a", "b", "c", "\uFFFD", beyondBasicPlane), keys(store.all()));
        assertEquals(List.of("b", "c"), keys(store.range("b", "c")));
        assertEquals(List.of(), keys(store.range("c", "b")));
        try (KeyValueIterator<String, long[]> all = store.all()) {
            KeyValue<String, long[]> first = all.next();
            first.value[0] = -1;
            store.delete("b");
            assertEquals("c", all.next().key, "b was deleted during the iteration");
        }
        assertArrayEquals(new long[] {'a'}, store.get("a"), "an iterated value is a copy");
        assertFalse(keys(store.all()).contains("b"));
    }

    private static List<String> keys(KeyValueIterator<String, long[]> iterator) {
        List<String> keys = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }
}
