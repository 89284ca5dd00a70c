package io.tierflow.bench;

import io.tierflow.api.StreamsNode;
import io.tierflow.cli.traffic.DatasetSpec;
import io.tierflow.cli.traffic.ZipfSampler;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Issue 5's performance check: two streams nodes (tiering topology + query API, production settings) of one
 * application on a fresh local stack, loaded with an inventory and access events; wrk drives single-key GETs at node
 * A for keys it owns and for keys node B owns (A forwards), with {@code /health} as the reference; then events are
 * produced at a fixed rate and the time until their effect shows through the API is measured.
 */
final class ApiBenchmark {
    /** Freshness is also shown per window of this many seconds of sending, to tell lag from delay. */
    private static final int FRESHNESS_WINDOW_SECONDS = 5;

    private final ApiBenchSettings settings;
    private final Progress progress;
    private final QueryApiClient api;
    /** What is running, for the clean-up when the JVM is stopped half-way (Ctrl-C). */
    private final List<AutoCloseable> running = new CopyOnWriteArrayList<>();

    ApiBenchmark(ApiBenchSettings settings, PrintStream log) {
        this.settings = settings;
        this.progress = new Progress(log, "api");
        this.api = new QueryApiClient(progress);
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
        ApiNodes nodes = new ApiNodes(stack, work, running);
        StreamsNode nodeA = nodes.start("a");
        StreamsNode nodeB = nodes.start("b");
        ApiNodes.awaitRunning(nodeA, nodeB);
        String baseA = "http://" + LocalStackConfig.HOST + ":" + nodeA.apiPort();
        progress.say("nodes running: A on %s, B on port %d (application %s, %s)", baseA, nodeB.apiPort(),
                ApiNodes.APPLICATION_ID, StreamsConfig.EXACTLY_ONCE_V2);

        load(stack, admin, nodeA, nodeB);
        long datasetsServed = api.get(baseA + "/stats").path("totals").path("datasets").asLong(-1);
        if (datasetsServed != settings.datasets()) {
            throw new IllegalStateException("/stats counts " + datasetsServed + " datasets after loading "
                    + settings.datasets());
        }
        progress.say("/stats through A counts all %d datasets", datasetsServed);

        List<DatasetSpec> inventory = BenchLoader.inventory(settings.seed(), settings.datasets());
        Map<Boolean, List<String>> byOwner = ApiNodes.splitByOwner(nodeA, inventory);
        List<String> local = byOwner.get(true);
        List<String> forwarded = byOwner.get(false);
        progress.say("node A owns %d datasets, node B %d", local.size(), forwarded.size());
        if (local.isEmpty() || forwarded.isEmpty()) {
            throw new IllegalStateException("one node owns every partition; cannot measure both kinds of GET");
        }
        String instanceA = LocalStackConfig.HOST + ":" + nodeA.apiPort();
        String instanceB = LocalStackConfig.HOST + ":" + nodeB.apiPort();
        api.verifyAnswers(baseA, local, instanceA);
        api.verifyAnswers(baseA, forwarded, instanceB);

        Path localPaths = Wrk.writePaths(work.resolve("local.paths"), QueryApiClient.paths(local));
        Path forwardedPaths = Wrk.writePaths(work.resolve("forwarded.paths"), QueryApiClient.paths(forwarded));
        Path healthPaths = Wrk.writePaths(work.resolve("health.paths"), List.of("/health"));
        if (!settings.warmup().isZero()) {
            Wrk.Load warmup = new Wrk.Load(settings.load().threads(), settings.load().connections(),
                    settings.warmup());
            wrk.run("warm-up, local keys", baseA, localPaths, warmup);
            wrk.run("warm-up, forwarded keys", baseA, forwardedPaths, warmup);
        }
        WrkMeasurement measurement = new WrkMeasurement(wrk, settings.load(), progress);
        Wrk.Result health;
        Wrk.Result localResult;
        Wrk.Result forwardedResult;
        try (Recording recording = startProfile("api-wrk")) {
            health = measurement.measured("reference: /health", baseA, healthPaths);
            localResult = measurement.measured("local keys", baseA, localPaths);
            forwardedResult = measurement.measured("forwarded keys", baseA, forwardedPaths);
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
        progress.say("freshness: where a stall could come from: node A %s; node B %s", ApiNodes.worstStalls(nodeA),
                ApiNodes.worstStalls(nodeB));
        if (freshness.achievedRate() < 0.95 * settings.freshness().eventsPerSecond()) {
            throw new IllegalStateException("the producer reached only " + Math.round(freshness.achievedRate())
                    + " events/s of " + settings.freshness().eventsPerSecond() + ": freshness was not measured at "
                    + "the rate asked for");
        }
        ApiSummary summary = new ApiSummary(localResult, forwardedResult, health, latencies);
        progress.say("load average now %s; targets: %s", WrkMeasurement.loadAverage(), String.join(", ", summary.targets()));
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
        Duration elapsed = catchUp.await("nodes A+B", ApiNodes.APPLICATION_ID, started,
                () -> ApiNodes.failed(nodeA).or(() -> ApiNodes.failed(nodeB)).orElse(null),
                settings.catchUpTimeout());
        progress.say("both nodes processed %s records (datasets and events) %.1f s after loading began",
                Progress.count(catchUp.total()), elapsed.toNanos() / 1e9);
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
