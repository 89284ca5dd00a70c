package io.tierflow.cli.trace;

import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of {@code tierflow import-trace} that say where Kafka and the schema registry are (the local stack's
 * by default), and the {@link TraceTopics} they open. A picocli mixin of {@link ImportTraceCommand}, so the options
 * stay where they were in its help.
 */
public final class KafkaConnectionOptions {
    private final LocalStackConfig local = LocalStackConfig.defaults();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka (default: the local stack's, ${DEFAULT-VALUE}).")
    String bootstrapServers = LocalStackConfig.HOST + ":" + local.kafkaPort();

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Confluent-compatible schema registry (default: the local stack's, ${DEFAULT-VALUE}).")
    String schemaRegistryUrl = "http://" + LocalStackConfig.HOST + ":" + local.registryPort() + "/apis/ccompat/v7";

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
            description = "How long to wait for Kafka before giving up, in seconds (default: ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds = 15;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The serde configuration for the registry chosen. */
    public Map<String, Object> serdeConfig() {
        return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    }

    public Duration connectTimeout() {
        return Duration.ofSeconds(connectTimeoutSeconds);
    }

    /** Connects and creates the topics that are missing; fails with a one-line reason. */
    TraceTopics open(String datasetsTopic, String eventsTopic) {
        return TraceTopics.open(bootstrapServers, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl),
                Duration.ofSeconds(connectTimeoutSeconds), datasetsTopic, eventsTopic);
    }
}
