package io.tierflow.bench;

import io.tierflow.cli.traffic.ZipfSampler;
import io.tierflow.cli.whatif.WhatIfCommand;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scripts/bench whatif}: {@code tierflow whatif --from-topics} under two policies (and the baselines, which it
 * always prices) over the topology suite's input, against the pass-through topology measured in the same run over
 * the same events (issue 19). The rate is the events replayed per second of the whole command, each event through
 * every policy's topology: reading the topics, replaying, pricing and writing the report. Beside the rates, the CPU
 * this JVM used per event in each of the two phases (all its threads, GC and JIT included, the broker serving the
 * reads too): on a machine busy with other work the wall-clock rates move with the load, the CPU far less.
 */
@Command(name = "whatif", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a fresh local stack in a temporary directory, loads an inventory and access events "
                + "with Zipf popularity (as the topology suite does), measures the pass-through topology once over "
                + "them, then runs tierflow whatif --from-topics under two policies. Deletes the directory at the end.",
                "Last line on stdout: whatif: events_per_s=N passthrough_eps=N ratio=R policies=N wall_s=N "
                        + "passthrough_cpu_us_per_event=N replay_cpu_us_per_event=N cpu_ratio=R."})
final class WhatIfBenchCommand implements Callable<Integer> {
    /** Two policies that decide differently: the built-in thresholds, and one that keeps nearly everything cold. */
    private static final String BUILT_IN = """
            {"name": "built-in", "heatHalfLifeSeconds": 21600, "hotThreshold": 20, "warmThreshold": 2,
             "hysteresis": 0.25, "replicationHot": 1, "replicationWarm": 1, "replicationCold": 1,
             "defaultLatencySlaMs": 50, "migrationBudgetBytesPerHour": 1000000000000000, "cooldownSeconds": 600}
            """;
    private static final String COLD = """
            {"name": "mostly-cold", "heatHalfLifeSeconds": 3600, "hotThreshold": 500, "warmThreshold": 50,
             "hysteresis": 0.25, "replicationHot": 1, "replicationWarm": 1, "replicationCold": 1,
             "defaultLatencySlaMs": 50, "migrationBudgetBytesPerHour": 1000000000000000, "cooldownSeconds": 600}
            """;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", description = "Access events to load (default: ${DEFAULT-VALUE}).")
    long events = 5_000_000;

    @Option(names = "--datasets", paramLabel = "N", description = "Datasets (default: ${DEFAULT-VALUE}).")
    int datasets = 100_000;

    @Option(names = "--simulated-hours", paramLabel = "H",
            description = "Event time the events are spread over, in hours (default: ${DEFAULT-VALUE}).")
    double simulatedHours = 4;

    @Option(names = "--seed", description = "Seed of the inventory and the traffic (default: ${DEFAULT-VALUE}).")
    long seed = 3;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the temporary data directory is made (default: the system temp directory).")
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"));

    @Override
    public Integer call() throws Exception {
        TopologyBenchSettings settings;
        try {
            settings = new TopologyBenchSettings(events, datasets, 1, 0, 0,
                    Duration.ofMillis(Math.round(simulatedHours * 3_600_000)), Instant.parse("2026-03-02T08:00:00Z"),
                    seed, ZipfSampler.DEFAULT_EXPONENT, Runtime.getRuntime().availableProcessors(),
                    Duration.ofMinutes(60), workDir, null, new LinkedHashMap<>());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Progress progress = new Progress(System.err, "whatif");
        BenchClients.quietClientRetries();
        Path work = Files.createTempDirectory(Files.createDirectories(workDir), "tierflow-bench-");
        try (LocalStack stack = LocalStack.start(LocalStackConfig.onFreePorts(work.resolve("stack")));
                Admin admin = BenchClients.admin(stack)) {
            BenchLoader.Loaded loaded = new BenchLoader(stack.bootstrapServers(), stack.topics(), settings.loadPlan(),
                    progress).load();
            CatchUp catchUp = new CatchUp(admin, BenchClients.endOffsets(admin, Topics.ACCESS_EVENTS), progress);
            TopologyRuns runs = new TopologyRuns(settings, progress, stack, admin, catchUp, work,
                    new AtomicReference<>());
            long passThroughCpuBefore = ThreadCpu.processNanos();
            double passThrough = runs.passThrough(1).eventsPerSecond();
            double passThroughCpuUs = (ThreadCpu.processNanos() - passThroughCpuBefore) / 1e3 / loaded.events();

            Path builtIn = Files.writeString(work.resolve("built-in.json"), BUILT_IN);
            Path cold = Files.writeString(work.resolve("mostly-cold.json"), COLD);
            progress.say("tierflow whatif --from-topics under 2 policies over %s events ...",
                    Progress.count(loaded.events()));
            StringWriter out = new StringWriter();
            long started = System.nanoTime();
            long replayCpuBefore = ThreadCpu.processNanos();
            int exit = new CommandLine(new WhatIfCommand()).setOut(new PrintWriter(out))
                    .setErr(new PrintWriter(System.err, true))
                    .execute("--from-topics", "--policy", builtIn.toString(), "--policy", cold.toString(),
                            "--out", work.resolve("report").toString(), "--bootstrap-servers",
                            stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl());
            double wall = (System.nanoTime() - started) / 1e9;
            double replayCpuUs = (ThreadCpu.processNanos() - replayCpuBefore) / 1e3 / loaded.events();
            System.err.print(out);
            if (exit != 0) {
                progress.say("tierflow whatif failed (exit %d)", exit);
                return 1;
            }
            double eps = loaded.events() / wall;
            PrintWriter stdout = spec.commandLine().getOut();
            progress.say("pass-through %.1f, replay %.1f CPU µs per event (this JVM, each phase)", passThroughCpuUs,
                    replayCpuUs);
            stdout.printf(Locale.ROOT, "whatif: events_per_s=%.0f passthrough_eps=%.0f ratio=%.3f policies=%d "
                    + "wall_s=%.1f passthrough_cpu_us_per_event=%.2f replay_cpu_us_per_event=%.2f cpu_ratio=%.3f%n",
                    eps, passThrough, eps / passThrough, 2, wall, passThroughCpuUs, replayCpuUs,
                    passThroughCpuUs / replayCpuUs);
            stdout.flush();
            return 0;
        } finally {
            WorkDirectory.deleteRecursively(work);
        }
    }
}
