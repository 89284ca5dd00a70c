package io.tierflow.cli;

import io.tierflow.cli.traffic.BurstSchedule;
import io.tierflow.cli.traffic.ContentChecksums;
import io.tierflow.cli.traffic.DatasetInventory;
import io.tierflow.cli.traffic.DatasetSpec;
import io.tierflow.cli.traffic.DiurnalCycle;
import io.tierflow.cli.traffic.OperatorBursts;
import io.tierflow.cli.traffic.TrafficConfig;
import io.tierflow.cli.traffic.TrafficGenerator;
import io.tierflow.cli.traffic.ZipfSampler;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.serde.SchemaRegistryException;
import io.tierflow.topics.Topic;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tierflow produce}: realistic access traffic to Kafka (Zipf popularity, a diurnal cycle, bursts, client
 * regions), after registering the datasets it is about and, if asked, putting them on a site as real objects.
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
    /** How often progress is printed while producing. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
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

    @Option(names = "--datasets", paramLabel = "N", description = "Number of datasets (default: ${DEFAULT-VALUE}).")
    int datasets = 1000;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S",
            description = "Mean events per second of event time over a day, before bursts (default: "
                    + "${DEFAULT-VALUE}). Sent at rate × speedup per second of real time.")
    double rate = 200;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Stop after this much event time, e.g. 30s, 5m, 1h, 1d or PT30S (default: no limit).")
    Duration duration;

    @Option(names = "--events", paramLabel = "N", description = "Stop after N events (default: no limit).")
    Long events;

    @Option(names = "--seed", description = "Seed of every random choice (default: ${DEFAULT-VALUE}); the same "
            + "seed, --start and options give the same datasets and events.")
    long seed = 42;

    @Option(names = "--start", paramLabel = "INSTANT|now", converter = Converters.StartConverter.class,
            description = "Event time of the first event, e.g. 2026-03-02T00:00:00Z (default: now for live traffic "
                    + "at --speedup 1; otherwise early enough that the run ends about now, because the broker "
                    + "rejects timestamps more than an hour ahead).")
    Instant start;

    @Option(names = "--speedup", paramLabel = "X",
            description = "Event time runs X times as fast as real time (default: ${DEFAULT-VALUE}).")
    double speedup = 1;

    @Option(names = "--unthrottled",
            description = "Send as fast as possible, for load tests; event times are still spaced by --rate. "
                    + "Needs --events or --duration.")
    boolean unthrottled;

    @Option(names = "--zipf-exponent", paramLabel = "S",
            description = "Popularity skew: rank r gets traffic in proportion to 1/r^S (default: ${DEFAULT-VALUE}).")
    double zipfExponent = ZipfSampler.DEFAULT_EXPONENT;

    @Option(names = "--diurnal-amplitude", paramLabel = "A",
            description = "Daily cycle: rate × (1 + A·sin(2π(hour − 6)/24)), hour in UTC, A in [0, 1) "
                    + "(default: ${DEFAULT-VALUE}).")
    double diurnalAmplitude = 0.5;

    @Option(names = "--regions", split = ",", paramLabel = "REGION",
            description = "Client regions; each dataset has one as its home, where 70% of its clients are "
                    + "(default: us-east,eu-west,us-central,ap-south).")
    List<String> regions = new ArrayList<>(TrafficConfig.DEFAULT_REGIONS);

    @Option(names = "--burst-keys", split = ",", paramLabel = "KEY|RANK",
            description = "Datasets that burst, as keys (datasets/d000042) or popularity ranks (42) (default: none).")
    List<String> burstKeys = new ArrayList<>();

    @Option(names = "--burst-every", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "A burst starts every DURATION of event time (default: 10m).")
    Duration burstEvery = Duration.ofMinutes(10);

    @Option(names = "--burst-length", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How long each burst lasts (default: 2m).")
    Duration burstLength = Duration.ofMinutes(2);

    @Option(names = "--burst-factor", paramLabel = "F",
            description = "During a burst the burst datasets get F times their usual traffic (default: ${DEFAULT-VALUE}).")
    double burstFactor = 50;

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

    @Option(names = "--registered-marker", paramLabel = "FILE", hidden = true,
            description = "Write FILE once every dataset is registered (and uploaded): tierflow local's first-start mark.")
    Path registeredMarker;

    /** Set by Ctrl-C; the loops check it, then flush and close. */
    private volatile boolean stopRequested;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        TrafficConfig traffic = trafficConfig(Instant.now()); // usage errors first: exit 2 with the usage message
        SiteUploader uploader = uploader();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            stopRequested = true;
            try {
                finished.await(30, TimeUnit.SECONDS); // let the loop flush and close before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tierflow-produce-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            run(traffic, uploader);
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

    private void run(TrafficConfig traffic, SiteUploader uploader) throws ProduceException {
        PrintWriter err = spec.commandLine().getErr();
        List<DatasetSpec> inventory = DatasetInventory.generate(seed, datasets,
                uploader == null ? sites : List.of(uploadTo), maxObjectBytes);
        Topics topics = Topics.using(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl));
        checkRegistry(topics);
        checkKafka();
        if (uploader != null) {
            uploader.check();
        }
        warnIfAheadOfTheBroker(traffic);

        long started = System.nanoTime();
        OperatorBursts bursts = new OperatorBursts(inventory);
        DatasetSummary registered;
        TrafficGenerator generator;
        TrafficSummary sent;
        // Control is followed from before the registration, which takes a minute or more on a fresh local stack (the
        // objects are uploaded): a burst asked for meanwhile starts when it is asked for and is caught up with when
        // the traffic starts, where a follower started afterwards would begin after it and never see it.
        try (ControlFollower follower = followControl
                ? ControlFollower.start(bootstrapServers, topics, bursts, err) : null) {
            registered = registerDatasets(topics, inventory, uploader, traffic.start());
            if (stopRequested) {
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
            if (start == null) {
                // Registering and uploading took a while: a start taken from the clock is taken again, so live
                // traffic carries the time it is sent at.
                traffic = trafficConfig(Instant.now());
            }
            generator = new TrafficGenerator(traffic, inventory);
            sent = produceTraffic(topics, generator, bursts);
        }
        printSummary(traffic, generator, registered, sent, System.nanoTime() - started);
        if (sent.failure != null) {
            throw sent.failure;
        }
    }

    private TrafficConfig trafficConfig(Instant now) {
        List<String> problems = new ArrayList<>();
        if (datasets < 1) {
            problems.add("--datasets must be at least 1");
        }
        if (!(speedup > 0) || Double.isInfinite(speedup)) {
            problems.add("--speedup must be a positive number");
        }
        if (events != null && events < 1) {
            problems.add("--events must be at least 1");
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            problems.add("--duration must be positive");
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            problems.add("--rate must be a positive number of events per second");
        }
        if (!(diurnalAmplitude >= 0 && diurnalAmplitude < 1)) {
            problems.add("--diurnal-amplitude must be in [0, 1)");
        }
        if (unthrottled && events == null && duration == null) {
            problems.add("--unthrottled needs --events or --duration, or it would never stop");
        }
        if (!problems.isEmpty()) {
            throw new ParameterException(spec.commandLine(), String.join("; ", problems));
        }
        try {
            BurstSchedule bursts = burstKeys.isEmpty()
                    ? BurstSchedule.none()
                    : new BurstSchedule(BurstSchedule.parseRanks(burstKeys, datasets), burstEvery, burstLength,
                            burstFactor);
            return new TrafficConfig(seed, start == null ? defaultStart(now) : start, rate, zipfExponent,
                    new DiurnalCycle(diurnalAmplitude), regions, bursts);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * Live traffic starts now. A run that is faster than the clock starts early enough to end about now, because
     * the broker rejects record timestamps more than an hour in the future.
     */
    private Instant defaultStart(Instant now) {
        if (!unthrottled && speedup == 1) {
            return now;
        }
        Duration span = longestSpan();
        return span == null ? now : now.minus(span);
    }

    /**
     * The most event time this run can cover: --duration, or --events at the slowest rate of the day (bursts
     * only make it faster); null when the run has no end.
     */
    private Duration longestSpan() {
        if (duration != null) {
            return duration;
        }
        if (events != null) {
            return Duration.ofMillis((long) Math.ceil(events / (rate * (1 - diurnalAmplitude)) * 1000));
        }
        return null;
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

    // The serializers would register these schemas on the first send anyway; doing it now turns an unreachable
    // or refusing registry into one clear message before anything is sent.
    private void checkRegistry(Topics topics) throws ProduceException {
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

    private void checkKafka() throws ProduceException {
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

    // Event time runs ahead of the clock when it starts in the future or goes faster than it; brokers reject
    // timestamps more than an hour ahead by default. Warn up front rather than fail halfway.
    private void warnIfAheadOfTheBroker(TrafficConfig traffic) {
        Duration span = longestSpan();
        if (span == null) {
            return;
        }
        Instant now = Instant.now();
        Instant lastEventTime = traffic.start().plus(span);
        Instant clockAtEnd = unthrottled ? now : now.plusNanos((long) (span.toNanos() / speedup));
        if (lastEventTime.isAfter(clockAtEnd.plus(BROKER_FUTURE_LIMIT))) {
            spec.commandLine().getErr().println("tierflow produce: warning: event time may reach " + lastEventTime
                    + ", more than an hour ahead of the clock; brokers reject such timestamps by default "
                    + "(log.message.timestamp.after.max.ms). Use an earlier --start or a lower --speedup.");
        }
    }

    /** What went into the datasets topic and onto the site. */
    private record DatasetSummary(int registered, int uploaded, long uploadedBytes) {
    }

    /**
     * Computes every dataset's checksums, uploads it when asked, and writes its inventory record. The record's
     * Kafka timestamp is the run's start, so in event time every dataset exists before its first access.
     */
    private DatasetSummary registerDatasets(Topics topics, List<DatasetSpec> inventory, SiteUploader uploader,
            Instant asOf) throws ProduceException {
        if (!registerDatasets && uploader == null) {
            return new DatasetSummary(0, 0, 0);
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("tierflow produce: " + (uploader == null ? "registering " : "uploading to " + uploader.describe()
                + " and registering ") + inventory.size() + " datasets...");
        err.flush();
        Topic<String, Dataset> topic = topics.datasets;
        SendOutcome outcome = new SendOutcome();
        int done = 0;
        int registered = 0;
        int uploaded = 0;
        long uploadedBytes = 0;
        Progress progress = new Progress();
        try (KafkaProducer<String, Dataset> producer = new KafkaProducer<>(producerProperties(),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (DatasetSpec dataset : inventory) {
                if (stopRequested || outcome.hasFailed()) {
                    break;
                }
                ContentChecksums checksums = checksums(dataset);
                String versionToken = checksums.singlePartEtag();
                if (uploader != null) {
                    try {
                        versionToken = uploader.put(dataset, checksums);
                    } catch (IOException e) {
                        throw new ProduceException(e.getMessage(), e);
                    }
                    uploaded++;
                    uploadedBytes += dataset.sizeBytes();
                }
                if (registerDatasets) {
                    Dataset record = dataset.toRecord(checksums.sha256(), versionToken, asOf);
                    producer.send(new ProducerRecord<>(topic.name(), null, asOf.toEpochMilli(), dataset.key(), record),
                            outcome);
                    registered++;
                }
                done++;
                if (progress.due()) {
                    err.printf(Locale.ROOT, "tierflow produce: %d of %d datasets done%s%n", done, inventory.size(),
                            uploader == null ? "" : " (" + mebibytes(uploadedBytes) + " uploaded)");
                    err.flush();
                }
            }
            producer.flush();
        } catch (KafkaException e) {
            outcome.failed(e);
        }
        ProduceException failure = outcome.toException(topic.name(), bootstrapServers);
        if (failure != null) {
            throw failure;
        }
        return new DatasetSummary(registered, uploaded, uploadedBytes);
    }

    private static ContentChecksums checksums(DatasetSpec dataset) throws ProduceException {
        try (InputStream content = dataset.openContent()) {
            return ContentChecksums.of(content);
        } catch (IOException e) {
            throw new ProduceException("could not read the generated bytes of " + dataset.key() + ": " + e, e);
        }
    }

    /** What the traffic loop sent, and how it ended. */
    private static final class TrafficSummary {
        long sent;
        final SendOutcome outcome = new SendOutcome();
        Instant firstEventTime;
        Instant lastEventTime;
        long elapsedNanos;
        boolean interrupted;
        ProduceException failure;
    }

    private TrafficSummary produceTraffic(Topics topics, TrafficGenerator generator, OperatorBursts bursts) {
        PrintWriter err = spec.commandLine().getErr();
        Topic<String, AccessEvent> topic = topics.accessEvents;
        TrafficSummary summary = new TrafficSummary();
        long durationNanos = duration == null ? Long.MAX_VALUE : duration.toNanos();
        long limit = events == null ? Long.MAX_VALUE : events;
        Progress progress = new Progress();
        long wallStart = System.nanoTime();
        try (KafkaProducer<String, AccessEvent> producer = new KafkaProducer<>(producerProperties(),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            while (summary.sent < limit && !stopRequested && !summary.outcome.hasFailed()) {
                AccessEvent event = generator.next();
                if (generator.offsetNanos() >= durationNanos) {
                    break;
                }
                if (!unthrottled) {
                    waitUntil(wallStart + (long) (generator.offsetNanos() / speedup), progress, summary, wallStart);
                    if (stopRequested) {
                        break;
                    }
                }
                for (AccessEvent extra : bursts.due(System.nanoTime(), event.getEventTime())) {
                    producer.send(new ProducerRecord<>(topic.name(), null, extra.getEventTime().toEpochMilli(),
                            extra.getKey(), extra), summary.outcome);
                    summary.sent++;
                }
                producer.send(new ProducerRecord<>(topic.name(), null, event.getEventTime().toEpochMilli(),
                        event.getKey(), event), summary.outcome);
                if (summary.firstEventTime == null) {
                    summary.firstEventTime = event.getEventTime();
                }
                summary.lastEventTime = event.getEventTime();
                summary.sent++;
                if (progress.due()) {
                    printProgress(err, summary, wallStart);
                }
            }
            summary.interrupted = stopRequested;
            if (stopRequested) {
                err.println("tierflow produce: stopping, flushing what was sent...");
                err.flush();
            }
            producer.flush();
        } catch (KafkaException e) {
            summary.outcome.failed(e);
        }
        summary.elapsedNanos = System.nanoTime() - wallStart;
        summary.failure = summary.outcome.toException(topic.name(), bootstrapServers);
        return summary;
    }

    // Pacing: the event is due when the clock has advanced by its event-time offset divided by the speedup.
    private void waitUntil(long dueNanos, Progress progress, TrafficSummary summary, long wallStart) {
        long wait;
        while ((wait = dueNanos - System.nanoTime()) > 0 && !stopRequested) {
            if (wait < 200_000) {
                return; // close enough: sending up to 0.2 ms early is no distortion at any sensible rate
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, 200_000_000L)); // short, to notice Ctrl-C and report
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopRequested = true;
                return;
            }
            if (progress.due()) {
                printProgress(spec.commandLine().getErr(), summary, wallStart);
            }
        }
    }

    private void printProgress(PrintWriter err, TrafficSummary summary, long wallStart) {
        double elapsed = (System.nanoTime() - wallStart) / 1e9;
        err.printf(Locale.ROOT, "tierflow produce: %,d events sent, %,d acknowledged, %,.0f events/s, event time %s, "
                        + "%s elapsed%n", summary.sent, summary.outcome.acknowledged(), summary.sent / elapsed,
                summary.lastEventTime == null ? "-" : summary.lastEventTime, clock(elapsed));
        err.flush();
    }

    private void printSummary(TrafficConfig traffic, TrafficGenerator generator, DatasetSummary datasetsDone,
            TrafficSummary sent, long totalNanos) {
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
                                    mebibytes(datasetsDone.uploadedBytes())));
        }
        out.printf(Locale.ROOT, "  run %s (event ids %s-0...), seed %d, start %s, total %.1f s%n", generator.runId(),
                generator.runId(), traffic.seed(), traffic.start(), totalNanos / 1e9);
        out.flush();
    }

    private Properties producerProperties() {
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

    /** Says when the next progress line is due. */
    private static final class Progress {
        private long next = System.nanoTime() + PROGRESS_EVERY.toNanos();

        boolean due() {
            long now = System.nanoTime();
            if (now < next) {
                return false;
            }
            next = now + PROGRESS_EVERY.toNanos();
            return true;
        }
    }

    private static String clock(double seconds) {
        long s = (long) seconds;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}
