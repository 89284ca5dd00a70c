package io.tierflow.bench;

import io.micrometer.core.instrument.Timer;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.streams.DatasetViews;
import io.tierflow.streams.TieringApp;
import io.tierflow.streams.TieringSettings;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.LoggerFactory;

/**
 * Issue 3's performance check: loads the input once, then runs a pass-through topology and the tiering topology
 * alternately, each under a fresh application id and state directory and each from start until caught up, and
 * reports the rates, their ratio and the tiering app's changelog and state footprint.
 */
final class TopologyBenchmark {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    /** Methods listed from a profile. */
    private static final int PROFILE_TOP = 25;

    private final TopologyBenchSettings settings;
    private final Progress progress;
    /** The app being measured and the stack, for the clean-up when the JVM is stopped half-way (Ctrl-C). */
    private final AtomicReference<AutoCloseable> runningApp = new AtomicReference<>();
    private final AtomicReference<LocalStack> runningStack = new AtomicReference<>();

    TopologyBenchmark(TopologyBenchSettings settings, PrintStream log) {
        this.settings = settings;
        this.progress = new Progress(log, "topology");
    }

    /** What one tiering run left behind. */
    record TieringRun(double eventsPerSecond, double cpuUsPerEvent, long changelogBytes, long stateBytes) {
    }

    /** What one pass-through run measured. */
    record PassThroughRun(double eventsPerSecond, double cpuUsPerEvent) {
    }

