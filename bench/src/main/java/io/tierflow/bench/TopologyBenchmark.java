package io.tierflow.bench;

import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.schemas.Policy;
import io.tierflow.streams.TieringSettings;
import io.tierflow.topics.Topics;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Issue 3's performance check: loads the input once, then runs a pass-through topology and the tiering topology
 * alternately, each under a fresh application id and state directory and each from start until caught up, and
 * reports the rates, their ratio and the tiering app's changelog and state footprint.
 */
final class TopologyBenchmark {
    private final TopologyBenchSettings settings;
    /** The 'default' policy to publish before loading, or null for the topology's built-in one. */
    private final Policy policy;
    private final Progress progress;
    /** The app being measured and the stack, for the clean-up when the JVM is stopped half-way (Ctrl-C). */
    private final AtomicReference<AutoCloseable> runningApp = new AtomicReference<>();
    private final AtomicReference<LocalStack> runningStack = new AtomicReference<>();

    TopologyBenchmark(TopologyBenchSettings settings, PrintStream log) {
        this(settings, null, log);
    }

    TopologyBenchmark(TopologyBenchSettings settings, Policy policy, PrintStream log) {
        this.settings = settings;
        this.policy = policy;
        this.progress = new Progress(log, "topology");
    }

    TopologySummary run() throws Exception {
        BenchClients.quietClientRetries();
        Path work = Files.createTempDirectory(Files.createDirectories(settings.workParent()), "tierflow-bench-");
        progress.say("starting a local stack in %s ...", work);
        Thread cleanupOnInterrupt = new Thread(() -> {
            closeQuietly(runningApp.getAndSet(null));
            closeQuietly(runningStack.getAndSet(null));
            WorkDirectory.deleteRecursively(work);
        }, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnInterrupt);
        try (LocalStack stack = LocalStack.start(LocalStackConfig.onFreePorts(work.resolve("stack")))) {
            runningStack.set(stack);
            try (Admin admin = BenchClients.admin(stack)) {
                return measure(stack, admin, work);
            }
        } finally {
            runningStack.set(null);
            WorkDirectory.deleteRecursively(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupOnInterrupt);
            } catch (IllegalStateException e) {
                // the JVM is shutting down and the hook is running or has run
            }
        }
    }

    private TopologySummary measure(LocalStack stack, Admin admin, Path work) throws Exception {
        if (policy != null) {
            publishPolicy(stack);
        }
        BenchLoader.Loaded loaded = new BenchLoader(stack.bootstrapServers(), stack.topics(), settings.loadPlan(), progress).load();
        CatchUp catchUp = new CatchUp(admin, BenchClients.endOffsets(admin, Topics.ACCESS_EVENTS), progress);
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
        TopologyRuns runs = new TopologyRuns(settings, progress, stack, admin, catchUp, work, runningApp);
        warmUp(runs, catchUp);
        // Tiering first: if there was no warm-up, the first run in this JVM also pays for JIT compilation, and this
        // way it counts against the tiering side, never in its favour.
        for (int run = 1; run <= settings.runs(); run++) {
            TopologyRuns.TieringRun result = runs.tiering(run);
            tiering.add(result.eventsPerSecond());
            tieringCpu.add(result.cpuUsPerEvent());
            changelogPerEvent.add((double) result.changelogBytes() / loaded.events());
            statePerDataset.add((double) result.stateBytes() / loaded.datasets());
            TopologyRuns.PassThroughRun reference = runs.passThrough(run);
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
    private void warmUp(TopologyRuns runs, CatchUp catchUp) throws Exception {
        long events = Math.min(settings.warmupEvents(), catchUp.total());
        if (events == 0 || settings.warmupRounds() == 0) {
            return;
        }
        progress.say("warming up the JVM: each topology over the first %s events, %d time(s), not measured ...",
                Progress.count(events), settings.warmupRounds());
        for (int round = 1; round <= settings.warmupRounds(); round++) {
            String of = settings.warmupRounds() == 1 ? "" : " " + round + "/" + settings.warmupRounds();
            runs.tiering("bench-warmup-tiering-" + round, "warm-up" + of + ", tiering", events, false);
            runs.passThrough("bench-warmup-passthrough-" + round, "warm-up" + of + ", pass-through", events, false);
        }
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

    /** Publishes the policy under 'default', so every tiering run decides under it (the catalogue reads it at start). */
    private void publishPolicy(LocalStack stack) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Policy> producer = new KafkaProducer<>(config,
                stack.topics().policies.keySerde().serializer(), stack.topics().policies.valueSerde().serializer())) {
            Policy published = Policy.newBuilder(policy).setName("default").build();
            producer.send(new ProducerRecord<>(Topics.POLICIES, "default", published)).get();
        }
        progress.say("published policy '%s' as default (decision %s)", policy.getName(), policy.getDecision());
    }
}
