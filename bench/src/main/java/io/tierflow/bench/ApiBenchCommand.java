package io.tierflow.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scripts/bench api}: single-key GET throughput and latency of the query API, and its freshness (issue 5). */
@Command(name = "api", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a fresh local stack and two streams nodes (tiering topology + query API, exactly-once) "
                + "in a temporary directory, loads an inventory and access events, then drives GET /datasets/{key} "
                + "at node A with wrk for keys A owns and for keys B owns (A forwards), with GET /health as the "
                + "reference, and measures freshness: the time from producing an event to seeing its effect through "
                + "the API, while events are produced at a fixed rate. Needs wrk (apt-get install wrk).",
                "Last line on stdout: api: local_rps=N local_p99_ms=X forwarded_rps=N forwarded_p99_ms=X "
                        + "freshness_p99_ms=X health_rps=N"})
final class ApiBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--datasets", paramLabel = "N", description = "Datasets (default: ${DEFAULT-VALUE}).")
    int datasets = 100_000;

    @Option(names = "--events", paramLabel = "N",
            description = "Access events loaded with them, over the hour before now (default: ${DEFAULT-VALUE}).")
    long events = 200_000;

    @Option(names = "--seed", description = "Seed of the inventory and the traffic (default: ${DEFAULT-VALUE}).")
    long seed = 5;

    @Option(names = "--wrk-threads", paramLabel = "N", description = "wrk threads (default: ${DEFAULT-VALUE}).")
    int wrkThreads = 2;

    @Option(names = "--wrk-connections", paramLabel = "N",
            description = "wrk connections, over all threads (default: ${DEFAULT-VALUE}).")
    int wrkConnections = 16;

    @Option(names = "--wrk-seconds", paramLabel = "S",
            description = "Length of each measured wrk run (default: ${DEFAULT-VALUE}).")
    int wrkSeconds = 15;

    @Option(names = "--warmup-seconds", paramLabel = "S",
            description = "Unmeasured wrk run of each kind first, for the JIT; 0 for none (default: ${DEFAULT-VALUE}).")
    // 20 s: the JFR of wrk runs after a 5 s warm-up showed C2 still compiling the request path up to 45 s after the
    // warm-up started, so the measured runs carried part of the JVM's start-up (docs/benchmarks.md, "api").
    int warmupSeconds = 20;

    @Option(names = "--freshness-rate", paramLabel = "N",
            description = "Events per second while freshness is measured (default: ${DEFAULT-VALUE}).")
    double freshnessRate = 10_000;

    @Option(names = "--freshness-seconds", paramLabel = "S",
            description = "How long events are produced for the freshness measurement (default: ${DEFAULT-VALUE}).")
    int freshnessSeconds = 30;

    @Option(names = "--probe-every", paramLabel = "N",
            description = "One event in N is a probe whose visibility is timed (default: ${DEFAULT-VALUE}).")
    int probeEvery = 100;

    @Option(names = "--probe-datasets", paramLabel = "N",
            description = "Datasets that take the probes, round-robin; no other event touches them "
                    + "(default: ${DEFAULT-VALUE}).")
    int probeDatasets = 1_000;

    @Option(names = "--poll-ms", paramLabel = "MS",
            description = "Pause between two reads of a probe's dataset, or 5%% of the time it has waited if longer "
                    + "(default: ${DEFAULT-VALUE}).")
    int pollMillis = 10;

    @Option(names = "--probe-timeout-seconds", paramLabel = "S",
            description = "Fail if a probe is not visible after S seconds (default: ${DEFAULT-VALUE}).")
    int probeTimeoutSeconds = 300;

    @Option(names = "--catch-up-timeout-minutes", paramLabel = "M",
            description = "Fail if the nodes have not processed the load after M minutes (default: ${DEFAULT-VALUE}).")
    long catchUpTimeoutMinutes = 15;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the temporary data directory is made (default: the system temp directory).")
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"));

    @Option(names = "--profile-dir", paramLabel = "DIR",
            description = "Write JFR recordings of the measured wrk runs (api-wrk.jfr) and of the freshness phase "
                    + "(api-freshness.jfr) to DIR (default: none).")
    Path profileDir;

    @Override
    public Integer call() throws Exception {
        ApiBenchSettings settings;
        try {
            settings = new ApiBenchSettings(datasets, events, seed, Duration.ofSeconds(warmupSeconds),
                    new Wrk.Load(wrkThreads, wrkConnections, Duration.ofSeconds(wrkSeconds)),
                    new Freshness.Settings(freshnessRate, Duration.ofSeconds(freshnessSeconds), probeEvery,
                            probeDatasets, Duration.ofMillis(pollMillis), Duration.ofSeconds(probeTimeoutSeconds)),
                    Duration.ofMinutes(catchUpTimeoutMinutes), workDir, profileDir);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ApiSummary summary = new ApiBenchmark(settings, System.err).run();
        PrintWriter out = spec.commandLine().getOut();
        out.println(summary.line());
        out.flush();
        return 0;
    }
}
