package io.tierflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.api.ApiSettings;
import io.tierflow.api.QueryServer;
import io.tierflow.api.StreamsNode;
import io.tierflow.cli.traffic.DatasetSpec;
import io.tierflow.cli.traffic.ZipfSampler;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.streams.TieringSettings;
import io.tierflow.streams.TieringTopology;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Issue 5's performance check: two streams nodes (tiering topology + query API, production settings) of one
 * application on a fresh local stack, loaded with an inventory and access events; wrk drives single-key GETs at node
 * A for keys it owns and for keys node B owns (A forwards), with {@code /health} as the reference; then events are
 * produced at a fixed rate and the time until their effect shows through the API is measured.
 */
final class ApiBenchmark {
    static final String APPLICATION_ID = "bench-api";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** Keys of each kind checked one by one (owner, answer) before wrk runs. */
    private static final int VERIFIED_KEYS = 20;
    /** Freshness is also shown per window of this many seconds of sending, to tell lag from delay. */
    private static final int FRESHNESS_WINDOW_SECONDS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private final ApiBenchSettings settings;
    private final Progress progress;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** What is running, for the clean-up when the JVM is stopped half-way (Ctrl-C). */
    private final List<AutoCloseable> running = new CopyOnWriteArrayList<>();

    ApiBenchmark(ApiBenchSettings settings, PrintStream log) {
        this.settings = settings;
        this.progress = new Progress(log, "api");
    }

