package io.tierflow.bench;

import io.tierflow.cli.Converters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scripts/bench migration}: the migrator's copy throughput between two sites against rclone's (issue 4). */
@Command(name = "migration", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a fresh local stack in a temporary directory, puts small and large objects on one "
                + "S3 site, then copies them all to another site, alternately with the migrator pool (COPY "
                + "commands through Kafka, until every COMPLETED status is in) and with `rclone copy --transfers N "
                + "--checksum`, clearing the destination before each run. Deletes the directory at the end.",
                "Last line on stdout: migration: tierflow_mbps=N rclone_mbps=N ratio=R (medians over the runs; "
                        + "MB = 10^6 bytes)."})
public final class MigrationBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--small-objects", paramLabel = "N", description = "Small objects (default: ${DEFAULT-VALUE}).")
    int smallObjects = 200;

    @Option(names = "--small-size", paramLabel = "SIZE", converter = Converters.ByteSizeConverter.class,
            description = "Size of each small object (default: 1MiB).")
    long smallSize = 1L << 20;

    @Option(names = "--large-objects", paramLabel = "N", description = "Large objects (default: ${DEFAULT-VALUE}).")
    int largeObjects = 4;

    @Option(names = "--large-size", paramLabel = "SIZE", converter = Converters.ByteSizeConverter.class,
            description = "Size of each large object (default: 256MiB).")
    long largeSize = 256L << 20;

    @Option(names = "--runs", paramLabel = "N",
            description = "Measured runs of each tool, alternating (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--warmup-runs", paramLabel = "N",
            description = "Unmeasured runs of each tool first, alternating (default: ${DEFAULT-VALUE}).")
    int warmupRuns = 1;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "The migrator pool's transfers at once (default: ${DEFAULT-VALUE}).")
    int concurrency = 16;

    @Option(names = "--rclone-transfers", paramLabel = "N",
            description = "rclone's --transfers (default: ${DEFAULT-VALUE}).")
    int rcloneTransfers = 16;

    @Option(names = "--from", description = "Source site (default: ${DEFAULT-VALUE}).")
    String from = "aws";

    @Option(names = "--to", description = "Destination site (default: ${DEFAULT-VALUE}).")
    String to = "azure";

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A tierflow.migrator.* setting for the pool, repeatable (default: the pool's defaults).")
    java.util.Map<String, String> migratorSettings = new java.util.LinkedHashMap<>();

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the temporary data directory is made (default: the system temp directory).")
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"));

    @Option(names = "--profile-dir", paramLabel = "DIR",
            description = "Write a JFR recording of every measured run to DIR (migration-tierflow-run-N.jfr, "
                    + "migration-rclone-run-N.jfr; the benchmark JVM only, so rclone's own process is not in it) "
                    + "(default: none).")
    Path profileDir;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || smallObjects < 0 || largeObjects < 0 || smallObjects + largeObjects == 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "need at least one run and one object");
        }
        MigrationBenchmark.Settings settings = new MigrationBenchmark.Settings(smallObjects, smallSize,
                largeObjects, largeSize, runs, warmupRuns, concurrency, rcloneTransfers, from, to, migratorSettings,
                workDir, profileDir);
        MigrationSummary summary = new MigrationBenchmark(settings, System.err).run();
        PrintWriter out = spec.commandLine().getOut();
        out.println(summary.line());
        out.flush();
        return 0;
    }
}
