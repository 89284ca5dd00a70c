package io.tierflow.streams;

import io.tierflow.streams.store.KeyPartitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Dataset;
import io.tierflow.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.zip.CRC32;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events from a producer that does not partition by murmur2 (librdkafka's default, CRC32) land on the right dataset,
 * on the real broker with its six partitions per topic: each counted once, each dataset held once, by the task that
 * owns its key.
 */
class ProducerPartitioningIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int EVENTS_PER_KEY = 5;

    @TempDir
    Path dir;

    /**
     * librdkafka's default partitioner for keyed records ({@code consistent_random}): CRC32 of the key bytes, unsigned,
     * modulo the partition count. Producers built on it (confluent-kafka-python, -go, -dotnet, node-rdkafka) use it
     * unless configured with {@code partitioner=murmur2_random}.
     */
    public static final class LibrdkafkaCrc32Partitioner implements Partitioner {
        static int partition(byte[] keyBytes, int partitions) {
            CRC32 crc = new CRC32();
            crc.update(keyBytes);
            return (int) (crc.getValue() % partitions);
        }

        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                Cluster cluster) {
            return partition(keyBytes, cluster.partitionCountForTopic(topic));
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    @Test
    void shouldCountEventsFromACrc32ProducerOnTheRightDatasetOnceAndHoldEachDatasetOnce() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        Topics topics = stack.topics();
        int partitions = Topics.DEFAULT_PARTITIONS;
        Serializer<String> keySerializer = Serdes.String().serializer();
        // Keys the two partitioners put on different partitions: every one of their records is misplaced.
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < 12; i++) {
            String key = "it/crc/d" + i;
            byte[] bytes = keySerializer.serialize(Topics.ACCESS_EVENTS, key);
            if (LibrdkafkaCrc32Partitioner.partition(bytes, partitions) != KeyPartitions.of(key,
                    partitions)) {
                keys.add(key);
            }
        }
        Instant now = Instant.now();
        List<ProducerRecord<String, Dataset>> inventory = new ArrayList<>();
        List<ProducerRecord<String, AccessEvent>> events = new ArrayList<>();
        for (String key : keys) {
            inventory.add(new ProducerRecord<>(Topics.DATASETS, key, Dataset.newBuilder().setKey(key)
                    .setSizeBytes(1_000_000L).setContentType("application/octet-stream").setOwner("it")
                    .setVersionToken("\"v1\"").setSha256("ab".repeat(32)).setPrimarySite("azure")
                    .setStorageClass("GLACIER_IR").setUpdatedAt(now).build()));
            for (int e = 0; e < EVENTS_PER_KEY; e++) {
                events.add(new ProducerRecord<>(Topics.ACCESS_EVENTS, key, AccessEvent.newBuilder().setKey(key)
                        .setOp(AccessOp.GET).setBytes(1_000).setServedFrom("azure").setClientRegion("eu-west")
                        .setLatencyMs(20).setEventTime(now.plusMillis(e)).setEventId(key + "#" + e).build()));
            }
        }
        // Half the inventory from a Java producer (murmur2), half from the CRC32 one; every event from CRC32.
        produce(stack, false, topics.datasets.valueSerde().serializer(), inventory.subList(0, keys.size() / 2));
        produce(stack, true, topics.datasets.valueSerde().serializer(),
                inventory.subList(keys.size() / 2, keys.size()));
        produce(stack, true, topics.accessEvents.valueSerde().serializer(), events);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (TieringApp app = new TieringApp(config(stack), TieringSettings.DEFAULTS, registry,
                Duration.ofSeconds(1))) {
            app.start();
            Eventually.holds(TIMEOUT, () -> "every event counted on the partition that owns its key: "
                    + counted(app, keys, partitions), () -> counted(app, keys, partitions).values().stream()
                    .allMatch(c -> c == EVENTS_PER_KEY));
            Eventually.holds(TIMEOUT, "every dataset decided", () -> entries(app,
                    TieringTopology.DATASET_STATE_STORE, partitions).size() == keys.size());

            // Every key once in each dataset store, on its own partition: no phantom entry anywhere.
            for (String store : List.of(TieringTopology.DATASET_STATE_STORE,
                    TieringTopology.DATASET_ACTIVITY_STORE)) {
                Map<String, List<Integer>> where = entries(app, store, partitions);
                assertEquals(keys.size(), where.size(), store + " holds exactly the keys: " + where.keySet());
                for (String key : keys) {
                    assertEquals(List.of(KeyPartitions.of(key, partitions)), where.get(key),
                            store + " holds " + key + " once, on the partition murmur2 gives it");
                }
            }
            assertEquals(keys.size() * EVENTS_PER_KEY, registry.get("tierflow.access.events")
                    .tag("outcome", "counted").counter().count(), "each event counted exactly once");
            assertEquals(keys.size() * EVENTS_PER_KEY, registry.get("tierflow.records.rerouted")
                    .tag("topic", Topics.ACCESS_EVENTS).counter().count());
            assertEquals(keys.size() / 2, registry.get("tierflow.records.rerouted")
                    .tag("topic", Topics.DATASETS).counter().count(), "only misplaced records pay");
        }

        // A topic keyed by dataset with another partition count stops the app at start, with the reason.
        recreate(stack, Topics.MIGRATION_STATUS, 3);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new TieringApp(config(stack), TieringSettings.DEFAULTS).close());
        assertTrue(refused.getMessage().contains("migration-status=3"), refused.getMessage());
        assertNotEquals(3, partitions);
    }

    private Properties config(LocalStack stack) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-partitioning-it");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return config;
    }

    private static <V> void produce(LocalStack stack, boolean crc32, Serializer<V> values,
            List<ProducerRecord<String, V>> records) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        if (crc32) {
            props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, LibrdkafkaCrc32Partitioner.class.getName());
        }
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(props, Serdes.String().serializer(), values)) {
            for (ProducerRecord<String, V> record : records) {
                producer.send(record).get();
            }
        }
    }

    /** Events counted per key, read from the store partition that owns the key (-1 while it is not readable). */
    private static Map<String, Long> counted(TieringApp app, List<String> keys, int partitions) {
        Map<String, Long> counted = new HashMap<>();
        for (String key : keys) {
            try {
                ReadOnlyKeyValueStore<String, DatasetActivity> store = app.streams().store(StoreQueryParameters
                        .fromNameAndType(TieringTopology.DATASET_ACTIVITY_STORE,
                                QueryableStoreTypes.<String, DatasetActivity>keyValueStore())
                        .withPartition(KeyPartitions.of(key, partitions)));
                DatasetActivity activity = store.get(key);
                counted.put(key, activity == null ? 0 : activity.activity.totalEvents());
            } catch (InvalidStateStoreException e) {
                counted.put(key, -1L);
            }
        }
        return counted;
    }

    /** The partitions of {@code storeName} that hold each key (empty while a partition is not readable). */
    private static Map<String, List<Integer>> entries(TieringApp app, String storeName, int partitions) {
        Map<String, List<Integer>> where = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            try {
                ReadOnlyKeyValueStore<String, Object> store = app.streams().store(StoreQueryParameters
                        .fromNameAndType(storeName, QueryableStoreTypes.<String, Object>keyValueStore())
                        .withPartition(partition));
                try (KeyValueIterator<String, Object> all = store.all()) {
                    while (all.hasNext()) {
                        KeyValue<String, Object> entry = all.next();
                        where.computeIfAbsent(entry.key, k -> new ArrayList<>()).add(partition);
                    }
                }
            } catch (InvalidStateStoreException e) {
                return Map.of();
            }
        }
        return where;
    }

    private static void recreate(LocalStack stack, String topic, int partitions) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.deleteTopics(List.of(topic)).all().get();
            // Deletion completes in the background: create again until the broker takes it.
            Eventually.holds(TIMEOUT, topic + " created again with " + partitions + " partitions", () -> {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
                    return true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        return false;
                    }
                    throw e;
                }
            });
            // The controller answers before every broker's metadata has the topic, and the app reads the metadata.
            Eventually.holds(TIMEOUT, topic + " visible with " + partitions + " partitions", () -> {
                try {
                    return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size()
                            == partitions;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        return false;
                    }
                    throw e;
                }
            });
        }
    }
}
