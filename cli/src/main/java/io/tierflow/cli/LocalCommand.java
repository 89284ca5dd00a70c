package io.tierflow.cli;

import io.tierflow.api.ApiSettings;
import io.tierflow.api.StreamsNode;
import io.tierflow.cli.rebalance.RebalanceLoop;
import io.tierflow.cli.whatif.TopicWhatIfRunner;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.migrator.MetricsEndpoint;
import io.tierflow.migrator.MigratorSettings;
import io.tierflow.migrator.MigratorWorker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.schemas.Policy;
import io.tierflow.streams.TieringSettings;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tierflow local}: the whole product on this machine, until Ctrl-C: the local stack, a streams node with its
 * API, a migrator pool and live traffic over datasets that are real objects on the sites.
 */
@Command(name = "local", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs Tierflow on 127.0.0.1 until Ctrl-C: a Kafka broker (KRaft), a schema registry (Apicurio, "
                + "Confluent API), three S3-compatible sites (aws, azure, gcp) and an on-prem file:// site; the "
                + "tiering topology with its HTTP API; a migrator pool; and live Zipf traffic with periodic bursts.",
                "On first start it uploads the datasets to the aws site as real objects and publishes a 'default' "
                + "policy with fast dynamics (2-minute heat half-life, 1-minute cooldown and retire grace), so "
                + "datasets are promoted, demoted and moved within minutes. State is kept in the data directory "
                + "across restarts; the API token is in <data dir>/api-token."})
