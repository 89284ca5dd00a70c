package io.tierflow.cli;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import io.tierflow.serde.SchemaRegistryException;
import io.tierflow.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Kafka cluster and schema registry {@code tierflow produce} sends to: checked up front, so that an unreachable
 * or unprepared one is one clear message before anything is sent, and the settings of its producers.
 */
final class ProduceConnection {
    private final String bootstrapServers;
    private final String schemaRegistryUrl;
    private final Duration connectTimeout;

    ProduceConnection(String bootstrapServers, String schemaRegistryUrl, Duration connectTimeout) {
        this.bootstrapServers = bootstrapServers;
        this.schemaRegistryUrl = schemaRegistryUrl;
        this.connectTimeout = connectTimeout;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    // The serializers would register these schemas on the first send anyway; doing it now turns an unreachable
    // or refusing registry into one clear message before anything is sent.
    void checkRegistry(Topics topics, boolean registerDatasets) throws ProduceException {
        try {
            if (registerDatasets) {
                topics.registry().register(Topics.DATASETS + "-value", Dataset.getClassSchema());
            }
            topics.registry().register(Topics.ACCESS_EVENTS + "-value", AccessEvent.getClassSchema());
        } catch (SchemaRegistryException e) {
            throw new ProduceException(e.isUnreachable()
                    ? "cannot reach the schema registry at " + schemaRegistryUrl
                            + " (is the local stack running? --schema-registry-url if it is elsewhere)"
                    : "the schema registry at " + schemaRegistryUrl + " refused Tierflow's schemas: " + e.getMessage(),
                    e);
        }
    }

    void checkKafka() throws ProduceException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) connectTimeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) connectTimeout.toMillis());
        Admin admin;
        try {
            admin = Admin.create(props);
        } catch (KafkaException e) {
            throw new ProduceException("cannot use --bootstrap-servers " + bootstrapServers + ": "
                    + SendOutcome.rootMessage(e), e);
        }
        try {
            admin.describeTopics(List.of(Topics.DATASETS, Topics.ACCESS_EVENTS)).allTopicNames()
                    .get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new ProduceException("Kafka at " + bootstrapServers + " has no topics " + Topics.DATASETS
                        + " and " + Topics.ACCESS_EVENTS + ": start the local stack (tierflow local creates them) or "
                        + "create them", e);
            }
            throw new ProduceException(unreachableKafka(), e);
        } catch (TimeoutException e) {
            throw new ProduceException(unreachableKafka(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProduceException("interrupted while connecting to Kafka", e);
        } finally {
            admin.close(Duration.ZERO); // nothing to wait for, least of all an unreachable broker
        }
    }

    private String unreachableKafka() {
        return "cannot reach Kafka at " + bootstrapServers + " within " + connectTimeout.toSeconds()
                + " s (is the local stack running? --bootstrap-servers if it is elsewhere)";
    }

    Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tierflow-produce");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Throughput: wait a little to fill large batches, and compress them (events repeat keys and sites).
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // A send blocks this long for metadata or buffer space before failing, instead of the default 60 s.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) connectTimeout.toMillis());
        return props;
    }
}
