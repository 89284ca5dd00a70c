package io.tierflow.bench;

import io.tierflow.localstack.LocalStack;
import io.tierflow.streams.TieringApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * One run of either topology over the loaded events, each under a fresh application id and state directory, from
 * start until caught up; measured runs are profiled (if asked) and report what they cost, and tiering runs their
 * footprint.
 */
final class TopologyRuns {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    /** Methods listed from a profile. */
    private static final int PROFILE_TOP = 25;

    private final TopologyBenchSettings settings;
    private final Progress progress;
    private final LocalStack stack;
    private final Admin admin;
    private final CatchUp catchUp;
    private final Path work;
    /** The app being measured, for the clean-up when the JVM is stopped half-way (Ctrl-C). */
    private final AtomicReference<AutoCloseable> runningApp;
    private final StreamsRunCosts costs;
    private final TieringFootprint footprint;

    TopologyRuns(TopologyBenchSettings settings, Progress progress, LocalStack stack, Admin admin, CatchUp catchUp,
            Path work, AtomicReference<AutoCloseable> runningApp) {
        this.settings = settings;
        this.progress = progress;
        this.stack = stack;
        this.admin = admin;
        this.catchUp = catchUp;
        this.work = work;
        this.runningApp = runningApp;
        this.costs = new StreamsRunCosts(progress);
        this.footprint = new TieringFootprint(progress);
    }

    /** What one tiering run left behind. */
    record TieringRun(double eventsPerSecond, double cpuUsPerEvent, long changelogBytes, long stateBytes) {
    }

    /** What one pass-through run measured. */
    record PassThroughRun(double eventsPerSecond, double cpuUsPerEvent) {
    }

    PassThroughRun passThrough(int run) throws Exception {
        return passThrough("bench-passthrough-" + run, "pass-through run " + run + "/" + settings.runs(),
                catchUp.total(), true);
    }

    /** A pass-through run until {@code events} are committed; profiled if {@code measured} (not a warm-up). */
    PassThroughRun passThrough(String appId, String label, long events, boolean measured) throws Exception {
        String sink = appId + "-sink";
        admin.createTopics(List.of(new NewTopic(sink, LocalStack.PARTITIONS, (short) 1))).all().get();
        Properties config = streamsConfig(appId);
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
            StreamsRunCosts.RunStart runStart = StreamsRunCosts.RunStart.now();
            long started = System.nanoTime();
            streams.start();
            elapsed = catchUp.await(label, appId, started, () -> failure.get() != null ? failure.get()
                    : failed(streams.state()), settings.runTimeout(), events);
            cpuNanos = StreamsRunCosts.cpuOfThreadsOf(appId);
            stopProfile(recording);
            costs.sayWhereTimeWent(streams, elapsed, runStart);
        } finally {
            streams.close(CLOSE_TIMEOUT);
            runningApp.set(null);
        }
        double eps = events / (elapsed.toNanos() / 1e9);
        double cpuUs = cpuNanos / 1e3 / events;
        progress.say("%s: %s events in %.1f s = %s events/s; its threads used %.2f CPU µs per event", label,
                Progress.count(events), elapsed.toNanos() / 1e9, Progress.count(eps), cpuUs);
        admin.deleteTopics(List.of(sink)).all().get();
        WorkDirectory.deleteRecursively(work.resolve("state").resolve(appId));
        return new PassThroughRun(eps, cpuUs);
    }

    TieringRun tiering(int run) throws Exception {
        return tiering("bench-tiering-" + run, "tiering run " + run + "/" + settings.runs(), catchUp.total(), true);
    }

    /**
     * A tiering run until {@code events} are committed; if {@code measured} it is profiled and its footprint reported,
     * otherwise (a warm-up, which may read all the events too) it returns null.
     */
    TieringRun tiering(String appId, String label, long events, boolean measured) throws Exception {
        Properties config = streamsConfig(appId);
        Duration elapsed;
        long cpuNanos;
        Map<String, double[]> sent;
        TieringApp app = new TieringApp(config, TopologyBenchmark.replaySettings());
        try (Recording recording = measured ? startProfile(appId) : null) {
            runningApp.set(app);
            StreamsRunCosts.RunStart runStart = StreamsRunCosts.RunStart.now();
            long started = System.nanoTime();
            app.start();
            elapsed = catchUp.await(label, appId, started, () -> failed(app.streams().state()), settings.runTimeout(),
                    events);
            cpuNanos = StreamsRunCosts.cpuOfThreadsOf(appId);
            stopProfile(recording);
            costs.sayWhereTimeWent(app.streams(), elapsed, runStart);
            costs.sayEvaluations(app);
            sent = StreamsRunCosts.recordsSentPerTopic(app.streams());
        } finally {
            app.close(); // flushes the stores, so what is on disk afterwards is the state
            runningApp.set(null);
        }
        double eps = events / (elapsed.toNanos() / 1e9);
        double cpuUs = cpuNanos / 1e3 / events;
        progress.say("%s: %s events in %.1f s = %s events/s; its threads used %.2f CPU µs per event", label,
                Progress.count(events), elapsed.toNanos() / 1e9, Progress.count(eps), cpuUs);
        Map<String, Long> changelogs = TieringFootprint.changelogBytes(admin, appId);
        Path appState = work.resolve("state").resolve(appId);
        if (!measured) {
            admin.deleteTopics(List.copyOf(changelogs.keySet())).all().get();
            WorkDirectory.deleteRecursively(appState);
            return null;
        }
        TieringFootprint.Held held = footprint.report(appId, sent, changelogs, appState, catchUp.total());
        admin.deleteTopics(List.copyOf(changelogs.keySet())).all().get();
        WorkDirectory.deleteRecursively(appState);
        return new TieringRun(eps, cpuUs, held.changelogBytes(), held.stateBytes());
    }

    private Properties streamsConfig(String appId) {
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
}
