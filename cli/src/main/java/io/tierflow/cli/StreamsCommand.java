package io.tierflow.cli;

import io.tierflow.api.ApiSettings;
import io.tierflow.api.StreamsNode;
import io.tierflow.cli.whatif.TopicWhatIfRunner;
import io.tierflow.catalogue.SitePlace;
import io.tierflow.config.LayeredConfig;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.streams.TieringApp;
import io.tierflow.streams.TieringSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tierflow streams}: runs the tiering topology and its HTTP API until Ctrl-C. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = {"Runs the tiering topology (Kafka Streams, exactly-once) against a Kafka cluster and schema "
                + "registry; defaults point at `tierflow local`.",
                "Settings, each overriding the one before: built-in defaults, --config FILE, KAFKA_* and "
                        + "TIERFLOW_SCHEMA_REGISTRY_URL environment variables, then these flags."})
final class StreamsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Kafka Streams properties file (also "
            + "tierflow.streams.stores: write-behind, the default, or stock; tierflow.api.site.<name>.endpoint and .bucket: "
            + "the only place PUT /sites/<name> may put that site; tierflow.whatif.max.events: the most access events "
            + "a what-if from the console replays, default 200000).")
    Path configFile;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default: the local stack's).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", description = "Confluent-compatible registry (default: the local stack's).")
    String schemaRegistryUrl;

    @Option(names = "--application-id", description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
    String applicationId = TieringApp.DEFAULT_APPLICATION_ID;

    @Option(names = "--state-dir", description = "Where RocksDB state lives (default: .tierflow/streams-state).")
    Path stateDir;

    @Option(names = "--replication-factor", description = "Replication of internal topics (default: 1, local only).")
    Integer replicationFactor;

    @Option(names = "--event-time-clock", description = "Evaluate due datasets at stream time only (for replays), "
            + "not max(stream time, wall clock); also reads the inputs strictly in timestamp order (max.task.idle.ms=0).")
    boolean eventTimeClock;

    @Option(names = "--api-port", description = "Port of this node's HTTP API (default: ${DEFAULT-VALUE}; env "
            + "TIERFLOW_API_PORT). Each node of one application needs its own.")
    int apiPort = Converters.intEnv("TIERFLOW_API_PORT", ApiSettings.DEFAULT_PORT);

    @Option(names = "--api-bind", description = "Address the API listens on (default: ${DEFAULT-VALUE}).")
    String apiBind = "127.0.0.1";

    @Option(names = "--advertised-host", description = "Host other nodes reach this node's API at (default: "
            + "${DEFAULT-VALUE}); with --api-port it is the streams application.server.")
    String advertisedHost = "127.0.0.1";

    @Option(names = "--api-token-file", paramLabel = "FILE", description = "File holding the bearer token the "
            + "write endpoints require (default: env TIERFLOW_API_TOKEN; without either, writes are refused).")
    Path apiTokenFile;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> defaults = defaults(LocalStackConfig.defaults(), eventTimeClock);
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        flags.put("schema.registry.url", schemaRegistryUrl);
        flags.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        flags.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        flags.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        Properties config = LayeredConfig.resolve(defaults, configFile, System.getenv(), flags);

        PrintWriter out = spec.commandLine().getOut();
        out.printf("tierflow streams: application %s on %s, registry %s, state in %s%n",
                config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                config.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG), config.getProperty("schema.registry.url"),
                config.getProperty(StreamsConfig.STATE_DIR_CONFIG));
        out.flush();
        String token = apiTokenFile != null ? Files.readString(apiTokenFile).strip() : System.getenv("TIERFLOW_API_TOKEN");
        ApiSettings api = new ApiSettings(apiBind, apiPort, advertisedHost, token == null || token.isBlank() ? null
                : token, "api", ApiSettings.defaults().rebalanceWait(),
                SitePlace.pins(config, ApiSettings.SITE_PIN_PREFIX));
        TieringSettings settings = TieringSettings.from(config).withEventTimeClock(eventTimeClock);
        // The console's what-ifs run on this node, over the recorded topics (read only; the node closes the runner).
        StreamsNode node = StreamsNode.start(config, settings, api, TopicWhatIfRunner.forNode(config, settings));
        out.printf("tierflow streams: API on http://%s:%d%s%n", apiBind, node.apiPort(),
                api.token() == null ? " (writes refused: no token configured)" : "");
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "tierflow-streams-stop"));
        return node.awaitTermination();
    }

    /**
     * Settings under the config file, environment and flags: the local stack's addresses, and for a replay
     * ({@code --event-time-clock}) inputs read strictly in timestamp order.
     */
    static Map<String, Object> defaults(LocalStackConfig local, boolean eventTimeClock) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackConfig.HOST + ":" + local.kafkaPort());
        defaults.put("schema.registry.url",
                "http://" + LocalStackConfig.HOST + ":" + local.registryPort() + "/apis/ccompat/v7");
        defaults.put(StreamsConfig.STATE_DIR_CONFIG, local.dataDir().resolve("streams-state").toString());
        defaults.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        if (eventTimeClock) {
            // A replay should decide as the recorded run did: interleave the inputs strictly by timestamp, waiting for
            // each to be fetched (the live default, -1, does not wait; see TieringApp.topologyConfig).
            defaults.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
        }
        return defaults;
    }
}
