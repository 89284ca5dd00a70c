package io.tierflow.streams.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The write-behind store's own behaviour, on an in-memory store behind it. What it relies on in Kafka Streams (when
 * caches are flushed, how the processor's store is wrapped) is pinned by {@link KafkaStreamsContractTest}.
 */
class WriteBehindStoreTest {
    private static final String STORE = "counts";
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void getHandsOutCopiesSoAChangeIsSeenOnlyOncePutBack() {
        WriteBehindStore<Counts> store = store(10);
        store.put("a", Counts.of(1));

        Counts copy = store.get("a");
        copy.events += 5;
        assertEquals(1, store.get("a").events, "changing a copy changes nothing in the store");

        store.put("a", copy);
        assertEquals(6, store.get("a").events);
    }

    @Test
    void anUpdateInPlaceIsSeenAtOnceAndWrittenAtTheNextCommitOncePutBack() {
        KeyValueStore<String, Counts> stored = inMemory();
        WriteBehindStore<Counts> store = new WriteBehindStore<>(stored, Counts::copy, 10);
        init(store);
        store.put("a", Counts.of(1));
        store.flushCache();

        Counts held = store.getForUpdate("a");
        assertSame(held, store.getForUpdate("a"), "the held value itself, not a copy");
        held.events += 5;
        store.finishUpdates();
        assertEquals(6, store.get("a").events, "changed in place");
        store.flushCache();
        assertEquals(1, stored.get("a").events, "not put back: not written");

        store.getForUpdate("a").events += 1;
        store.put("a", held);
        store.finishUpdates();
        store.flushCache();
        assertEquals(7, stored.get("a").events, "put back: written at the commit");
        assertNull(store.getForUpdate("b"));
    }

    /**
     * Interactive queries copy held values on their own threads while the stream thread changes them in place: a
     * reader that comes during an update waits for it and sees the value whole, never half-changed.
     */
    @Test
    void aReaderOnAnotherThreadSeesAValueBeforeOrAfterAnUpdateNeverDuring() throws Exception {
        WriteBehindStore<Counts> store = store(10);
        store.put("a", Counts.of(1));
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Counts held = store.getForUpdate("a");
            held.events++;
            Future<Counts> read = reader.submit(() -> store.get("a"));
            // Half-way: counted, but not yet tallied. A reader must not see this state.
            assertThrows(TimeoutException.class, () -> read.get(200, TimeUnit.MILLISECONDS),
                    "the reader waits while the value is changed");
            held.reads++;
            store.put("a", held);
            store.finishUpdates();
            Counts seen = read.get(10, TimeUnit.SECONDS);
            assertEquals(2, seen.events);
            assertEquals(2, seen.reads, "the whole update, both of its changes");

            // Concurrent copies while the writer keeps changing: every copy is whole (events counted = reads tallied).
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger copiesMade = new AtomicInteger();
            Future<Integer> copies = reader.submit(() -> {
                while (!stop.get()) {
                    Counts copy = store.get("a");
                    assertEquals(copy.events, copy.reads, "a torn copy");
                    copiesMade.incrementAndGet();
                }
                return copiesMade.get();
            });
            // At least 20 000 updates, and on until the reader has copied during them (it may start late on a busy
            // machine), within a bound.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; i < 20_000 || copiesMade.get() < 1_000 && System.nanoTime() < deadline; i++) {
                Counts value = store.getForUpdate("a");
                value.events++;
                value.reads++;
                store.put("a", value);
                store.finishUpdates();
            }
            stop.set(true);
            assertTrue(copies.get(10, TimeUnit.SECONDS) >= 1_000, "the reader copied while the writer changed it");
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void aCommitWritesHeldValuesThroughAndTheBoundDropsValuesNotWrittenForTwoGenerations() {
        KeyValueStore<String, Counts> stored = inMemory();
        WriteBehindStore<Counts> store = new WriteBehindStore<>(stored, Counts::copy, 2);
        init(store);
        for (int i = 0; i < 5; i++) {
            store.put("k" + i, Counts.of(i + 1));
        }
        assertNull(stored.get("k0"), "nothing is written before the commit");
        assertEquals(5, store.held(), "values written since the last commit are always held");

        store.flushCache();
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, stored.get("k" + i).events, "written through at the commit");
        }
        assertEquals(5, store.held(), "the full generation became the previous one");

        store.put("k3", Counts.of(30));
        store.flushCache();
        assertEquals(6, store.held(), "a generation below the bound is kept");
        store.put("k4", Counts.of(40));
        store.flushCache();
        assertEquals(2, store.held(), "the generation before last is dropped: only k3 and k4 stay");
        assertEquals(List.of(1L, 2L, 3L, 30L, 40L), IntStream.range(0, 5).mapToObj(i -> store.get("k" + i).events)
                .toList(), "dropped values are read from RocksDB, held ones from the newest generation");
    }

    @Test
    void rangesShowUnwrittenValuesInStoredOrder() {
        WriteBehindStore<Counts> store = store(10);
        store.put("a", Counts.of(1));
        store.put("c", Counts.of(3));
        store.put("é", Counts.of(4)); // after every ASCII key in UTF-8 order
        store.flushCache();
        store.put("b", Counts.of(2)); // new, not written yet
        store.put("c", Counts.of(30)); // newer than the stored value

        assertEquals(List.of("a=1", "b=2", "c=30", "é=4"), entries(store.all()));
        assertEquals(List.of("b=2", "c=30"), entries(store.range("b", "c")));
        assertEquals(List.of("c=30", "é=4"), entries(store.range("bb", null)));
    }

    @Test
    void clearingTheCacheDropsUnwrittenValuesAndDeleteRemovesBothCopies() {
        WriteBehindStore<Counts> store = store(10);
        store.put("a", Counts.of(1));
        store.flushCache();
        store.put("a", Counts.of(2));
        store.clearCache(); // Kafka Streams reset the stored values under the store
        assertEquals(1, store.get("a").events);

        store.put("a", Counts.of(3));
        assertEquals(3, store.delete("a").events);
        assertNull(store.get("a"));
        store.flushCache();
        assertNull(store.get("a"), "a deleted value is not written back at the commit");
        assertEquals(List.of(), entries(store.all()));
    }

    private static List<String> entries(KeyValueIterator<String, Counts> iterator) {
        List<String> entries = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining(e -> entries.add(e.key + "=" + e.value.events));
        }
        return entries;
    }

    private WriteBehindStore<Counts> store(int maxHeld) {
        WriteBehindStore<Counts> store = new WriteBehindStore<>(inMemory(), Counts::copy, maxHeld);
        init(store);
        return store;
    }

    private static KeyValueStore<String, Counts> inMemory() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Counts.serde())
                .withLoggingDisabled().withCachingDisabled().build();
    }

    private void init(WriteBehindStore<Counts> store) {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        open.add(store::close);
    }
}
