package io.tierflow.cli;

import io.tierflow.cli.traffic.CurrentPlacements;
import io.tierflow.cli.traffic.DatasetInventory;
import io.tierflow.cli.traffic.DatasetSpec;
import io.tierflow.cli.traffic.OperatorBursts;
import io.tierflow.cli.traffic.TrafficConfig;
import io.tierflow.cli.traffic.TrafficGenerator;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tierflow produce}: realistic access traffic to Kafka (Zipf popularity, a diurnal cycle, bursts, client
 * regions), after registering the datasets it is about and, if asked, putting them on a site as real objects.
 * This class holds the options and the order of the steps; {@link ProduceConnection} checks Kafka and the registry,
 * {@link DatasetRegistration} registers (and uploads) the datasets and {@link TrafficSender} sends the traffic.
 */
@Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generates realistic access traffic to the access-events topic: Zipf popularity over the "
                + "datasets, a diurnal cycle, bursts on chosen datasets and clients in several regions. First it "
                + "registers the datasets in the datasets topic, and with --upload-to puts them on a site as real "
                + "objects, so their checksums and version tokens are those of the stored bytes.",
                "Event time starts at --start and runs --speedup times as fast as the clock; --rate, --duration "
                + "and the burst periods are in event time. Stops after --duration or --events, or on Ctrl-C."},
        footer = {"", "Examples, against the running local stack:",
                "  # 5 minutes of live traffic over 1000 datasets, uploaded to the aws site first",
                "  tierflow produce --rate 200 --duration 5m --upload-to aws",
                "  # a simulated day in 2 minutes, with bursts on the datasets ranked 3 and 17",
                "  tierflow produce --rate 5 --duration 24h --speedup 720 --burst-keys 3,17",
                "  # load test: a million events as fast as possible",
                "  tierflow produce --unthrottled --events 1000000"})
final class ProduceCommand implements Callable<Integer> {
    /** The broker's default {@code log.message.timestamp.after.max.ms}: later timestamps are rejected. */
    private static final Duration BROKER_FUTURE_LIMIT = Duration.ofHours(1);

    @Spec
    CommandSpec spec;

    private final LocalStackConfig local = LocalStackConfig.defaults();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka to produce to (default: the local stack's, ${DEFAULT-VALUE}).")
    String bootstrapServers = LocalStackConfig.HOST + ":" + local.kafkaPort();

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Confluent-compatible schema registry (default: the local stack's, ${DEFAULT-VALUE}).")
    String schemaRegistryUrl = "http://" + LocalStackConfig.HOST + ":" + local.registryPort() + "/apis/ccompat/v7";

    @Mixin
    ProduceTrafficOptions traffic = new ProduceTrafficOptions();

    @Option(names = "--sites", split = ",", paramLabel = "SITE",
            description = "Sites the datasets' primary copies are spread over (default: aws,azure,gcp,onprem); "
                    + "with --upload-to, every dataset is on that site.")
    List<String> sites = new ArrayList<>(List.of("aws", "azure", "gcp", LocalStackConfig.ONPREM_SITE));

    @Option(names = "--max-object-bytes", paramLabel = "SIZE", converter = Converters.ByteSizeConverter.class,
            description = "Largest dataset; sizes are log-normal around 1 MiB, cut at SIZE (default: 16MiB).")
    long maxObjectBytes = 16L << 20;

    @Option(names = "--register-datasets", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Write a Dataset record per dataset to the datasets topic before the traffic "
                    + "(default: true).")
    boolean registerDatasets;

    @Option(names = "--upload-to", paramLabel = "SITE",
            description = "Put every dataset on this local site as a real object first: aws, azure, gcp (S3) or "
                    + "onprem (files under --data-dir). Credentials from TIERFLOW_S3_ACCESS_KEY and "
                    + "TIERFLOW_S3_SECRET_KEY (default: no upload).")
    String uploadTo;

    @Option(names = "--site-port", paramLabel = "SITE=PORT",
            description = "Port of a local S3 site, for --upload-to (defaults: aws=19001, azure=19002, gcp=19003; "
                    + "env TIERFLOW_SITE_<NAME>_PORT).")
    Map<String, Integer> sitePorts = new LinkedHashMap<>();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The local stack's data directory, for --upload-to onprem (default: ${DEFAULT-VALUE}; "
                    + "env TIERFLOW_DATA_DIR).")
    Path dataDir = local.dataDir();

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How long to wait for Kafka before giving up (default: 15s).")
    Duration connectTimeout = Duration.ofSeconds(15);

    @Option(names = "--follow-control", description = "Also burst the datasets an operator names in BURST "
            + "commands on the control topic (POST /control/burst), while live traffic runs.")
    boolean followControl;

    @Option(names = "--follow-placements", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Serve each read from the dataset's copy nearest the client where the dataset is now, "
                    + "following the sites, datasets and migration-status topics, so latency and egress follow "
                    + "Tierflow's moves (default: true). Without it, every read comes from the dataset's starting site.")
    boolean followPlacements;

    @Option(names = "--registered-marker", paramLabel = "FILE", hidden = true,
            description = "Write FILE once every dataset is registered (and uploaded): tierflow local's first-start mark.")
    Path registeredMarker;

    /** Set by Ctrl-C; the loops check it, then flush and close. */
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        // usage errors first: exit 2 with the usage message
        TrafficConfig trafficConfig = traffic.trafficConfig(Instant.now(), spec.commandLine());
        SiteUploader uploader = uploader();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            stopRequested.set(true);
            try {
                finished.await(30, TimeUnit.SECONDS); // let the loop flush and close before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tierflow-produce-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            run(trafficConfig, uploader);
            return 0;
        } catch (ProduceException e) {
            err.println("tierflow produce: " + e.getMessage());
            return 1;
        } finally {
            if (uploader != null) {
                uploader.close();
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running and waits for us
            }
            err.flush();
            spec.commandLine().getOut().flush();
        }
    }

