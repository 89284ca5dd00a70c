package io.tierflow.streams.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka Streams contract the API's reads rely on, on a real broker (interactive queries need a running client; see
 * {@link KafkaStreamsContractTest} for the stream thread's contracts and docs/kafka-upgrade.md for what to do when one
 * breaks).
 */
class KafkaStreamsContractIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String EVENTS = "contract-events";
    private static final String WRITE_BEHIND_STORE = "write-behind-counts";
    private static final String STOCK_STORE = "stock-counts";

    @TempDir
    Path dir;

    /**
     * Contract (internal {@code StateStoreProvider}): asked for one partition with the write-behind implementation's
     * query type, {@code KafkaStreams.store} hands that type's {@code create} a provider whose {@code stores} are the
     * task's registered stores themselves (the write-behind store, not a wrapper that finds the task on every read);
     * and a plain store is found the same way. The stock query type reads both stores too.
     */
    @Test
    void aPartitionQueryFindsTheTasksOwnStore() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        KafkaTestClients.createTopic(stack.bootstrapServers(), EVENTS);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(StoreImplementation.WRITE_BEHIND.builder(WRITE_BEHIND_STORE, Counts.serde(),
                Counts::copy, 10));
        builder.addStateStore(StoreImplementation.STOCK.builder(STOCK_STORE, Counts.serde(), Counts::copy, 10));
        builder.stream(EVENTS, Consumed.with(Serdes.String(), Serdes.String()).withName("events-source"))
                .process(CountingProcessor::new, Named.as("counter"), WRITE_BEHIND_STORE, STOCK_STORE);
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "contract-it");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // Without an application.server, Kafka Streams keeps no metadata for queryMetadataForKey.
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:1");
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
            streams.start();
            KafkaTestClients.produce(stack.bootstrapServers(), EVENTS, Serdes.String().serializer(),
                    Serdes.String().serializer(), List.of(new ProducerRecord<>(EVENTS, "a", "e1"),
                            new ProducerRecord<>(EVENTS, "a", "e2")));
            Eventually.holds(TIMEOUT, "a running client with the key's partition assigned",
                    () -> streams.state() == KafkaStreams.State.RUNNING
                            && streams.queryMetadataForKey(STOCK_STORE, "a", Serdes.String().serializer())
                                    .partition() >= 0);
            int partition = streams.queryMetadataForKey(STOCK_STORE, "a", Serdes.String().serializer())
                    .partition();

            ReadOnlyKeyValueStore<?, ?> own = awaitCount(streams, WRITE_BEHIND_STORE, partition,
                    StoreImplementation.WRITE_BEHIND);
            assertInstanceOf(WriteBehindStore.class, own, "the task's own store, not Kafka Streams' wrapper");
            ReadOnlyKeyValueStore<?, ?> plain = awaitCount(streams, STOCK_STORE, partition,
                    StoreImplementation.WRITE_BEHIND);
            assertEquals(STOCK_STORE, assertInstanceOf(StateStore.class, plain,
                    "a registered store (Kafka Streams' query wrapper is no StateStore)").name());
            assertNotEquals(own, plain);
            awaitCount(streams, WRITE_BEHIND_STORE, partition, StoreImplementation.STOCK);
            awaitCount(streams, STOCK_STORE, partition, StoreImplementation.STOCK);
        }
    }

    /** The store partition as {@code implementation}'s query finds it, once it reads both events of "a". */
    private static ReadOnlyKeyValueStore<?, ?> awaitCount(KafkaStreams streams, String store, int partition,
            StoreImplementation implementation) throws Exception {
        AtomicReference<ReadOnlyKeyValueStore<Object, Object>> found = new AtomicReference<>();
        Eventually.holds(TIMEOUT, () -> store + " read by the " + implementation.configValue() + " query: "
                + (found.get() == null ? "not found" : found.get().get("a")), () -> {
                    try {
                        @SuppressWarnings("unchecked")
                        ReadOnlyKeyValueStore<Object, Object> candidate = (ReadOnlyKeyValueStore<Object, Object>)
                                streams.store(StoreQueryParameters.fromNameAndType(store,
                                        implementation.partitionQuery()).withPartition(partition));
                        found.set(candidate);
                        Counts counts = (Counts) candidate.get("a");
                        return counts != null && counts.events == 2;
                    } catch (InvalidStateStoreException notYet) {
                        return false; // rebalancing or restoring: asked again
                    }
                });
        return found.get();
    }

    /** Counts every event of a key in both stores. */
    private static final class CountingProcessor implements Processor<String, String, Void, Void> {
        private UpdatableStore<Counts> writeBehind;
        private UpdatableStore<Counts> stock;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            writeBehind = StoreImplementation.WRITE_BEHIND.open(context.getStateStore(WRITE_BEHIND_STORE));
            stock = StoreImplementation.STOCK.open(context.getStateStore(STOCK_STORE));
        }

        @Override
        public void process(Record<String, String> record) {
            count(writeBehind, record.key());
            count(stock, record.key());
        }

        private static void count(UpdatableStore<Counts> store, String key) {
            try {
                Counts value = store.getForUpdate(key);
                if (value == null) {
                    value = new Counts(0, 0);
                }
                value.count();
                store.put(key, value);
            } finally {
                store.finishUpdates();
            }
        }
    }
}
