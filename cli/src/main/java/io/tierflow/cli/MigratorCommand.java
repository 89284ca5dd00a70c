package io.tierflow.cli;

import io.tierflow.config.LayeredConfig;
import io.tierflow.catalogue.SitePlace;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.migrator.MetricsEndpoint;
import io.tierflow.migrator.MigratorMetrics;
import io.tierflow.migrator.MigratorSettings;
import io.tierflow.migrator.MigratorWorker;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tierflow migrator}: runs a migrator worker pool until Ctrl-C. */
@Command(name = "migrator", mixinStandardHelpOptions = true,
        description = {"Runs a migrator worker pool: executes migration commands (copy, switch, retire) against "
                + "the sites of the catalogue and reports their status; defaults point at `tierflow local`.",
                "Settings, each overriding the one before: built-in defaults, --config FILE, KAFKA_* and "
                        + "TIERFLOW_SCHEMA_REGISTRY_URL environment variables, then these flags. S3 credentials "
                        + "come from TIERFLOW_SITE_<NAME>_ACCESS_KEY/_SECRET_KEY or TIERFLOW_S3_ACCESS_KEY/"
                        + "_SECRET_KEY."})
final class MigratorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (Kafka clients and "
            + "tierflow.migrator.* settings).")
    Path configFile;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default: the local stack's).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", description = "Confluent-compatible registry (default: the local stack's).")
    String schemaRegistryUrl;

    @Option(names = "--concurrency", description = "Transfers at once (default: 4).")
    Integer concurrency;

    @Option(names = "--multipart-threshold", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Objects from this size on are written in parts, e.g. 256MiB (default: 1GiB).")
    Long multipartThreshold;

    @Option(names = "--part-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Size of each part, at least 5MiB (default: 64MiB).")
    Long partSize;

    @Option(names = "--parts-in-flight", description = "Parts of one object uploading at once, each held in memory "
            + "(default: 3).")
    Integer partsInFlight;

    @Option(names = "--part-memory", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Memory all part buffers of this process may hold at once (default: 256MiB).")
    Long partMemory;

    @Option(names = "--require-encrypted-destinations", description = "Refuse (policy_blocked) to copy to sites "
            + "that are not encrypted at rest.")
    Boolean requireEncrypted;

    @Option(names = "--metrics-port", description = "Port of GET /metrics (Prometheus); 0 picks a free "
            + "one (default: 18090; setting tierflow.migrator.metrics-port).")
    Integer metricsPort;

    @Option(names = "--metrics-bind", description = "Address GET /metrics listens on (default: ${DEFAULT-VALUE}; "
            + "0.0.0.0 in a container that Prometheus scrapes from another).")
    String metricsBind = LocalStackConfig.HOST;

    @Option(names = "--worker-id", description = "Name written into every status (default: pid@host).")
    String workerId;

    @Option(names = "--site", paramLabel = "NAME=ENDPOINT", description = "Pins a site, repeatable: requests to site "
            + "NAME are signed only at ENDPOINT and --bucket, as `tierflow init --site` publishes it (setting "
            + "tierflow.migrator.site.NAME.endpoint / .bucket). A site without a pin is refused. With no pin at all "
            + "and the local stack's Kafka, the local stack's sites are pinned.")
    Map<String, URI> sites = new LinkedHashMap<>();

    @Option(names = "--bucket", description = "Bucket of every site pinned with --site (default: ${DEFAULT-VALUE}).")
    String bucket = LocalStack.BUCKET;

    @Override
    public Integer call() throws Exception {
        LocalStackConfig local = LocalStackConfig.defaults();
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, LocalStackConfig.HOST + ":" + local.kafkaPort());
        defaults.put("schema.registry.url",
                "http://" + LocalStackConfig.HOST + ":" + local.registryPort() + "/apis/ccompat/v7");
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        flags.put("schema.registry.url", schemaRegistryUrl);
        flags.put(MigratorSettings.CONCURRENCY, concurrency);
        flags.put(MigratorSettings.MULTIPART_THRESHOLD, multipartThreshold);
        flags.put(MigratorSettings.PART_SIZE, partSize);
        flags.put(MigratorSettings.PARTS_IN_FLIGHT, partsInFlight);
        flags.put(MigratorSettings.PART_MEMORY, partMemory);
        flags.put(MigratorSettings.REQUIRE_ENCRYPTED, requireEncrypted);
        flags.put(MigratorSettings.WORKER_ID, workerId);
        flags.put(MigratorSettings.METRICS_PORT, metricsPort);
        sites.forEach((name, endpoint) -> flags.putAll(
                new SitePlace(endpoint.toString(), bucket).asConfig(MigratorSettings.SITE_PIN_PREFIX, name)));
        Properties config = LayeredConfig.resolve(defaults, configFile, System.getenv(), flags);
        boolean localPins = pinLocalSitesIfUnpinned(config, local);
        MigratorSettings settings = MigratorSettings.from(config); // fail fast on bad settings, before connecting

        PrintWriter out = spec.commandLine().getOut();
        out.printf("tierflow migrator: worker %s on %s, registry %s, concurrency %d%n", settings.workerId(),
                config.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG),
                config.getProperty("schema.registry.url"), settings.concurrency());
        if (localPins) {
            out.printf("tierflow migrator: no site pinned, so the local stack's are: %s%n", local.sitePlaces());
        }
        out.flush();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (AutoCloseable jvm = MigratorMetrics.bindJvmMeters(registry);
                MetricsEndpoint metrics = MetricsEndpoint.start(registry, metricsBind,
                        settings.metricsPort())) {
            out.printf("tierflow migrator: metrics at %s%n", metrics.url());
            out.flush();
            MigratorWorker worker = new MigratorWorker(config, System.getenv(), registry);
            Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "tierflow-migrator-stop"));
            worker.start();
            return worker.awaitTermination();
        }
    }

    /**
     * Pins the sites of the local stack {@code local} when {@code config} pins none and reaches that stack's Kafka:
     * the command's defaults point at {@code tierflow local}, and that stack's sites are where its catalogue says.
     * Against any other cluster nothing is pinned implicitly, so an unpinned site is refused.
     *
     * @return whether it pinned them
     */
    static boolean pinLocalSitesIfUnpinned(Properties config, LocalStackConfig local) {
        boolean anyPin = config.stringPropertyNames().stream()
                .anyMatch(key -> key.startsWith(MigratorSettings.SITE_PIN_PREFIX));
        String localKafka = LocalStackConfig.HOST + ":" + local.kafkaPort();
        if (anyPin || !localKafka.equals(config.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG))) {
            return false;
        }
        config.putAll(MigratorSettings.pinning(local.sitePlaces()));
        return true;
    }

    /** Reads sizes like {@code 67108864}, {@code 512KiB}, {@code 64MiB} or {@code 1GiB}. */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            long unit = 1;
            for (String[] suffix : new String[][] {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"}}) {
                if (text.endsWith(suffix[0])) {
                    unit = Long.parseLong(suffix[1]);
                    text = text.substring(0, text.length() - suffix[0].length()).strip();
                }
            }
            try {
                return Math.multiplyExact(Long.parseLong(text), unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("not a size: '" + value + "' (use e.g. 64MiB)");
            }
        }
    }
}
