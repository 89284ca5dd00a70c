package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.TieringPolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindStoreTest {
    private static final long T0 = 1_780_000_000_000L;
    private static final String STORE = "dataset-activity";
    private final DatasetActivitySerde serde = new DatasetActivitySerde();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /**
     * The point of implementing Kafka Streams' internal CachedStateStore: under exactly-once the changelog record of a
     * value must be in the transaction that commits the input offsets it accounts for. The driver's producer shows
     * committed records only, so a value written through after the commit (in StateStore.commit, which Kafka Streams
     * calls after the transaction) would be missing here.
     */
    @Test
    void aCommittedTransactionCarriesTheChangelogRecordsOfTheValuesWrittenBeforeIt(@TempDir Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(WriteBehindStore.builder(STORE, new DatasetActivitySerde(), DatasetActivity::copy, 10));
        builder.stream("events", Consumed.with(Serdes.String(), Serdes.String()).withName("events-source"))
                .process(CountingProcessor::new, Named.as("counter"), STORE);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "activity-store-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, Instant.ofEpochMilli(T0));
        open.add(driver);
        TestInputTopic<String, String> events = driver.createInputTopic("events", Serdes.String().serializer(),
                Serdes.String().serializer());
        TestOutputTopic<String, DatasetActivity> changelog = driver.createOutputTopic(
                "activity-store-test-" + STORE + "-changelog", Serdes.String().deserializer(), serde.deserializer());

        events.pipeInput("a", "e1", T0);
        events.pipeInput("a", "e2", T0 + 1);
        events.pipeInput("b", "e3", T0 + 2);

        List<KeyValue<String, DatasetActivity>> records = changelog.readKeyValuesToList();
        assertEquals(List.of("a", "a", "b"), records.stream().map(r -> r.key).toList(),
                "the driver commits after each record: one changelog record per commit and key");
        assertEquals(2, records.get(1).value.activity.totalEvents());
        assertEquals(1, records.get(2).value.activity.totalEvents());
        KeyValueStore<String, DatasetActivity> store = driver.getKeyValueStore(STORE);
        assertEquals(2, store.get("a").activity.totalEvents());
    }

    @Test
    void getHandsOutCopiesSoAChangeIsSeenOnlyOncePutBack() {
        WriteBehindStore<DatasetActivity> store = store(10);
        store.put("a", counted(1));

        DatasetActivity copy = store.get("a");
        record(copy, 5);
        assertEquals(1, store.get("a").activity.totalEvents(), "changing a copy changes nothing in the store");

        store.put("a", copy);
        assertEquals(6, store.get("a").activity.totalEvents());
    }

    @Test
    void anUpdateInPlaceIsSeenAtOnceAndWrittenAtTheNextCommitOncePutBack() {
        KeyValueStore<String, DatasetActivity> stored = inMemory();
        WriteBehindStore<DatasetActivity> store = new WriteBehindStore<>(stored, DatasetActivity::copy, 10);
        init(store);
        store.put("a", counted(1));
        store.flushCache();

        DatasetActivity held = store.getForUpdate("a");
        assertSame(held, store.getForUpdate("a"), "the held value itself, not a copy");
        record(held, 5);
        store.finishUpdates();
        assertEquals(6, store.get("a").activity.totalEvents(), "changed in place");
        store.flushCache();
        assertEquals(1, stored.get("a").activity.totalEvents(), "not put back: not written");

        record(store.getForUpdate("a"), 1);
        store.put("a", held);
        store.finishUpdates();
        store.flushCache();
        assertEquals(7, stored.get("a").activity.totalEvents(), "put back: written at the commit");
        assertNull(store.getForUpdate("b"));
    }

    /**
     * Interactive queries copy held values on their own threads while the stream thread changes them in place: a
     * reader that comes during an update waits for it and sees the value whole, never half-changed.
     */
    @Test
    void aReaderOnAnotherThreadSeesAValueBeforeOrAfterAnUpdateNeverDuring() throws Exception {
        WriteBehindStore<DatasetActivity> store = store(10);
        store.put("a", counted(1));
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            DatasetActivity held = store.getForUpdate("a");
            held.activity.record(T0 + 60_000, "GET", 1, "eu-west", "during", TieringPolicy.BUILT_IN, T0);
            Future<DatasetActivity> read = reader.submit(() -> store.get("a"));
            // Half-way: counted, but not yet charged. A reader must not see this state.
            assertThrows(TimeoutException.class, () -> read.get(200, TimeUnit.MILLISECONDS),
                    "the reader waits while the value is changed");
            held.uncharged.add("eu-west", 1, false);
            store.put("a", held);
            store.finishUpdates();
            DatasetActivity seen = read.get(10, TimeUnit.SECONDS);
            assertEquals(2, seen.activity.totalEvents());
            assertEquals(1, seen.uncharged.totalReads(), "the whole update, both of its changes");

            // Concurrent copies while the writer keeps changing: every copy is whole (events counted = reads tallied).
            AtomicBoolean stop = new AtomicBoolean();
            Future<Integer> copies = reader.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    DatasetActivity copy = store.get("a");
                    assertEquals(copy.activity.totalEvents() - 1, copy.uncharged.totalReads(), "a torn copy");
                    n++;
                }
                return n;
            });
            for (int i = 0; i < 20_000; i++) {
                DatasetActivity value = store.getForUpdate("a");
                value.activity.record(T0 + 120_000 + i, "GET", 1, "region-" + i % 7, "e" + i, TieringPolicy.BUILT_IN,
                        T0);
                value.uncharged.add("region-" + i % 7, 1, false);
                store.put("a", value);
                store.finishUpdates();
            }
            stop.set(true);
            assertTrue(copies.get(10, TimeUnit.SECONDS) > 0);
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void copiesAreIndependentOfTheirOriginal() {
        DatasetActivity original = counted(20);
        original.uncharged.add("eu-west", 1_000, true);
        byte[] before = serde.serializer().serialize("t", original);

        DatasetActivity copy = original.copy();
        assertArrayEquals(before, serde.serializer().serialize("t", copy), "a copy has every field");
        for (int i = 0; i < 40; i++) { // new regions grow the copy's arrays
            copy.activity.record(T0 + 10_000_000L + i, "PUT", 7, "region-" + i, "other-" + i, TieringPolicy.BUILT_IN,
                    T0 + 10_000_000L + i);
            copy.uncharged.add("region-" + i, 7, false);
        }
        copy.uncharged.clear();
        copy.placed = !copy.placed;
        copy.tier = Tier.HOT;
        assertArrayEquals(before, serde.serializer().serialize("t", original), "the original is as it was");
    }

    @Test
    void aCommitWritesHeldValuesThroughAndTheBoundDropsValuesNotWrittenForTwoGenerations() {
        KeyValueStore<String, DatasetActivity> stored = inMemory();
        WriteBehindStore<DatasetActivity> store = new WriteBehindStore<>(stored, DatasetActivity::copy, 2);
        init(store);
        for (int i = 0; i < 5; i++) {
            store.put("k" + i, counted(i + 1));
        }
        assertNull(stored.get("k0"), "nothing is written before the commit");
        assertEquals(5, store.held(), "values written since the last commit are always held");

        store.flushCache();
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, stored.get("k" + i).activity.totalEvents(), "written through at the commit");
        }
        assertEquals(5, store.held(), "the full generation became the previous one");

        store.put("k3", counted(30));
        store.flushCache();
        assertEquals(6, store.held(), "a generation below the bound is kept");
        store.put("k4", counted(40));
        store.flushCache();
        assertEquals(2, store.held(), "the generation before last is dropped: only k3 and k4 stay");
        assertEquals(List.of(1, 2, 3, 30, 40), java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> (int) store.get("k" + i).activity.totalEvents()).toList(),
                "dropped values are read from RocksDB, held ones from the newest generation");
    }

    @Test
    void rangesShowUnwrittenValuesInStoredOrder() {
        WriteBehindStore<DatasetActivity> store = store(10);
        store.put("a", counted(1));
        store.put("c", counted(3));
        store.put("é", counted(4)); // after every ASCII key in UTF-8 order
        store.flushCache();
        store.put("b", counted(2)); // new, not written yet
        store.put("c", counted(30)); // newer than the stored value

        assertEquals(List.of("a=1", "b=2", "c=30", "é=4"), entries(store.all()));
        assertEquals(List.of("b=2", "c=30"), entries(store.range("b", "c")));
        assertEquals(List.of("c=30", "é=4"), entries(store.range("bb", null)));
    }

    @Test
    void clearingTheCacheDropsUnwrittenValuesAndDeleteRemovesBothCopies() {
        WriteBehindStore<DatasetActivity> store = store(10);
        store.put("a", counted(1));
        store.flushCache();
        store.put("a", counted(2));
        store.clearCache(); // Kafka Streams reset the stored values under the store
        assertEquals(1, store.get("a").activity.totalEvents());

        store.put("a", counted(3));
        assertEquals(3, store.delete("a").activity.totalEvents());
        assertNull(store.get("a"));
        store.flushCache();
        assertNull(store.get("a"), "a deleted value is not written back at the commit");
        assertEquals(List.of(), entries(store.all()));
    }

    private static List<String> entries(KeyValueIterator<String, DatasetActivity> iterator) {
        List<String> entries = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining(e -> entries.add(e.key + "=" + e.value.activity.totalEvents()));
        }
        return entries;
    }

    private WriteBehindStore<DatasetActivity> store(int maxHeld) {
        WriteBehindStore<DatasetActivity> store = new WriteBehindStore<>(inMemory(), DatasetActivity::copy, maxHeld);
        init(store);
        return store;
    }

    private KeyValueStore<String, DatasetActivity> inMemory() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(), serde)
                .withLoggingDisabled().withCachingDisabled().build();
    }

    private void init(WriteBehindStore<DatasetActivity> store) {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        open.add(store::close);
    }

    private static DatasetActivity counted(int events) {
        DatasetActivity value = DatasetActivity.empty();
        record(value, events);
        return value;
    }

    private static void record(DatasetActivity value, int events) {
        long start = T0 + value.activity.totalEvents() * 1000;
        for (int i = 0; i < events; i++) {
            value.activity.record(start + i * 1000, "GET", 100, "eu-west", null, TieringPolicy.BUILT_IN, start);
        }
    }

    /** The topology's use of the store, cut to the bone: count every event of a key. */
    private static final class CountingProcessor implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, DatasetActivity> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            DatasetActivity value = store.get(record.key());
            if (value == null) {
                value = DatasetActivity.empty();
            }
            value.activity.record(record.timestamp(), "GET", 1, "eu-west", record.value(), TieringPolicy.BUILT_IN,
                    record.timestamp());
            store.put(record.key(), value);
        }
    }
}
