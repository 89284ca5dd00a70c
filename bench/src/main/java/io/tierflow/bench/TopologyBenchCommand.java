package io.tierflow.bench;

import io.tierflow.cli.traffic.ZipfSampler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scripts/bench topology}: the tiering topology's throughput against a pass-through (issue 3). */
@Command(name = "topology", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a fresh local stack in a temporary directory, loads an inventory and access events "
                + "with Zipf popularity, then measures, alternately, the tiering topology and a pass-through topology "
                + "topology (both exactly-once v2), each from start until caught up. Deletes the directory at the end.",
                "Last line on stdout: topology: passthrough_eps=N tiering_eps=N ratio=R changelog_bytes_per_event=N "
                        + "state_bytes_per_dataset=N (medians over the runs)."})
final class TopologyBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", description = "Access events to load (default: ${DEFAULT-VALUE}).")
    long events = 5_000_000;

    @Option(names = "--datasets", paramLabel = "N", description = "Datasets (default: ${DEFAULT-VALUE}).")
    int datasets = 100_000;

    @Option(names = "--runs", paramLabel = "N",
            description = "Measured runs of each topology, alternating; the summary has their medians (default: "
                    + "${DEFAULT-VALUE}: with two stream threads sharing three tasks, a run's rate depends on which "
                    + "tasks share a thread).")
    int runs = 3;

    @Option(names = "--warmup-events", paramLabel = "N",
            description = "Before the measured runs, run each topology over the first N events, unmeasured, so "
                    + "that JIT compilation is not measured; 0 for none (default: all of them).")
    long warmupEvents = Long.MAX_VALUE;

    @Option(names = "--warmup-rounds", paramLabel = "N",
            description = "How many times each topology runs over the warm-up events (default: ${DEFAULT-VALUE}: "
                    + "after one, the JIT compiler still took 3-6 s of CPU in the first measured tiering run).")
    int warmupRounds = 2;

    @Option(names = "--simulated-hours", paramLabel = "H",
            description = "Event time the events are spread over, in hours (default: ${DEFAULT-VALUE}).")
    double simulatedHours = 4;

    @Option(names = "--start", paramLabel = "INSTANT",
            description = "Event time of the first event (default: ${DEFAULT-VALUE}, a Monday morning).")
    Instant start = Instant.parse("2026-03-02T08:00:00Z");

    @Option(names = "--seed", description = "Seed of the inventory and the traffic (default: ${DEFAULT-VALUE}).")
    long seed = 3;

    @Option(names = "--zipf-exponent", paramLabel = "S",
            description = "Popularity skew: rank r gets traffic in proportion to 1/r^S (default: ${DEFAULT-VALUE}).")
    double zipfExponent = ZipfSampler.DEFAULT_EXPONENT;

    @Option(names = "--stream-threads", paramLabel = "N",
            description = "Stream threads of both apps (default: one per core, the tiering app's own default; "
                    + "here ${DEFAULT-VALUE}).")
    int streamThreads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--run-timeout-minutes", paramLabel = "M",
            description = "Fail if a run has not caught up after M minutes (default: ${DEFAULT-VALUE}).")
    long runTimeoutMinutes = 30;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the temporary data directory is made (default: the system temp directory).")
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"));

    @Option(names = "--profile-dir", paramLabel = "DIR",
            description = "Write a JFR recording of each measured run to DIR (default: none).")
    Path profileDir;

    @Option(names = "--streams-config", paramLabel = "KEY=VALUE",
            description = "A Kafka Streams setting for both apps, over their defaults (repeatable), for experiments "
                    + "such as max.task.idle.ms=-1; the summary is then not comparable with the recorded figures.")
    java.util.Map<String, String> streamsConfig = new java.util.LinkedHashMap<>();

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Publish this policy (JSON, as PUT /policies takes it) as 'default' before the runs, e.g. "
                    + "docs/whatif/cost.json for the cost decision (default: the built-in policy).")
    Path policyFile;

    @Override
    public Integer call() throws Exception {
        io.tierflow.schemas.Policy policy;
        try {
            policy = policyFile == null ? null : io.tierflow.cli.whatif.PolicyFiles.read(policyFile);
        } catch (io.tierflow.cli.whatif.WhatIfException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        TopologyBenchSettings settings;
        try {
            settings = new TopologyBenchSettings(events, datasets, runs, warmupEvents, warmupRounds,
                    Duration.ofMillis(Math.round(simulatedHours * 3_600_000)), start, seed, zipfExponent,
                    streamThreads, Duration.ofMinutes(runTimeoutMinutes), workDir, profileDir, streamsConfig);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        TopologySummary summary = new TopologyBenchmark(settings, policy, System.err).run();
        PrintWriter out = spec.commandLine().getOut();
        out.println(summary.line());
        out.flush();
        return 0;
    }
}