    TopologySummary run() throws Exception {
        quietClientRetries();
        Path work = Files.createTempDirectory(Files.createDirectories(settings.workParent()), "tierflow-bench-");
        progress.say("starting a local stack in %s ...", work);
        Thread cleanupOnInterrupt = new Thread(() -> {
            closeQuietly(runningApp.getAndSet(null));
            closeQuietly(runningStack.getAndSet(null));
            deleteRecursively(work);
        }, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnInterrupt);
        try (LocalStack stack = LocalStack.start(LocalStackConfig.onFreePorts(work.resolve("stack")))) {
            runningStack.set(stack);
            try (Admin admin = admin(stack)) {
                return measure(stack, admin, work);
            }
        } finally {
            runningStack.set(null);
            deleteRecursively(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupOnInterrupt);
            } catch (IllegalStateException e) {
                // the JVM is shutting down and the hook is running or has run
            }
        }
    }

    private TopologySummary measure(LocalStack stack, Admin admin, Path work) throws Exception {
        BenchLoader.Loaded loaded = new BenchLoader(stack.bootstrapServers(), stack.topics(), settings.loadPlan(), progress).load();
        CatchUp catchUp = new CatchUp(admin, endOffsets(admin, Topics.ACCESS_EVENTS), progress);
        if (catchUp.total() != loaded.events()) {
            throw new IllegalStateException(Topics.ACCESS_EVENTS + " holds " + catchUp.total() + " records, but "
                    + loaded.events() + " were loaded");
        }
        List<Double> passthrough = new ArrayList<>();
        List<Double> tiering = new ArrayList<>();
        List<Double> changelogPerEvent = new ArrayList<>();
        List<Double> statePerDataset = new ArrayList<>();
        List<Double> passthroughCpu = new ArrayList<>();
        List<Double> tieringCpu = new ArrayList<>();
        warmUp(stack, admin, catchUp, work);
        // Tiering first: if there was no warm-up, the first run in this JVM also pays for JIT compilation, and this
        // way it counts against the tiering side, never in its favour.
        for (int run = 1; run <= settings.runs(); run++) {
            TieringRun result = tiering(stack, admin, catchUp, work, run);
            tiering.add(result.eventsPerSecond());
            tieringCpu.add(result.cpuUsPerEvent());
            changelogPerEvent.add((double) result.changelogBytes() / loaded.events());
            statePerDataset.add((double) result.stateBytes() / loaded.datasets());
            PassThroughRun reference = passThrough(stack, admin, catchUp, work, run);
            passthrough.add(reference.eventsPerSecond());
            passthroughCpu.add(reference.cpuUsPerEvent());
        }
        TopologySummary summary = new TopologySummary(passthrough, tiering, changelogPerEvent, statePerDataset,
                passthroughCpu, tieringCpu);
        progress.say("load: %s events/s; pass-through runs %s events/s; tiering runs %s events/s",
                Progress.count(loaded.eventsPerSecond()), rates(passthrough), rates(tiering));
        return summary;
    }

    /**
     * Runs each topology once over the first {@code --warmup-events} events, unmeasured: the JVM compiles the code
     * both apps run (Kafka clients, serdes, the topology) while they start, and on two cores the C2 compiler thread
     * took as much CPU as the stream thread during the first 45 s of a cold tiering run (JFR thread CPU load). That
     * is the JVM's start-up, paid once per process, not the topology's throughput. The measured runs still start
     * from nothing (fresh application id, state and changelogs) and run until caught up.
     *
     * <p>By default the warm-up reads all the events. Over the first million only (the default until 2026-11-22), the
     * first measured tiering run still had the C2 compiler busy for 12 s of its 45 (per-thread CPU from /proc), the
     * second for 2.5 s: the later event hours take paths the first 35 minutes of event time never did (the hourly
     * looks of due datasets, demotions, the alerts' other branches), and C2 compiled them, and recompiled the methods
     * that inline them, during the first measured run.
     *
     * <p>Two rounds by default. After one round over all the events, C2 still used 5.3, 3.5 and 1.6 s of CPU in the
     * three measured tiering runs that followed (of about 65 s of CPU each; per-thread CPU from /proc, 2026-11-22):
     * HotSpot drops a queued compilation when its method goes quiet for a moment (the first decisions come in one burst
     * as the inventory arrives), so code that bursts gets compiled only after being hot a few times. Each run now
     * reports the JIT's compilation time, so a run that still compiles is visible.
     */
    private void warmUp(LocalStack stack, Admin admin, CatchUp catchUp, Path work) throws Exception {
        long events = Math.min(settings.warmupEvents(), catchUp.total());
        if (events == 0 || settings.warmupRounds() == 0) {
            return;
        }
        progress.say("warming up the JVM: each topology over the first %s events, %d time(s), not measured ...",
                Progress.count(events), settings.warmupRounds());
        for (int round = 1; round <= settings.warmupRounds(); round++) {
            String of = settings.warmupRounds() == 1 ? "" : " " + round + "/" + settings.warmupRounds();
            tiering(stack, admin, catchUp, work, "bench-warmup-tiering-" + round, "warm-up" + of + ", tiering", events,
                    false);
            passThrough(stack, admin, catchUp, work, "bench-warmup-passthrough-" + round,
                    "warm-up" + of + ", pass-through", events, false);
        }
    }

    private PassThroughRun passThrough(LocalStack stack, Admin admin, CatchUp catchUp, Path work, int run) throws Exception {
        return passThrough(stack, admin, catchUp, work, "bench-passthrough-" + run,
                "pass-through run " + run + "/" + settings.runs(), catchUp.total(), true);
    }

    /** A pass-through run until {@code events} are committed; profiled if {@code measured} (not a warm-up). */
    private PassThroughRun passThrough(LocalStack stack, Admin admin, CatchUp catchUp, Path work, String appId,
            String label, long events, boolean measured) throws Exception {
        String sink = appId + "-sink";
        admin.createTopics(List.of(new NewTopic(sink, LocalStack.PARTITIONS, (short) 1))).all().get();
        Properties config = streamsConfig(stack, appId, work);
        // The same guarantee as the tiering app's default, so the ratio is the tiering topology's own cost.
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // And the same commit interval: under exactly-once each commit is a transaction, which the pass-through
        // would otherwise pay for more often than the tiering app does.
        config.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                TieringApp.topologyConfig().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        // And the same heartbeat, a client setting any app could have (the pass-through never has the second
        // rebalance of a first start that it shortens for the tiering app, so it changes nothing here).
        String heartbeat = StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
        config.putIfAbsent(heartbeat, TieringApp.topologyConfig().get(heartbeat));
        config.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        KafkaStreams streams = new KafkaStreams(PassThroughTopology.build(stack.topics(), sink), config);
        AtomicReference<String> failure = new AtomicReference<>();
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e.toString());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        Duration elapsed;
        long cpuNanos;
        try (Recording recording = measured ? startProfile(appId) : null) {
            runningApp.set(() -> streams.close(CLOSE_TIMEOUT));
            RunStart runStart = RunStart.now();
            long started = System.nanoTime();
            streams.start();
            elapsed = catchUp.await(label, appId, started, () -> failure.get() != null ? failure.get()
                    : failed(streams.state()), settings.runTimeout(), events);
            cpuNanos = cpuOfThreadsOf(appId);
            stopProfile(recording);
            sayWhereTimeWent(streams, elapsed, runStart);
        } finally {
            streams.close(CLOSE_TIMEOUT);
            runningApp.set(null);
        }
        double eps = events / (elapsed.toNanos() / 1e9);
        double cpuUs = cpuNanos / 1e3 / events;
        progress.say("%s: %s events in %.1f s = %s events/s; its threads used %.2f CPU µs per event", label,
                Progress.count(events), elapsed.toNanos() / 1e9, Progress.count(eps), cpuUs);
        admin.deleteTopics(List.of(sink)).all().get();
        deleteRecursively(work.resolve("state").resolve(appId));
        return new PassThroughRun(eps, cpuUs);
    }

    private TieringRun tiering(LocalStack stack, Admin admin, CatchUp catchUp, Path work, int run) throws Exception {
        return tiering(stack, admin, catchUp, work, "bench-tiering-" + run, "tiering run " + run + "/"
                + settings.runs(), catchUp.total(), true);
    }

    /**
     * A tiering run until {@code events} are committed; if {@code measured} it is profiled and its footprint reported,
     * otherwise (a warm-up, which may read all the events too) it returns null.
     */
    private TieringRun tiering(LocalStack stack, Admin admin, CatchUp catchUp, Path work, String appId, String label,
            long events, boolean measured) throws Exception {
        Properties config = streamsConfig(stack, appId, work);
        Duration elapsed;
        long cpuNanos;
        Map<String, double[]> sent;
        TieringApp app = new TieringApp(config, replaySettings());
        try (Recording recording = measured ? startProfile(appId) : null) {
            runningApp.set(app);
            RunStart runStart = RunStart.now();
            long started = System.nanoTime();
            app.start();
            elapsed = catchUp.await(label, appId, started, () -> failed(app.streams().state()), settings.runTimeout(),
                    events);
            cpuNanos = cpuOfThreadsOf(appId);
            stopProfile(recording);
            sayWhereTimeWent(app.streams(), elapsed, runStart);
            sayEvaluations(app);
            sent = recordsSentPerTopic(app.streams());
        } finally {
            app.close(); // flushes the stores, so what is on disk afterwards is the state
            runningApp.set(null);
        }
        double eps = events / (elapsed.toNanos() / 1e9);
        double cpuUs = cpuNanos / 1e3 / events;
        progress.say("%s: %s events in %.1f s = %s events/s; its threads used %.2f CPU µs per event", label,
                Progress.count(events), elapsed.toNanos() / 1e9, Progress.count(eps), cpuUs);
        Map<String, Long> changelogs = changelogBytes(admin, appId);
        Path appState = work.resolve("state").resolve(appId);
        if (!measured) {
            admin.deleteTopics(List.copyOf(changelogs.keySet())).all().get();
            deleteRecursively(appState);
            return null;
        }
        sent.forEach((topic, recordsAndBytes) -> progress.say("  %s wrote %s records, %s bytes to %s", appId,
                Progress.count(recordsAndBytes[0]), Progress.count(recordsAndBytes[1]), topic));

        long changelogTotal = changelogs.values().stream().mapToLong(Long::longValue).sum();
        changelogs.forEach((topic, bytes) -> progress.say("  %s: %s bytes held by the broker", topic,
                Progress.count(bytes)));
        double written = sent.entrySet().stream().filter(e -> e.getKey().endsWith("-changelog"))
                .mapToDouble(e -> e.getValue()[1]).sum();
        // The broker's log cleaner compacts a changelog's rolled segments during a long run, so what it holds can be
        // well below what was written; both are shown, the summary line reports what is held.
        progress.say("  changelogs: %.1f bytes per event held, %.1f bytes per event written",
                (double) changelogTotal / catchUp.total(), written / catchUp.total());
        long stateBytes = 0;
        for (String store : DatasetViews.STORES) { // the stores that hold per-dataset state
            long bytes = storeBytes(appState, store, false);
            stateBytes += bytes;
            progress.say("  %s store on disk: %s bytes (%s in SST files) over %d tasks", store, Progress.count(bytes),
                    Progress.count(storeBytes(appState, store, true)), storeDirectories(appState, store).size());
        }
        admin.deleteTopics(List.copyOf(changelogs.keySet())).all().get();
        deleteRecursively(appState);
        return new TieringRun(eps, cpuUs, changelogTotal, stateBytes);
    }

    /**
     * CPU time so far of the threads Kafka Streams made for this application (stream, producer, consumer and global
     * threads are all named after the application id). They start with the app, so this is the run's CPU time; the
     * broker's work for the app is not in it.
     */
    private static long cpuOfThreadsOf(String appId) {
        return ThreadCpu.of(name -> name.contains(appId)).total();
    }

    /**
     * The tiering settings for a replay of recorded events: due datasets are evaluated at stream time (at wall-clock
     * time every dataset would look hours idle), and the punctuator evaluates up to 10 000 due datasets every second
     * rather than the default 1 000, since event time here passes a few hundred times faster than the clock; with the
     * default bound due evaluations would be left undone and the run would look cheaper than production.
     */
    static TieringSettings replaySettings() {
        TieringSettings defaults = TieringSettings.DEFAULTS;
        return new TieringSettings(Duration.ofSeconds(1), 10_000, true, defaults.minReevaluation(),
                defaults.maxReevaluation());
    }

    private Properties streamsConfig(LocalStack stack, String appId, Path work) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        config.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state").toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
        config.putAll(settings.streamsConfig());
        return config;
    }

    private static String failed(KafkaStreams.State state) {
        return switch (state) {
            case ERROR, PENDING_ERROR, NOT_RUNNING, PENDING_SHUTDOWN -> "the streams client is " + state;
            default -> null;
        };
    }

    /** The JVM's GC and JIT time and per-thread CPU when a run starts, to report what the run used. */
    private record RunStart(long gcMillis, long jitMillis, ThreadCpu threads, long processNanos) {
        static RunStart now() {
            return new RunStart(TopologyBenchmark.gcMillis(), TopologyBenchmark.jitMillis(), ThreadCpu.now(),
                    ThreadCpu.processNanos());
        }
    }

    private void sayWhereTimeWent(KafkaStreams streams, Duration elapsed, RunStart start) {
        sayWaits(streams, elapsed, gcMillis() - start.gcMillis(), jitMillis() - start.jitMillis());
        progress.say("  CPU s by thread in this JVM: %s", ThreadCpu.now().since(start.threads(),
                ThreadCpu.processNanos() - start.processNanos()));
    }

    /**
     * Where the stream threads waited rather than computed, from the clients' cumulative {@code *-time-ns-total}
     * metrics (KIP-761): the exactly-once commit's flush, offsets and commit round trips, and the consumer's waits for
     * fetches. With the CPU figures this accounts for a run's wall time.
     */
    private void sayWaits(KafkaStreams streams, Duration elapsed, long gcMillis, long jitMillis) {
        Map<String, Double> seconds = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
            MetricName name = metric.getKey();
            String client = name.tags().getOrDefault("client-id", "");
            boolean streamThreadClient = client.matches(".*-StreamThread-\\d+-(consumer|producer)");
            if (streamThreadClient && name.name().endsWith("-time-ns-total")
                    && (name.group().equals("producer-metrics") || name.group().equals("consumer-metrics"))
                    && metric.getValue().metricValue() instanceof Double value && value > 0) {
                String role = client.endsWith("-consumer") ? "consumer " : "producer ";
                seconds.merge(role + name.name().replace("-time-ns-total", ""), value / 1e9, Double::sum);
            } else if (name.group().equals("stream-thread-metrics") && name.name().equals("blocked-time-ns-total")
                    && metric.getValue().metricValue() instanceof Double value) {
                seconds.merge("stream threads blocked", value / 1e9, Double::sum);
            }
        }
        StringBuilder line = new StringBuilder();
        seconds.forEach((what, s) -> line.append(line.isEmpty() ? "" : ", ").append(String.format("%s %.1f s", what, s)));
        progress.say("  waits over %.1f s: %s; garbage collection (all threads of this JVM) %.1f s; JIT compilation "
                + "%.1f s", elapsed.toNanos() / 1e9, line, gcMillis / 1e3, jitMillis / 1e3);
    }

    /** Time the JVM's collectors have taken so far (G1: pauses and concurrent cycles' pauses). */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    /** Time the JVM's JIT compiler threads have spent compiling so far (0 if the JVM does not tell). */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** How many placement evaluations the run made and their time, from the app's own timer. */
    private void sayEvaluations(TieringApp app) {
        Timer evaluations = app.meterRegistry().find("tierflow.placement.evaluation").timer();
        if (evaluations != null && evaluations.count() > 0) {
            progress.say("  evaluations: %s, %.1f s in all, %.1f µs each", Progress.count(evaluations.count()),
                    evaluations.totalTime(TimeUnit.SECONDS), evaluations.mean(TimeUnit.MICROSECONDS));
        }
    }

    /**
     * Records and bytes (as batched and sent, before compaction) each topic received from the app's producers:
     * changelogs and outputs, from the producer metrics.
     */
    private static Map<String, double[]> recordsSentPerTopic(KafkaStreams streams) {
        Map<String, double[]> sent = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
            MetricName name = metric.getKey();
            int index = name.name().equals("record-send-total") ? 0 : name.name().equals("byte-total") ? 1 : -1;
            if (name.group().equals("producer-topic-metrics") && index >= 0
                    && metric.getValue().metricValue() instanceof Double value) {
                sent.computeIfAbsent(name.tags().get("topic"), t -> new double[2])[index] += value;
            }
        }
        return sent;
    }

    /** Bytes of the app's changelog topics in the broker's log directories, per topic. */
    private static Map<String, Long> changelogBytes(Admin admin, String appId) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
        Map<String, Long> bytes = new TreeMap<>();
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
            for (LogDirDescription dir : dirs.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                    String topic = replica.getKey().topic();
                    if (topic.startsWith(appId + "-") && topic.endsWith("-changelog")) {
                        bytes.merge(topic, replica.getValue().size(), Long::sum);
                    }
                }
            }
        }
        return bytes;
    }

    /** The store's RocksDB directories, one per task: {@code <state dir>/<app id>/<task>/rocksdb/<store>}. */
    private static List<Path> storeDirectories(Path appState, String store) throws IOException {
        if (!Files.isDirectory(appState)) {
            return List.of();
        }
        try (Stream<Path> tasks = Files.list(appState)) {
            return tasks.map(task -> task.resolve("rocksdb").resolve(store)).filter(Files::isDirectory).toList();
        }
    }

    private static long storeBytes(Path appState, String store, boolean sstOnly) throws IOException {
        long total = 0;
        for (Path dir : storeDirectories(appState, store)) {
            try (Stream<Path> files = Files.walk(dir)) {
                total += files.filter(Files::isRegularFile)
                        .filter(f -> !sstOnly || f.getFileName().toString().endsWith(".sst"))
                        .mapToLong(f -> {
                            try {
                                return Files.size(f);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }).sum();
            }
        }
        return total;
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private Recording startProfile(String appId) throws Exception {
        if (settings.profileDir() == null) {
            return null;
        }
        Files.createDirectories(settings.profileDir());
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.setName(appId);
        recording.setDestination(settings.profileDir().resolve(appId + ".jfr"));
        recording.start();
        return recording;
    }

    private void stopProfile(Recording recording) throws IOException {
        if (recording != null) {
            recording.stop(); // writes the destination file
            progress.say("  profile written to %s", recording.getDestination());
            for (String line : ProfileSummary.read(recording.getDestination()).lines(PROFILE_TOP)) {
                progress.say("  %s", line);
            }
        }
    }

    /**
     * Under exactly-once load the clients log each retried request (CONCURRENT_TRANSACTIONS while a commit completes)
     * and each fetch that races a rebalance at WARN; both are expected and would bury the progress lines. Failures
     * still surface: as ERROR logs, and as a run that stops or times out.
     */
    static void quietClientRetries() {
        if (LoggerFactory.getLogger("org.apache.kafka.clients") instanceof ch.qos.logback.classic.Logger clients) {
            clients.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    static Admin admin(LocalStack stack) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "bench-admin");
        return Admin.create(props);
    }

    private static String rates(List<Double> rates) {
        return String.join(", ", rates.stream().map(Progress::count).toList());
    }

    private void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                progress.say("could not close %s: %s", closeable, e);
            }
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
