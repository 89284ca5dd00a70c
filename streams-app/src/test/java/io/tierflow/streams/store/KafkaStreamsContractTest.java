package io.tierflow.streams.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.DefaultStreamPartitioner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per Kafka Streams contract the write-behind implementation relies on in the stream thread (the API's is in
 * {@code KafkaStreamsContractIT}, which needs a running client). A Kafka upgrade that breaks one fails exactly that
 * test: see docs/kafka-upgrade.md for what to do then.
 */
class KafkaStreamsContractTest {
    private static final long T0 = 1_780_000_000_000L;
    private static final String STORE = "counts";
    private static final String APP = "contract-test";
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path stateDir;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /**
     * Contract (internal {@code WrappedStateStore}): the store {@code ProcessorContext.getStateStore} hands a processor
     * is the registered store itself or Kafka Streams' decorator around it, and the decorator's {@code wrapped()}
     * leads to it; so the processor can reach the write-behind store's in-place updates, which KeyValueStore lacks.
     */
    @Test
    void theProcessorsStoreUnwrapsToTheRegisteredWriteBehindStore() {
        List<StateStore> seen = new ArrayList<>();
        TopologyTestDriver driver = driver(StoreImplementation.WRITE_BEHIND, StreamsConfig.AT_LEAST_ONCE, seen);
        input(driver).pipeInput("a", "e1", T0);

        assertEquals(1, seen.size(), "the processor was initialised once");
        UpdatableStore<Counts> opened = StoreImplementation.WRITE_BEHIND.open(seen.get(0));
        assertSame(driver.getKeyValueStore(STORE), opened, "the registered store itself, found behind the decorator");
        assertEquals(1, opened.getForUpdate("a").events);
        opened.finishUpdates();
    }

    /**
     * Contract (internal {@code CachedStateStore}): a task flushes every store implementing it ({@code flushCache})
     * before it flushes the producer and commits the transaction; {@code StateStore.commit} comes only after. So the
     * changelog record of a value the write-behind store held is in the transaction that commits the input offsets it
     * accounts for. The driver shows committed records only: a value written through later (in {@code commit}, say)
     * would be missing here.
     */
    @Test
    void aCommittedTransactionCarriesTheChangelogRecordsOfTheValuesWrittenBeforeIt() {
        TopologyTestDriver driver = driver(StoreImplementation.WRITE_BEHIND, StreamsConfig.EXACTLY_ONCE_V2,
                new ArrayList<>());
        TestOutputTopic<String, Counts> changelog = driver.createOutputTopic(APP + "-" + STORE + "-changelog",
                Serdes.String().deserializer(), Counts.serde().deserializer());
        TestInputTopic<String, String> events = input(driver);

        events.pipeInput("a", "e1", T0);
        events.pipeInput("a", "e2", T0 + 1);
        events.pipeInput("b", "e3", T0 + 2);

        List<KeyValue<String, Counts>> records = changelog.readKeyValuesToList();
        assertEquals(List.of("a", "a", "b"), records.stream().map(r -> r.key).toList(),
                "the driver commits after each record: one changelog record per commit and key");
        assertEquals(2, records.get(1).value.events);
        assertEquals(1, records.get(2).value.events);
        assertEquals(2, driver.<String, Counts>getKeyValueStore(STORE).get("a").events);
    }

    /** The stock implementation needs none of the above: the same topology through the public API counts the same. */
    @Test
    void theStockStoreCountsTheSameThroughThePublicApi() {
        List<StateStore> seen = new ArrayList<>();
        TopologyTestDriver driver = driver(StoreImplementation.STOCK, StreamsConfig.EXACTLY_ONCE_V2, seen);
        TestOutputTopic<String, Counts> changelog = driver.createOutputTopic(APP + "-" + STORE + "-changelog",
                Serdes.String().deserializer(), Counts.serde().deserializer());
        TestInputTopic<String, String> events = input(driver);

        events.pipeInput("a", "e1", T0);
        events.pipeInput("a", "e2", T0 + 1);

        assertEquals(List.of(1L, 2L), changelog.readValuesToList().stream().map(c -> c.events).toList());
        assertInstanceOf(StockStore.class, StoreImplementation.STOCK.open(seen.get(0)));
    }

    /**
     * Contract (internal {@code DefaultStreamPartitioner}, which {@code queryMetadataForKey} places keys with): the API
     * finds a key's partition with {@link KeyPartitions#of} without asking Kafka Streams, so both must agree on every
     * key, whatever its characters.
     */
    @Test
    void keysArePlacedWhereKafkaStreamsDefaultPartitionerPlacesThem() {
        DefaultStreamPartitioner<String, Object> streams = new DefaultStreamPartitioner<>(Serdes.String().serializer());
        SplittableRandom random = new SplittableRandom(5);
        List<String> fixed = List.of("", "a", "logs/2026/11/a b.parquet", "données/été/ß.csv", "emoji/\uD83D\uDE00",
                "rebalance/ds00", "x".repeat(1000));
        for (int partitions : new int[] {1, 2, 3, 7, 12, 100}) {
            for (String key : fixed) {
                assertEquals(streams.partitions("t", key, null, partitions),
                        Optional.of(Set.of(KeyPartitions.of(key, partitions))), key + " among " + partitions);
            }
            for (int i = 0; i < 20_000; i++) {
                String key = randomKey(random);
                assertEquals(streams.partitions("t", key, null, partitions),
                        Optional.of(Set.of(KeyPartitions.of(key, partitions))), key + " among " + partitions);
            }
        }
    }

    private static String randomKey(SplittableRandom random) {
        StringBuilder key = new StringBuilder();
        int length = random.nextInt(1, 60);
        for (int i = 0; i < length; i++) {
            key.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x80, 0x2FFFF) : random.nextInt(0x20, 0x7F));
        }
        return key.toString();
    }

    private TopologyTestDriver driver(StoreImplementation stores, String guarantee, List<StateStore> seen) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(stores.builder(STORE, Counts.serde(), Counts::copy, 10));
        builder.stream("events", Consumed.with(Serdes.String(), Serdes.String()).withName("events-source"))
                .process(() -> new CountingProcessor(stores, seen), Named.as("counter"), STORE);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, Instant.ofEpochMilli(T0));
        open.add(driver);
        return driver;
    }

    private static TestInputTopic<String, String> input(TopologyTestDriver driver) {
        return driver.createInputTopic("events", Serdes.String().serializer(), Serdes.String().serializer());
    }

    /** The topology's use of the store, cut to the bone: count every event of a key, in place. */
    private static final class CountingProcessor implements Processor<String, String, Void, Void> {
        private final StoreImplementation stores;
        private final List<StateStore> seen;
        private UpdatableStore<Counts> counts;

        CountingProcessor(StoreImplementation stores, List<StateStore> seen) {
            this.stores = stores;
            this.seen = seen;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            StateStore store = context.getStateStore(STORE);
            seen.add(store);
            counts = stores.open(store);
        }

        @Override
        public void process(Record<String, String> record) {
            try {
                Counts value = counts.getForUpdate(record.key());
                if (value == null) {
                    value = new Counts(0, 0);
                }
                value.count();
                counts.put(record.key(), value);
            } finally {
                counts.finishUpdates();
            }
        }
    }
}