    ApiSummary run() throws Exception {
        BenchClients.quietClientRetries();
        Path work = Files.createTempDirectory(Files.createDirectories(settings.workParent()), "tierflow-bench-");
        Thread cleanupOnInterrupt = new Thread(() -> {
            closeAll();
            WorkDirectory.deleteRecursively(work);
        }, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnInterrupt);
        try {
            // Before anything starts: a missing wrk should cost seconds, not a loaded stack.
            Wrk wrk = Wrk.locate(System.getenv(), work, progress);
            progress.say("starting a local stack in %s ...", work);
            LocalStack stack = LocalStack.start(LocalStackConfig.onFreePorts(work.resolve("stack")));
            running.add(stack);
            try (Admin admin = BenchClients.admin(stack)) {
                return measure(stack, admin, wrk, work);
            }
        } finally {
            closeAll();
            WorkDirectory.deleteRecursively(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupOnInterrupt);
            } catch (IllegalStateException e) {
                // the JVM is shutting down and the hook is running or has run
            }
        }
    }

    private ApiSummary measure(LocalStack stack, Admin admin, Wrk wrk, Path work) throws Exception {
        StreamsNode nodeA = node(stack, work, "a");
        StreamsNode nodeB = node(stack, work, "b");
        awaitRunning(nodeA, nodeB);
        String baseA = "http://" + LocalStackConfig.HOST + ":" + nodeA.apiPort();
        progress.say("nodes running: A on %s, B on port %d (application %s, %s)", baseA, nodeB.apiPort(),
                APPLICATION_ID, StreamsConfig.EXACTLY_ONCE_V2);

        load(stack, admin, nodeA, nodeB);
        long datasetsServed = get(baseA + "/stats").path("totals").path("datasets").asLong(-1);
        if (datasetsServed != settings.datasets()) {
            throw new IllegalStateException("/stats counts " + datasetsServed + " datasets after loading "
                    + settings.datasets());
        }
        progress.say("/stats through A counts all %d datasets", datasetsServed);

        List<DatasetSpec> inventory = BenchLoader.inventory(settings.seed(), settings.datasets());
        Map<Boolean, List<String>> byOwner = splitByOwner(nodeA, inventory);
        List<String> local = byOwner.get(true);
        List<String> forwarded = byOwner.get(false);
        progress.say("node A owns %d datasets, node B %d", local.size(), forwarded.size());
        if (local.isEmpty() || forwarded.isEmpty()) {
            throw new IllegalStateException("one node owns every partition; cannot measure both kinds of GET");
        }
        String instanceA = LocalStackConfig.HOST + ":" + nodeA.apiPort();
        String instanceB = LocalStackConfig.HOST + ":" + nodeB.apiPort();
        verifyAnswers(baseA, local, instanceA);
        verifyAnswers(baseA, forwarded, instanceB);

        Path localPaths = Wrk.writePaths(work.resolve("local.paths"), paths(local));
        Path forwardedPaths = Wrk.writePaths(work.resolve("forwarded.paths"), paths(forwarded));
        Path healthPaths = Wrk.writePaths(work.resolve("health.paths"), List.of("/health"));
        if (!settings.warmup().isZero()) {
            Wrk.Load warmup = new Wrk.Load(settings.load().threads(), settings.load().connections(),
                    settings.warmup());
            wrk.run("warm-up, local keys", baseA, localPaths, warmup);
            wrk.run("warm-up, forwarded keys", baseA, forwardedPaths, warmup);
        }
        Wrk.Result health;
        Wrk.Result localResult;
        Wrk.Result forwardedResult;
        try (Recording recording = startProfile("api-wrk")) {
            health = measured(wrk, "reference: /health", baseA, healthPaths);
            localResult = measured(wrk, "local keys", baseA, localPaths);
            forwardedResult = measured(wrk, "forwarded keys", baseA, forwardedPaths);
            if (recording != null) {
                recording.stop();
                progress.say("profile of the wrk runs written to %s", recording.getDestination());
            }
        }

        Freshness.Result freshness;
        try (Recording recording = startProfile("api-freshness")) {
            freshness = new Freshness(stack.bootstrapServers(), stack.topics(), settings.freshness(), progress)
                    .run(inventory, settings.seed() + 1, baseA);
            if (recording != null) {
                recording.stop();
                progress.say("profile of the freshness phase written to %s", recording.getDestination());
            }
        }
        List<Double> latencies = freshness.latenciesMs();
        if (settings.profileDir() != null) {
            // Every probe, to line the slow ones up with the profile's timeline (GC pauses, commits, punctuations).
            Path probes = settings.profileDir().resolve("api-freshness-probes.csv");
            List<String> lines = new ArrayList<>(List.of("sent_at_s,latency_ms"));
            for (int i = 0; i < latencies.size(); i++) {
                lines.add(String.format(java.util.Locale.ROOT, "%.3f,%.1f", freshness.sentAtSeconds().get(i),
                        latencies.get(i)));
            }
            Files.write(probes, lines);
            progress.say("every probe's send time and freshness written to %s", probes);
        }
        progress.say("freshness: %d probes over %s events (%s events/s achieved, %d skipped while their previous "
                + "probe was in flight), %s polls/s; ms p50 %.1f, p90 %.1f, p99 %.1f, max %.1f", latencies.size(),
                Progress.count(freshness.events()), Progress.count(freshness.achievedRate()), freshness.skipped(),
                Progress.count(freshness.polls() / freshness.produceSeconds()), ApiSummary.percentile(latencies, 50),
                ApiSummary.percentile(latencies, 90), ApiSummary.percentile(latencies, 99),
                ApiSummary.percentile(latencies, 100));
        freshness.byWindow(FRESHNESS_WINDOW_SECONDS).forEach(line -> progress.say("  %s", line));
        progress.say("freshness: where a stall could come from: node A %s; node B %s", worstStalls(nodeA),
                worstStalls(nodeB));
        if (freshness.achievedRate() < 0.95 * settings.freshness().eventsPerSecond()) {
            throw new IllegalStateException("the producer reached only " + Math.round(freshness.achievedRate())
                    + " events/s of " + settings.freshness().eventsPerSecond() + ": freshness was not measured at "
                    + "the rate asked for");
        }
        ApiSummary summary = new ApiSummary(localResult, forwardedResult, health, latencies);
        progress.say("load average now %s; targets: %s", loadAverage(), String.join(", ", summary.targets()));
        return summary;
    }

    /**
     * Loads the inventory and events (the hour before now, as a node would have them) and waits until the nodes'
     * group has committed all of it: under exactly-once a committed offset means processed and in the stores.
     */
    private void load(LocalStack stack, Admin admin, StreamsNode nodeA, StreamsNode nodeB) throws Exception {
        Instant start = Instant.now().minus(Duration.ofHours(2));
        // Spread over one hour at the mean rate; the diurnal cycle stretches it by at most two, so it ends by now.
        BenchLoader.Plan plan = new BenchLoader.Plan(settings.seed(), settings.datasets(), settings.events(), start,
                settings.events() / 3600.0, ZipfSampler.DEFAULT_EXPONENT);
        long started = System.nanoTime();
        new BenchLoader(stack.bootstrapServers(), stack.topics(), plan, progress).load();
        Map<TopicPartition, Long> ends = new HashMap<>(BenchClients.endOffsets(admin, Topics.DATASETS));
        ends.putAll(BenchClients.endOffsets(admin, Topics.ACCESS_EVENTS));
        CatchUp catchUp = new CatchUp(admin, ends, progress);
        Duration elapsed = catchUp.await("nodes A+B", APPLICATION_ID, started,
                () -> failed(nodeA).or(() -> failed(nodeB)).orElse(null), settings.catchUpTimeout());
        progress.say("both nodes processed %s records (datasets and events) %.1f s after loading began",
                Progress.count(catchUp.total()), elapsed.toNanos() / 1e9);
    }

    /** The threads that serve or forward requests (Jetty's pool, the JDK HTTP client's): a request's own cost. */
    private static boolean requestThread(String name) {
        return name.startsWith("JettyServerThreadPool") || name.startsWith("HttpClient-");
    }

    /**
     * The longest commit, punctuation, record and poll of the node's stream threads in Kafka's metric window (the
     * last minute or so), the longest GC pause of this JVM (Micrometer's window, about two minutes) and the node's
     * last census of its state: which of them can make a probe wait for seconds.
     */
    private static String worstStalls(StreamsNode node) {
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

    /** Keys owned by node A (true) and by node B (false), as node A's streams client sees the ownership. */
    private static Map<Boolean, List<String>> splitByOwner(StreamsNode nodeA, List<DatasetSpec> inventory) {
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

    /** A few keys, one by one: answered 200 with the right key, by the instance that owns it. */
    private void verifyAnswers(String base, List<String> keys, String expectedInstance) throws Exception {
        int step = Math.max(1, keys.size() / VERIFIED_KEYS);
        for (int i = 0; i < keys.size(); i += step) {
            String key = keys.get(i);
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base + datasetPath(key)))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            String instance = response.headers().firstValue(QueryServer.INSTANCE_HEADER).orElse(null);
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !key.equals(body.path("key").asText())
                    || !expectedInstance.equals(instance)) {
                throw new IllegalStateException("GET " + datasetPath(key) + " answered " + response.statusCode()
                        + " from " + instance + " (expected 200 from " + expectedInstance + "): " + body);
            }
        }
        progress.say("checked %d keys: each answered by its owner %s", (keys.size() + step - 1) / step,
                expectedInstance);
    }

    /**
     * One measured wrk run, with the CPU time this JVM (both nodes, the broker) spent per request during it: on a
     * shared machine the rate says how much CPU the JVM got, the CPU per request what a request costs. A run that had
     * errors (non-2xx, timeouts, broken connections) measured something else: fail.
     */
    private Wrk.Result measured(Wrk wrk, String label, String base, Path paths) throws Exception {
        long cpuBefore = PROCESS.getProcessCpuTime();
        ThreadCpu requestThreadsBefore = ThreadCpu.of(ApiBenchmark::requestThread);
        Wrk.Result result = wrk.run(label, base, paths, settings.load());
        long requests = Math.max(1, result.requests());
        double cpuMicrosPerRequest = (PROCESS.getProcessCpuTime() - cpuBefore) / 1e3 / requests;
        long requestThreadsNanos = ThreadCpu.of(ApiBenchmark::requestThread).nanosSince(requestThreadsBefore);
        progress.say("%s: %s requests/s, latency ms p50 %.2f, p90 %.2f, p99 %.2f, max %.2f; CPU per request: "
                + "%.0f us in the HTTP servers' and clients' threads, %.0f us in the whole JVM, %.0f us in wrk; "
                + "load average %s", label, Progress.count(result.requestsPerSecond()), result.p50Ms(),
                result.p90Ms(), result.p99Ms(), result.maxMs(), requestThreadsNanos / 1e3 / requests,
                cpuMicrosPerRequest, result.cpuNanos() / 1e3 / requests, loadAverage());
        if (result.errorCount() > 0) {
            throw new IllegalStateException(label + ": wrk saw errors " + result.errors() + " in "
                    + result.requests() + " requests");
        }
        return result;
    }

    /** Request path of a dataset: keys are paths, so slashes stay and each segment is percent-encoded. */
    static String datasetPath(String key) {
        return "/datasets/" + Arrays.stream(key.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    private static List<String> paths(List<String> keys) {
        return keys.stream().map(ApiBenchmark::datasetPath).toList();
    }

    /**
     * A node as production runs it: the tiering app's defaults (exactly-once v2, commits every second with a 64 MiB
     * record cache, one stream thread per core) and the default tiering settings (due datasets evaluated every second);
     * replication factor 1 because the local stack has one broker.
     */
    private StreamsNode node(LocalStack stack, Path work, String name) {
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

    private void awaitRunning(StreamsNode... nodes) throws InterruptedException {
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

    private static java.util.Optional<String> failed(StreamsNode node) {
        KafkaStreams.State state = node.app().streams().state();
        return switch (state) {
            case ERROR, PENDING_ERROR, NOT_RUNNING, PENDING_SHUTDOWN ->
                    java.util.Optional.of("the streams node on port " + node.apiPort() + " is " + state);
            default -> java.util.Optional.empty();
        };
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return JSON.readTree(response.body());
    }

    private Recording startProfile(String name) throws IOException, java.text.ParseException {
        if (settings.profileDir() == null) {
            return null;
        }
        Files.createDirectories(settings.profileDir());
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.setName(name);
        recording.setDestination(settings.profileDir().resolve(name + ".jfr"));
        recording.start();
        return recording;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private synchronized void closeAll() {
        for (AutoCloseable closeable : running) {
            try {
                closeable.close();
            } catch (Exception e) {
                progress.say("could not close %s: %s", closeable, e);
            }
        }
        running.clear();
    }
}
