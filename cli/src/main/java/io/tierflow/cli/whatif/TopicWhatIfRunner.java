package io.tierflow.cli.whatif;

import io.tierflow.api.WhatIfRunner;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Site;
import io.tierflow.streams.TieringSettings;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's what-ifs on a streams node: {@link WhatIfRun}, as {@code tierflow whatif --from-topics} runs it, over
 * the live {@code datasets} and {@code access-events} of the range asked for, on a thread of its own, one run at a
 * time, the last few kept in memory. Read-only like the command: the catalogue and the recorded topics are read by
 * consumers with no group, and each policy runs in a {@code TopologyTestDriver} with its state in memory and no broker,
 * so a run cannot write to a live topic, store or object.
 */
public final class TopicWhatIfRunner implements WhatIfRunner {
    /** Config key of the most access events one run replays. */
    public static final String MAX_EVENTS_CONFIG = "tierflow.whatif.max.events";
    /** About ten seconds to a minute of replay on a busy two-core machine with two policies (docs/benchmarks.md). */
    public static final long DEFAULT_MAX_EVENTS = 200_000;
    /** Runs kept for {@link #status}, the oldest forgotten first. */
    static final int KEPT_RUNS = 5;
    /** Points per line of the cumulative-cost chart at most: more than a page's width can show are thinned. */
    static final int MAX_SAMPLES = 300;
    private static final Logger log = LoggerFactory.getLogger(TopicWhatIfRunner.class);

