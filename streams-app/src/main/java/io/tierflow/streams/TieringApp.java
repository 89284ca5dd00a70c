package io.tierflow.streams;

import io.tierflow.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tiering topology: wires configuration and lifecycle, nothing else. Exits non-zero if the streams client
 * dies (state ERROR); closes cleanly on shutdown; never wipes local state.
 */
public final class TieringApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TieringApp.class);
    public static final String DEFAULT_APPLICATION_ID = "tierflow-streams";

    private final KafkaStreams streams;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaStreams.State lastState = KafkaStreams.State.CREATED;

    /** Settings every deployment of the topology gets unless overridden (STYLE: putIfAbsent defaults). */
    public static Map<String, Object> topologyConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        // Bad records in the global tables (sites, policies, models) are dead-lettered too, not fatal.
        config.put("processing.exception.handler.global.enabled", true);
        // Decisions work on minutes to hours, so outputs may wait a second for their transaction: committing every
        // second rather than every 100 ms (the exactly-once default) lets the record cache merge a popular dataset's
        // activity updates over a second before they reach RocksDB and the changelog, and cuts transactions tenfold.
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
        // Room for a second of dirty activity values (a few hundred bytes each) and the hot datasets' clean ones.
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
        return config;
    }

    /**
     * @param config Kafka Streams settings plus {@code schema.registry.url}; defaults from
     *     {@link #topologyConfig()} are filled in where absent
     */
    public TieringApp(Properties config, TieringSettings settings) {
        Properties effective = new Properties();
        effective.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        topologyConfig().forEach(effective::put);
        effective.putAll(config);
        Map<String, Object> serdeConfig = new HashMap<>();
        effective.forEach((k, v) -> serdeConfig.put(k.toString(), v));
        Topology topology = TieringTopology.build(Topics.using(serdeConfig), settings);
        log.debug("tiering topology:\n{}", topology.describe());
        streams = new KafkaStreams(topology, effective);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread died; shutting the client down", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((newState, oldState) -> {
            log.info("streams state {} -> {}", oldState, newState);
            lastState = newState;
            if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
    }

    public void start() {
        streams.start();
    }

    /** The running client, for interactive queries. */
    public KafkaStreams streams() {
        return streams;
    }

    /** Blocks until the client stops; returns the process exit code (non-zero after an error). */
    public int awaitTermination() throws InterruptedException {
        stopped.await();
        return lastState == KafkaStreams.State.ERROR ? 1 : 0;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