final class LocalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final LocalStackConfig defaults = LocalStackConfig.defaults();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where all state is kept (default: ${DEFAULT-VALUE}; env TIERFLOW_DATA_DIR).")
    Path dataDir = defaults.dataDir();

    @Option(names = "--stack-only", description = "Start only the broker, registry and sites (for running the "
            + "streams app, migrators and traffic yourself).")
    boolean stackOnly;

    @Option(names = "--datasets", paramLabel = "N", description = "Datasets seeded on first start (default: "
            + "${DEFAULT-VALUE}).")
    int datasets = 2000;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", description = "Mean access events per second "
            + "(default: ${DEFAULT-VALUE}).")
    double rate = 50;

    @Option(names = "--api-port", description = "Port of the HTTP API (default: ${DEFAULT-VALUE}; env "
            + "TIERFLOW_API_PORT).")
    int apiPort = Converters.intEnv("TIERFLOW_API_PORT", ApiSettings.DEFAULT_PORT);

    @Option(names = "--rebalance-every", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How often the global placement pass runs and applies its pins (default: "
                    + "${DEFAULT-VALUE}; 0s: never; `tierflow rebalance --dry-run` still reports on demand).")
    Duration rebalanceEvery = Duration.ofHours(1);

    @Option(names = "--migrator-metrics-port", description = "Port of the migrator's Prometheus /metrics (default: "
            + "${DEFAULT-VALUE}; 0 picks a free one).")
    int migratorMetricsPort = 18090;

    @Option(names = "--kafka-port", description = "Kafka client port (default: ${DEFAULT-VALUE}; env TIERFLOW_KAFKA_PORT).")
    int kafkaPort = defaults.kafkaPort();

    @Option(names = "--controller-port",
            description = "KRaft controller port (default: ${DEFAULT-VALUE}; env TIERFLOW_CONTROLLER_PORT).")
    int controllerPort = defaults.controllerPort();

    @Option(names = "--registry-port",
            description = "Schema registry port (default: ${DEFAULT-VALUE}; env TIERFLOW_REGISTRY_PORT).")
    int registryPort = defaults.registryPort();

    @Option(names = "--site-port", paramLabel = "SITE=PORT",
            description = "Port of an S3-compatible site, repeatable (defaults: aws=19001, azure=19002, gcp=19003; "
                    + "env TIERFLOW_SITE_<NAME>_PORT).")
    Map<String, Integer> sitePorts = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Integer> ports = new LinkedHashMap<>(defaults.sitePorts());
        for (String site : sitePorts.keySet()) {
            if (!ports.containsKey(site)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown site '" + site + "' in --site-port: the S3-compatible sites are aws, azure and gcp");
            }
        }
        ports.putAll(sitePorts);
        LocalStackConfig config = defaults.withDataDir(dataDir).withPorts(kafkaPort, controllerPort, registryPort, ports);
        out.println("tierflow local: starting Kafka, the schema registry and the sites in " + dataDir.toAbsolutePath()
                + " (first start unpacks the registry, ~10 s)...");
        out.flush();
        List<AutoCloseable> running = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("tierflow local: stopping...");
            for (int i = running.size() - 1; i >= 0; i--) {
                try {
                    running.get(i).close();
                } catch (Exception e) {
                    System.err.println("tierflow local: while stopping: " + e);
                }
            }
            stopped.countDown();
        }, "tierflow-local-stop"));
        LocalStack stack = LocalStack.start(config);
        running.add(stack);
        stack.leaveStoppingToOwner(); // the hook above stops it, after the apps that use it
        if (stackOnly) {
            out.println("tierflow local: ready.");
            out.print(stack.describe());
        } else {
            startTheLoop(stack, running, out);
        }
        out.println("Press Ctrl-C to stop; state stays in " + stack.dataDir() + ".");
        out.flush();
        stopped.await();
        return 0;
    }

    private void startTheLoop(LocalStack stack, List<AutoCloseable> running, PrintWriter out) throws Exception {
        Path tokenFile = apiToken(stack.dataDir());
        boolean firstStart = !Files.exists(stack.dataDir().resolve("seeded"));
        if (firstStart) {
            publishDemoPolicy(stack);
        }

        Properties streams = new Properties();
        streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        streams.put("schema.registry.url", stack.schemaRegistryUrl());
        streams.put(StreamsConfig.STATE_DIR_CONFIG, stack.dataDir().resolve("streams-state").toString());
        streams.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        ApiSettings api = ApiSettings.defaults().withPort(apiPort).withToken(Files.readString(tokenFile).strip());
        StreamsNode node = StreamsNode.start(streams, TieringSettings.DEFAULTS, api,
                TopicWhatIfRunner.forNode(streams, TieringSettings.DEFAULTS));
        running.add(node);

        Properties migrator = new Properties();
        migrator.put("bootstrap.servers", stack.bootstrapServers());
        migrator.put("schema.registry.url", stack.schemaRegistryUrl());
        // The worker signs requests only where its configuration pins a site: here, the sites this stack runs.
        migrator.putAll(MigratorSettings.pinning(stack.config().sitePlaces()));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("TIERFLOW_S3_ACCESS_KEY", stack.config().s3AccessKey());
        env.putIfAbsent("TIERFLOW_S3_SECRET_KEY", stack.config().s3SecretKey());
        // The migrator's own registry and endpoint, as `tierflow migrator` has; the JVM's meters are already on the
        // streams node's registry, this being one JVM.
        PrometheusMeterRegistry migratorMetrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsEndpoint endpoint = MetricsEndpoint.start(migratorMetrics, LocalStackConfig.HOST, migratorMetricsPort);
        running.add(endpoint);
        MigratorWorker worker = new MigratorWorker(migrator, env, migratorMetrics);
        worker.start();
        running.add(worker);

        List<String> traffic = new ArrayList<>(List.of("--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl(), "--datasets", String.valueOf(datasets),
                "--rate", String.valueOf(rate), "--follow-control", "--max-object-bytes", "256KiB",
                "--burst-keys", "3,17,40,120", "--burst-every", "4m", "--burst-length", "90s",
                "--data-dir", stack.dataDir().toString()));
        stack.config().sitePorts().forEach((site, port) -> traffic.addAll(List.of("--site-port", site + "=" + port)));
        if (firstStart) {
            // Marked seeded only once every dataset is uploaded and registered: an interrupted first start seeds again.
            traffic.addAll(List.of("--upload-to", "aws", "--registered-marker",
                    stack.dataDir().resolve("seeded").toString()));
        } else {
            traffic.add("--no-register-datasets"); // the datasets exist and may have moved: keep what Kafka knows
        }
        out.println("tierflow local: the streams node, its API and a migrator are running; "
                + (firstStart ? "uploading " + datasets + " datasets to aws, then " : "") + "traffic at " + rate
                + " events/s.");
        out.flush();
        CommandLine produce = new CommandLine(new ProduceCommand()).setOut(out).setErr(out);
        Thread trafficThread = new Thread(() -> {
            int exit = produce.execute(traffic.toArray(String[]::new));
            if (exit == 0 && firstStart) {
                out.println("tierflow local: traffic stopped");
            } else if (exit != 0) {
                out.println("tierflow local: traffic stopped with exit code " + exit);
            }
            out.flush();
        }, "tierflow-local-traffic");
        trafficThread.setDaemon(true);
        trafficThread.start();

        String base = "http://127.0.0.1:" + node.apiPort();
        if (!rebalanceEvery.isZero() && !rebalanceEvery.isNegative()) {
            // Elected like any other instance (one process here, so always this one): the same loop as
            // `tierflow rebalance --apply --every`, reading the estate through this node's API.
            running.add(RebalanceLoop.start(URI.create(base), stack.bootstrapServers(), stack.schemaRegistryUrl(),
                    "tierflow-rebalance", rebalanceEvery, TieringSettings.DEFAULTS.capacityHeadroom(), out));
            out.println("tierflow local: the global placement pass runs every " + rebalanceEvery
                    + " (--rebalance-every)");
        }
        out.print(stack.describe());
        out.println("console:   " + base + "/  (open it in a browser; Actions asks for the token in " + tokenFile + ")");
        out.println("API:       " + base + "  (token: " + tokenFile + ")");
        out.println("metrics:   " + base + "/metrics (streams node), " + endpoint.url() + " (migrator)");
        out.println("Try:");
        out.println("  curl -s " + base + "/stats");
        out.println("  curl -s '" + base + "/datasets?tier=HOT&limit=5'");
        out.println("  curl -s " + base + "/datasets/datasets/d000003/explain");
        out.println("  curl -s -X POST -H \"Authorization: Bearer $(cat " + tokenFile + ")\" -d '{\"keys\": "
                + "[\"datasets/d001500\"], \"eventsPerSecond\": 20, \"durationSeconds\": 120}' " + base + "/control/burst");
    }

    /** The API token: made once, random, readable by the owner only. */
    private static Path apiToken(Path dataDir) throws IOException {
        Path file = dataDir.resolve("api-token");
        if (!Files.exists(file)) {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            Files.writeString(file, HexFormat.of().formatHex(bytes) + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the data directory's own permissions apply
            }
        }
        return file;
    }

    /**
     * The 'default' policy of the local demo: the built-in policy's shape with minutes instead of hours, so that a
     * burst promotes a dataset within a minute and a quiet dataset is demoted a few minutes later.
     */
    static Policy demoPolicy(Instant now) {
        return Policy.newBuilder().setName("default").setHeatHalfLifeSeconds(120)
                .setOpWeights(Map.of("GET", 1.0, "PUT", 0.5, "HEAD", 0.1, "LIST", 0.1, "DELETE", 0.0))
                .setHotThreshold(40).setWarmThreshold(4).setHysteresis(0.25).setScoreBoost(5)
                .setReplicationHot(2).setReplicationWarm(1).setReplicationCold(1).setDefaultLatencySlaMs(50)
                .setMigrationBudgetBytesPerHour(50L << 30).setCooldownSeconds(60).setHorizonDays(30)
                .setRetireGraceSeconds(60).setLatenessSeconds(60).setUpdatedAt(now).build();
    }

    private static void publishDemoPolicy(LocalStack stack) throws Exception {
        Topics topics = stack.topics();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Policy> producer = new KafkaProducer<>(config,
                topics.policies.keySerde().serializer(), topics.policies.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.POLICIES, "default", demoPolicy(Instant.now()))).get();
        }
    }

}