    private void run(TrafficConfig trafficConfig, SiteUploader uploader) throws ProduceException {
        PrintWriter err = spec.commandLine().getErr();
        List<DatasetSpec> inventory = DatasetInventory.generate(traffic.seed, traffic.datasets,
                uploader == null ? sites : List.of(uploadTo), maxObjectBytes);
        Topics topics = Topics.using(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl));
        ProduceConnection connection = new ProduceConnection(bootstrapServers, schemaRegistryUrl, connectTimeout);
        connection.checkRegistry(topics, registerDatasets);
        connection.checkKafka();
        if (uploader != null) {
            uploader.check();
        }
        warnIfAheadOfTheBroker(trafficConfig);

        long started = System.nanoTime();
        CurrentPlacements placements = new CurrentPlacements();
        OperatorBursts bursts = new OperatorBursts(inventory, placements);
        DatasetRegistration.Summary registered;
        TrafficGenerator generator;
        TrafficSender.Summary sent;
        // Control is followed from before the registration, which takes a minute or more on a fresh local stack (the
        // objects are uploaded): a burst asked for meanwhile starts when it is asked for and is caught up with when
        // the traffic starts, where a follower started afterwards would begin after it and never see it.
        // Where the datasets are is followed from the start too: on a restart, reads go where earlier runs' moves put
        // the bytes from the first event on.
        try (ControlFollower follower = followControl
                ? ControlFollower.start(bootstrapServers, topics, bursts, err) : null;
                PlacementFollower whereDatasetsAre = followPlacements
                        ? PlacementFollower.start(bootstrapServers, topics, placements, err) : null) {
            registered = new DatasetRegistration(connection, registerDatasets, uploader, stopRequested, err)
                    .register(topics.datasets, inventory, trafficConfig.start());
            if (stopRequested.get()) {
                err.println("tierflow produce: stopped before the traffic started");
                return;
            }
            if (registeredMarker != null) {
                try {
                    java.nio.file.Files.writeString(registeredMarker, Instant.now() + " " + registered.registered()
                            + " datasets\n");
                } catch (IOException e) {
                    throw new ProduceException("could not write " + registeredMarker + ": " + e.getMessage(), e);
                }
            }
            if (traffic.start == null) {
                // Registering and uploading took a while: a start taken from the clock is taken again, so live
                // traffic carries the time it is sent at.
                trafficConfig = traffic.trafficConfig(Instant.now(), spec.commandLine());
            }
            if (whereDatasetsAre != null) {
                awaitPlacements(whereDatasetsAre, err);
            }
            generator = new TrafficGenerator(trafficConfig, inventory, placements);
            sent = new TrafficSender(connection, traffic, stopRequested, err)
                    .send(topics.accessEvents, generator, bursts);
        }
        printSummary(trafficConfig, generator, registered, sent, System.nanoTime() - started);
        if (sent.failure != null) {
            throw sent.failure;
        }
    }

    private void awaitPlacements(PlacementFollower follower, PrintWriter err) throws ProduceException {
        try {
            if (!follower.awaitCaughtUp(connectTimeout)) {
                err.println("tierflow produce: warning: where the datasets are was not read within "
                        + connectTimeout.toSeconds() + " s"
                        + "; reads are served from where they are known to be so far");
                err.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProduceException("interrupted while reading where the datasets are", e);
        }
    }

    private SiteUploader uploader() {
        if (uploadTo == null) {
            return null;
        }
        Map<String, Integer> ports = new LinkedHashMap<>(local.sitePorts());
        for (String site : sitePorts.keySet()) {
            if (!ports.containsKey(site)) {
                throw new ParameterException(spec.commandLine(), "unknown site '" + site
                        + "' in --site-port: the S3-compatible sites are aws, azure and gcp");
            }
        }
        ports.putAll(sitePorts);
        LocalStackConfig target = local.withDataDir(dataDir)
                .withPorts(local.kafkaPort(), local.controllerPort(), local.registryPort(), ports);
        if (uploadTo.equals(LocalStackConfig.ONPREM_SITE)) {
            return SiteUploader.directory(uploadTo, target.onPremDirectory());
        }
        if (!ports.containsKey(uploadTo)) {
            throw new ParameterException(spec.commandLine(), "unknown site '" + uploadTo
                    + "' in --upload-to: the local sites are aws, azure, gcp and onprem");
        }
        return SiteUploader.s3(target.site(uploadTo), target.s3AccessKey(), target.s3SecretKey());
    }

    // Event time runs ahead of the clock when it starts in the future or goes faster than it; brokers reject
    // timestamps more than an hour ahead by default. Warn up front rather than fail halfway.
    private void warnIfAheadOfTheBroker(TrafficConfig trafficConfig) {
        Duration span = traffic.longestSpan();
        if (span == null) {
            return;
        }
        Instant now = Instant.now();
        Instant lastEventTime = trafficConfig.start().plus(span);
        Instant clockAtEnd = traffic.unthrottled ? now : now.plusNanos((long) (span.toNanos() / traffic.speedup));
        if (lastEventTime.isAfter(clockAtEnd.plus(BROKER_FUTURE_LIMIT))) {
            spec.commandLine().getErr().println("tierflow produce: warning: event time may reach " + lastEventTime
                    + ", more than an hour ahead of the clock; brokers reject such timestamps by default "
                    + "(log.message.timestamp.after.max.ms). Use an earlier --start or a lower --speedup.");
        }
    }

    private void printSummary(TrafficConfig trafficConfig, TrafficGenerator generator,
            DatasetRegistration.Summary datasetsDone, TrafficSender.Summary sent, long totalNanos) {
        PrintWriter out = spec.commandLine().getOut();
        double seconds = Math.max(sent.elapsedNanos, 1) / 1e9;
        out.printf(Locale.ROOT, "tierflow produce: %s%,d events to %s in %.1f s (%,.0f events/s), %,d acknowledged%n",
                sent.failure != null ? "failed after " : sent.interrupted ? "interrupted after " : "", sent.sent,
                Topics.ACCESS_EVENTS, seconds, sent.sent / seconds, sent.outcome.acknowledged());
        if (sent.firstEventTime != null) {
            out.printf(Locale.ROOT, "  event time %s to %s%n", sent.firstEventTime, sent.lastEventTime);
        }
        if (datasetsDone.registered() > 0 || datasetsDone.uploaded() > 0) {
            out.printf(Locale.ROOT, "  datasets: %d registered to %s%s%n", datasetsDone.registered(), Topics.DATASETS,
                    datasetsDone.uploaded() == 0 ? ""
                            : String.format(Locale.ROOT, ", %d uploaded to %s (%s)", datasetsDone.uploaded(), uploadTo,
                                    ProgressTimer.mebibytes(datasetsDone.uploadedBytes())));
        }
        out.printf(Locale.ROOT, "  run %s (event ids %s-0...), seed %d, start %s, total %.1f s%n", generator.runId(),
                generator.runId(), trafficConfig.seed(), trafficConfig.start(), totalNanos / 1e9);
        out.flush();
    }
}
