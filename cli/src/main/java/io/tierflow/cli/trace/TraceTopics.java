package io.tierflow.cli.trace;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.Site;
import io.tierflow.serde.SchemaRegistryException;
import io.tierflow.topics.TopicAdmin;
import io.tierflow.topics.TopicSpec;
import io.tierflow.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Kafka side of an import: creates the target topics like the live ones (their partition count and
 * replication, the stream/compacted specs of the catalogue), registers the schemas, reads the sites catalogue, and
 * sends the importer's records. A thin adapter: what is sent is decided by {@link TraceImporter}.
 */
final class TraceTopics implements ImportOutput, AutoCloseable {
    private final String bootstrapServers;
    private final String datasetsTopic;
    private final String eventsTopic;
    private final Topics topics;
    private final Duration timeout;
    private final List<String> created;
    private final KafkaProducer<String, Dataset> datasets;
    private final KafkaProducer<String, AccessEvent> events;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final Callback outcome = (RecordMetadata metadata, Exception e) -> {
        if (e == null) {
            acknowledged.incrementAndGet();
        } else {
            firstFailure.compareAndSet(null, e);
        }
    };

    private TraceTopics(String bootstrapServers, Topics topics, Duration timeout, String datasetsTopic,
            String eventsTopic, List<String> created) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.timeout = timeout;
        this.datasetsTopic = datasetsTopic;
        this.eventsTopic = eventsTopic;
        this.created = created;
        this.datasets = new KafkaProducer<>(producerProperties(), topics.datasets.keySerde().serializer(),
                topics.datasets.valueSerde().serializer());
        this.events = new KafkaProducer<>(producerProperties(), topics.accessEvents.keySerde().serializer(),
                topics.accessEvents.valueSerde().serializer());
    }

    /** Connects, creates the topics that are missing and registers the schemas; fails with a one-line reason. */
    static TraceTopics open(String bootstrapServers, Map<String, Object> serdeConfig, Duration timeout,
            String datasetsTopic, String eventsTopic) {
        Topics topics = Topics.using(serdeConfig);
        List<String> created = createTopics(bootstrapServers, timeout, datasetsTopic, eventsTopic);
        try {
            topics.registry().register(datasetsTopic + "-value", Dataset.getClassSchema());
            topics.registry().register(eventsTopic + "-value", AccessEvent.getClassSchema());
        } catch (SchemaRegistryException e) {
            String url = String.valueOf(serdeConfig.get(io.tierflow.serde.AvroSerdeConfig.SCHEMA_REGISTRY_URL));
            throw new TraceImportException(registryMessage(e, url));
        }
        return new TraceTopics(bootstrapServers, topics, timeout, datasetsTopic, eventsTopic, created);
    }

    private static String registryMessage(SchemaRegistryException e, String url) {
        return e.isUnreachable() ? "cannot reach the schema registry at " + url
                + " (is the local stack running? --schema-registry-url if it is elsewhere)"
                : "the schema registry at " + url + " refused Tierflow's schemas: " + e.getMessage();
    }

    List<String> created() {
        return created;
    }

    // The live topics' partition count and replication are the cluster's rule (tierflow init / local chose them);
    // a what-if pair follows it, so a replay spreads its datasets over tasks the way the live run does.
    private static List<String> createTopics(String bootstrapServers, Duration timeout, String datasetsTopic,
            String eventsTopic) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Admin admin;
        try {
            admin = Admin.create(props);
        } catch (KafkaException e) {
            throw new TraceImportException("cannot use --bootstrap-servers " + bootstrapServers + ": "
                    + e.getMessage());
        }
        try {
            TopicDescription live = admin.describeTopics(List.of(Topics.ACCESS_EVENTS)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(Topics.ACCESS_EVENTS);
            int partitions = live.partitions().size();
            short replication = (short) live.partitions().get(0).replicas().size();
            return TopicAdmin.ensureTopics(admin, List.of(TopicSpec.compacted(datasetsTopic),
                    TopicSpec.stream(eventsTopic)), partitions, replication);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new TraceImportException("Kafka at " + bootstrapServers + " has no topic " + Topics.ACCESS_EVENTS
                        + " to take the partitioning from: start the local stack or run tierflow init first");
            }
            throw new TraceImportException(unreachable(bootstrapServers, timeout));
        } catch (TimeoutException e) {
            throw new TraceImportException(unreachable(bootstrapServers, timeout));
        } catch (IllegalStateException e) {
            throw new TraceImportException(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TraceImportException("interrupted while connecting to Kafka");
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private static String unreachable(String bootstrapServers, Duration timeout) {
        return "cannot reach Kafka at " + bootstrapServers + " within " + timeout.toSeconds()
                + " s (is the local stack running? --bootstrap-servers if it is elsewhere)";
    }

    /** The sites catalogue now: the latest record per site, read from the beginning to the current end. */
    List<Site> readSites() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Site> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, Site> consumer = new KafkaConsumer<>(props, topics.sites.keySerde().deserializer(),
                topics.sites.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SITES, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new TraceImportException("could not read the sites catalogue within " + timeout.toSeconds()
                            + " s");
                }
                for (ConsumerRecord<String, Site> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
            }
        } catch (KafkaException e) {
            throw new TraceImportException("could not read the sites catalogue: " + e.getMessage());
        }
        return new ArrayList<>(latest.values());
    }

    @Override
    public void dataset(Dataset dataset, long timestampMs) {
        send(datasets, datasetsTopic, dataset.getKey(), dataset, timestampMs);
    }

    @Override
    public void event(AccessEvent event) {
        send(events, eventsTopic, event.getKey(), event, event.getEventTime().toEpochMilli());
    }

    private <V> void send(KafkaProducer<String, V> producer, String topic, String key, V value, long timestamp) {
        if (firstFailure.get() != null) {
            throw new TraceImportException(failure());
        }
        try {
            producer.send(new ProducerRecord<>(topic, null, timestamp, key, value), outcome);
        } catch (KafkaException e) {
            firstFailure.compareAndSet(null, e);
            throw new TraceImportException(failure());
        }
    }

    /**
     * Waits for every record sent to be acknowledged. The inventory goes first: a dataset's record is then on the
     * broker no later than its first event.
     */
    void flush() {
        try {
            datasets.flush();
            events.flush();
        } catch (KafkaException e) {
            firstFailure.compareAndSet(null, e);
        }
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** The first send failure as one line, or null. */
    String failure() {
        Exception e = firstFailure.get();
        return e == null ? null : "could not write to " + datasetsTopic + "/" + eventsTopic + " at " + bootstrapServers
                + ": " + e.getMessage();
    }

    @Override
    public void close() {
        datasets.close(timeout);
        events.close(timeout);
    }

    private Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tierflow-import-trace");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        return props;
    }
}
