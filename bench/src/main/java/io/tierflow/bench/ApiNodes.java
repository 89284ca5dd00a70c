package io.tierflow.bench;

import io.tierflow.api.ApiSettings;
import io.tierflow.api.StreamsNode;
import io.tierflow.cli.traffic.DatasetSpec;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.streams.TieringSettings;
import io.tierflow.streams.TieringTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The API benchmark's streams nodes (tiering topology + query API) of one application: starting them as production
 * runs them, waiting until they run, which keys each owns, and where a stall of theirs could come from.
 */
final class ApiNodes {
    static final String APPLICATION_ID = "bench-api";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final LocalStack stack;
    private final Path work;
    /** What is running, for the clean-up; nodes go first, so they are closed before the stack. */
    private final List<AutoCloseable> running;

    ApiNodes(LocalStack stack, Path work, List<AutoCloseable> running) {
        this.stack = stack;
        this.work = work;
        this.running = running;
    }

    /**
     * A node as production runs it: the tiering app's defaults (exactly-once v2, commits every second with a 64 MiB
     * record cache, one stream thread per core) and the default tiering settings (due datasets evaluated every second);
     * replication factor 1 because the local stack has one broker.
     */
    StreamsNode start(String name) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state-" + name).toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        StreamsNode node = StreamsNode.start(config, TieringSettings.DEFAULTS,
                ApiSettings.defaults().withPort(LocalStackConfig.freePort()));
        running.add(0, node); // closed before the stack
        return node;
    }

    static void awaitRunning(StreamsNode... nodes) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (StreamsNode node : nodes) {
            while (node.app().streams().state() != KafkaStreams.State.RUNNING) {
                failed(node).ifPresent(why -> {
                    throw new IllegalStateException(why);
                });
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a streams node is not RUNNING after " + START_TIMEOUT + ": "
                            + node.app().streams().state());
                }
                Thread.sleep(100); // polling a condition: the node's state
            }
        }
    }

    static Optional<String> failed(StreamsNode node) {
        KafkaStreams.State state = node.app().streams().state();
        return switch (state) {
            case ERROR, PENDING_ERROR, NOT_RUNNING, PENDING_SHUTDOWN ->
                    Optional.of("the streams node on port " + node.apiPort() + " is " + state);
            default -> Optional.empty();
        };
    }

    /** Keys owned by node A (true) and by node B (false), as node A's streams client sees the ownership. */
    static Map<Boolean, List<String>> splitByOwner(StreamsNode nodeA, List<DatasetSpec> inventory) {
        KafkaStreams streams = nodeA.app().streams();
        HostInfo self = new HostInfo(LocalStackConfig.HOST, nodeA.apiPort());
        Map<Boolean, List<String>> byOwner = new HashMap<>(Map.of(true, new ArrayList<>(), false, new ArrayList<>()));
        for (DatasetSpec spec : inventory) {
            KeyQueryMetadata owner = streams.queryMetadataForKey(TieringTopology.DATASET_STATE_STORE, spec.key(),
                    Serdes.String().serializer());
            if (owner == null || owner.activeHost() == null || owner.activeHost().equals(HostInfo.unavailable())) {
                throw new IllegalStateException("no owner known for " + spec.key() + " after loading");
            }
            byOwner.get(owner.activeHost().equals(self)).add(spec.key());
        }
        return byOwner;
    }

    /**
     * The longest commit, punctuation, record and poll of the node's stream threads in Kafka's metric window (the
     * last minute or so), the longest GC pause of this JVM (Micrometer's window, about two minutes) and the node's
     * last census of its state: which of them can make a probe wait for seconds.
     */
    static String worstStalls(StreamsNode node) {
        Map<String, Double> worst = new java.util.TreeMap<>();
        double[] producerRetries = {0};
        node.app().streams().metrics().forEach((name, metric) -> {
            if (name.group().equals("stream-thread-metrics") && name.name().endsWith("-latency-max")
                    && metric.metricValue() instanceof Double value && !value.isNaN()) {
                worst.merge(name.name().replace("-latency-max", ""), value, Math::max);
            }
            // A transactional send retried (e.g. the previous commit's markers not written yet) holds up the next
            // commit, which waits for every send of its transaction.
            if (name.group().equals("producer-metrics") && name.name().equals("record-retry-total")
                    && metric.metricValue() instanceof Double value) {
                producerRetries[0] += value;
            }
        });
        double gcPauseMs = node.app().meterRegistry().find("jvm.gc.pause").timers().stream()
                .mapToDouble(t -> t.max(java.util.concurrent.TimeUnit.MILLISECONDS)).max().orElse(Double.NaN);
        io.micrometer.core.instrument.Gauge census = node.app().meterRegistry().find("tierflow.census.duration")
                .gauge();
        return String.format(java.util.Locale.ROOT, "%s ms; GC pause %.0f ms; census %.2f s; %.0f sends retried",
                worst.entrySet().stream().map(e -> String.format(java.util.Locale.ROOT, "%s %.0f", e.getKey(),
                        e.getValue())).collect(Collectors.joining(", ")), gcPauseMs,
                census == null ? Double.NaN : census.value(), producerRetries[0]);
    }
}