    private final String bootstrapServers;
    private final Topics topics;
    private final TieringSettings settings;
    private final long maxEvents;
    private final Duration timeout;
    private final Clock clock;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "tierflow-whatif-runner");
        t.setDaemon(true); // a run in progress does not keep a stopping node alive
        return t;
    });
    /** Every kept run by id, oldest first; guarded by this. */
    private final LinkedHashMap<String, Run> runs = new LinkedHashMap<>();
    /** The run going, or null; guarded by this. */
    private Run current;

    /**
     * @param settings the node's topology settings (a replay decides as the node does)
     * @param maxEvents the most access events one run replays
     */
    public TopicWhatIfRunner(String bootstrapServers, Topics topics, TieringSettings settings, long maxEvents,
            Duration timeout, Clock clock) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException(MAX_EVENTS_CONFIG + " must be at least 1, not " + maxEvents);
        }
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.settings = settings;
        this.maxEvents = maxEvents;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The runner of a streams node with this configuration (Kafka's and the registry's addresses, the bound). */
    public static TopicWhatIfRunner forNode(Properties streamsConfig, TieringSettings settings) {
        Map<String, Object> serde = new LinkedHashMap<>();
        streamsConfig.forEach((k, v) -> serde.put(k.toString(), v));
        String bound = streamsConfig.getProperty(MAX_EVENTS_CONFIG);
        long maxEvents;
        try {
            maxEvents = bound == null ? DEFAULT_MAX_EVENTS : Long.parseLong(bound.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_EVENTS_CONFIG + " must be a whole number, not '" + bound + "'");
        }
        return new TopicWhatIfRunner(streamsConfig.getProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG),
                Topics.using(serde), settings, maxEvents, Duration.ofSeconds(30), Clock.systemUTC());
    }

    @Override
    public synchronized String start(Request request) {
        if (current != null) {
            throw new Busy(current.id);
        }
        if (request.candidates().isEmpty()) {
            throw new IllegalArgumentException("a what-if needs at least one policy");
        }
        Run run = new Run(UUID.randomUUID().toString(), Instant.now(clock));
        runs.put(run.id, run);
        while (runs.size() > KEPT_RUNS) {
            runs.remove(runs.keySet().iterator().next());
        }
        current = run;
        thread.execute(() -> execute(run, request));
        return run.id;
    }

    @Override
    public synchronized Optional<Status> status(String id) {
        Run run = runs.get(id);
        return run == null ? Optional.empty() : Optional.of(run.status());
    }

    @Override
    public synchronized Optional<String> latest() {
        String last = null;
        for (String id : runs.keySet()) {
            last = id;
        }
        return Optional.ofNullable(last);
    }

    @Override
    public long maxEvents() {
        return maxEvents;
    }

    /** Stops a run still going (its thread is interrupted) and waits a little for it to end. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("a what-if run did not stop within 10 s of the node stopping");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void execute(Run run, Request request) {
        Path stateDir = null;
        Result result = null;
        String error = "the run ended unexpectedly (the node's log has the reason)";
        try {
            run.phase("reading the sites and the model");
            Map<String, Site> sites = CatalogueReader.latest(bootstrapServers, topics.sites, timeout);
            if (sites.isEmpty()) {
                throw new WhatIfException("the sites catalogue is empty: run tierflow init (or tierflow local) first");
            }
            Model model = CatalogueReader.latest(bootstrapServers, topics.models, timeout).get("current");
            TopicReplaySource source = new TopicReplaySource(bootstrapServers, topics, Topics.DATASETS,
                    Topics.ACCESS_EVENTS, null, request.from(), request.to(), maxEvents, timeout,
                    new PrintWriter(Writer.nullWriter()), "tierflow console whatif");
            run.source = source;
            stateDir = Files.createTempDirectory("tierflow-whatif-");
            WhatIfSetup setup = new WhatIfSetup(sites, null, model, settings, defaultMigrator(), stateDir,
                    sampleEvery(request));
            List<WhatIfRun.Candidate> candidates = request.candidates().stream()
                    .map(c -> new WhatIfRun.Candidate(c.name(), c.policy())).toList();
            run.phase("replaying " + candidates.size() + " " + (candidates.size() == 1 ? "policy" : "policies"));
            WhatIfRun.Outcome outcome = WhatIfRun.run(counting(source, run), setup, candidates, request.to());
            result = result(outcome.report(), candidates.size(), note(request, source, outcome));
            error = null;
            log.info("what-if run {}: {} inputs under {} policies", run.id, outcome.inputs(), candidates.size());
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            error = Thread.currentThread().isInterrupted() ? "stopped: the node is stopping" : reason;
            if (!(e instanceof WhatIfException)) {
                log.warn("what-if run {} failed", run.id, e);
            }
        } finally {
            deleteQuietly(stateDir);
            finish(run, result, error);
        }
    }

    /** The run's last status and the runner free for the next, in one step: a client told it ended may start one. */
    private synchronized void finish(Run run, Result result, String error) {
        if (error == null) {
            run.succeeded(result, Instant.now(clock));
        } else {
            run.failed(error, Instant.now(clock));
        }
        if (current == run) {
            current = null;
        }
    }

    /** The migrator the CLI simulates by default: 1 Gbit/s between any two sites, 2 s a step, no failures. */
    private static SimulatedMigrator defaultMigrator() {
        return new SimulatedMigrator(new LinkModel(1000, Map.of(), 2_000), 0, 1);
    }

    /** Samples for the chart: about {@link #MAX_SAMPLES} over the range, never closer than a minute. */
    private static Duration sampleEvery(Request request) {
        Duration range = Duration.between(request.from(), request.to());
        Duration every = range.dividedBy(MAX_SAMPLES);
        return every.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : every;
    }

    /** The source, counting what it hands on into the run's progress, which says when the pricing starts. */
    private static ReplaySource counting(ReplaySource source, Run run) {
        return new ReplaySource() {
            @Override
            public long replay(java.util.function.Consumer<ReplayInput> to) throws IOException {
                long inputs = source.replay(input -> {
                    run.read.incrementAndGet();
                    to.accept(input);
                });
                run.phase("finishing the replays and pricing the baselines and the optimum");
                return inputs;
            }

            @Override
            public String description() {
                return source.description();
            }
        };
    }

    private String note(Request request, TopicReplaySource source, WhatIfRun.Outcome outcome) {
        List<String> notes = new ArrayList<>();
        Instant readFrom = source.readFrom();
        if (readFrom != null && readFrom.isAfter(request.from())) {
            notes.add("the range held more than " + maxEvents + " access events (this node's "
                    + MAX_EVENTS_CONFIG + "): only those from " + readFrom + " on were replayed");
        }
        notes.add("the inventory is read whole, so storage is priced from each dataset's first record; the live "
                + "policy is the default one, and every policy is replayed over every dataset");
        if (source.undecodable() > 0) {
            notes.add(source.undecodable() + " records could not be read and were skipped");
        }
        if (outcome.deadLetters() > 0) {
            notes.add("the topology refused " + outcome.deadLetters() + " records (dead letters)");
        }
        return String.join("; ", notes);
    }

    /** The report as the API's rows: the policies first, then the baselines, the optimum last. */
    static Result result(WhatIfReport report, int policies, String note) {
        List<Row> rows = new ArrayList<>();
        Double optimum = report.optimum();
        for (int i = 0; i < report.rows().size(); i++) {
            PolicyCosts row = report.rows().get(i);
            RowKind kind = i < policies ? RowKind.POLICY
                    : row.name().startsWith(BaselineRows.OPTIMUM) ? RowKind.OPTIMUM : RowKind.BASELINE;
            boolean replayed = kind == RowKind.POLICY;
            Map<String, Long> gets = new LinkedHashMap<>();
            WhatIfReport.TIERS.forEach(tier -> gets.put(tier, row.getsByTier().getOrDefault(tier, 0L)));
            var c = row.cost();
            rows.add(new Row(row.name(), kind, row.total(), c.storageUsd(), c.requestUsd(), c.retrievalUsd(),
                    c.egressUsd(), c.migrationUsd(), c.earlyDeletionUsd(), c.monitoringUsd(),
                    replayed ? gets : null, replayed ? row.slaMisses() : null, replayed ? row.moves() : null,
                    replayed ? row.bytesMoved() : null, optimum == null || optimum <= 0 ? null : row.total() / optimum,
                    thinned(row.cumulative())));
        }
        return new Result(report.source(), report.from(), report.to(), note, optimum, rows);
    }

    /** At most {@link #MAX_SAMPLES} samples, evenly picked, the last always kept (the total). */
    static List<Sample> thinned(List<PolicyCosts.Sample> samples) {
        List<Sample> kept = new ArrayList<>();
        int step = samples.size() <= MAX_SAMPLES ? 1 : (samples.size() - 1 + MAX_SAMPLES - 2) / (MAX_SAMPLES - 1);
        for (int i = 0; i < samples.size(); i += step) {
            kept.add(new Sample(samples.get(i).timeMs(), samples.get(i).totalUsd()));
        }
        if (!samples.isEmpty() && (samples.size() - 1) % step != 0) {
            PolicyCosts.Sample last = samples.get(samples.size() - 1);
            kept.add(new Sample(last.timeMs(), last.totalUsd()));
        }
        return kept;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // scratch state of the replays: left behind if it cannot be removed
        }
    }

    /** One run's state, written by the runner's thread and read by the API's. */
    private static final class Run {
        final String id;
        final Instant startedAt;
        final AtomicLong read = new AtomicLong();
        volatile TopicReplaySource source;
        private State state = State.RUNNING;
        private String phase = "waiting to start";
        private Instant finishedAt;
        private String error;
        private Result result;

        Run(String id, Instant startedAt) {
            this.id = id;
            this.startedAt = startedAt;
        }

        synchronized void phase(String now) {
            phase = now;
        }

        synchronized void succeeded(Result done, Instant at) {
            state = State.SUCCEEDED;
            phase = "done";
            result = done;
            finishedAt = at;
        }

        synchronized void failed(String reason, Instant at) {
            state = State.FAILED;
            phase = "failed";
            error = reason;
            finishedAt = at;
        }

        synchronized Status status() {
            TopicReplaySource reading = source;
            return new Status(id, state, startedAt, finishedAt,
                    new Progress(phase, read.get(), reading == null ? 0 : reading.planned()), error, result);
        }
    }
}
