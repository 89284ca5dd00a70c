package io.tierflow.bench;

import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.migrator.MigratorWorker;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The migration benchmark: the same set of objects copied between two sites of one local stack by the migrator pool
 * and by rclone, alternately, so both meet the same machine load; see docs/benchmarks.md.
 */
final class MigrationBenchmark {
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);

    record Settings(int smallObjects, long smallSize, int largeObjects, long largeSize, int runs, int warmupRuns,
            int concurrency, int rcloneTransfers, String from, String to, Map<String, String> migratorSettings,
            Path workParent, Path profileDir) {
        Settings {
            migratorSettings = Map.copyOf(migratorSettings);
        }

        long totalBytes() {
            return smallObjects * smallSize + largeObjects * largeSize;
        }
    }

    private final Settings settings;
    private final Progress progress;

    MigrationBenchmark(Settings settings, PrintStream err) {
        this.settings = settings;
        this.progress = new Progress(err, "migration");
    }

    MigrationSummary run() throws Exception {
        if (!RcloneCopy.available()) {
            throw new IllegalStateException("rclone is not installed (apt-get install rclone): the benchmark "
                    + "compares against it");
        }
        Path work = Files.createTempDirectory(Files.createDirectories(settings.workParent()), "tierflow-bench-");
        Thread cleanup = new Thread(() -> WorkDirectory.deleteRecursively(work), "tierflow-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (LocalStack stack = LocalStack.start(LocalStackConfig.onFreePorts(work.resolve("stack")))) {
            MigrationObjects objects = new MigrationObjects(settings, progress, stack);
            List<MigrationObjects.Seeded> seeded = objects.seed();
            try (MigratorWorker worker = new MigratorWorker(MigratorCopy.workerConfig(settings, stack),
                    MigratorCopy.credentials(stack));
                    KafkaConsumer<String, MigrationStatus> statuses = MigratorCopy.statusConsumer(stack);
                    KafkaProducer<String, MigrationCommand> commands = MigratorCopy.commandProducer(stack)) {
                worker.start();
                MigratorCopy migrator = new MigratorCopy(settings, progress, objects, commands, statuses);
                RcloneCopy rcloneCopy = new RcloneCopy(settings, progress, stack, objects);
                List<MeasuredCopy> tierflow = new ArrayList<>();
                List<MeasuredCopy> rclone = new ArrayList<>();
                for (int run = 1 - settings.warmupRuns(); run <= settings.runs(); run++) {
                    String label = run <= 0 ? "warm-up " + (run + settings.warmupRuns()) : "run " + run + "/"
                            + settings.runs();
                    MeasuredCopy t;
                    try (Profile profile = startProfile("tierflow", run)) {
                        t = migrator.run(seeded, "tierflow " + label, run);
                    }
                    MeasuredCopy r;
                    try (Profile profile = startProfile("rclone", run)) {
                        r = rcloneCopy.run("rclone " + label);
                    }
                    if (run > 0) {
                        tierflow.add(t);
                        rclone.add(r);
                    }
                }
                progress.say("tierflow runs %s; rclone runs %s", tierflow, rclone);
                double gb = settings.totalBytes() / 1e9;
                return new MigrationSummary(tierflow.stream().map(MeasuredCopy::mbps).toList(),
                        rclone.stream().map(MeasuredCopy::mbps).toList(),
                        tierflow.stream().map(m -> m.cpuSeconds() / gb).toList(),
                        rclone.stream().map(m -> m.cpuSeconds() / gb).toList());
            }
        } finally {
            WorkDirectory.deleteRecursively(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs anyway
            }
        }
    }

    /** A JFR recording of one measured run, or nothing (no profile directory, or a warm-up run). */
    private interface Profile extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private Profile startProfile(String tool, int run) throws IOException, java.text.ParseException {
        if (settings.profileDir() == null || run <= 0) {
            return () -> { };
        }
        Files.createDirectories(settings.profileDir());
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        Path file = settings.profileDir().resolve("migration-" + tool + "-run-" + run + ".jfr");
        recording.setName(file.getFileName().toString());
        recording.setToDisk(true);
        recording.start();
        return () -> {
            recording.stop();
            recording.dump(file);
            recording.close();
            progress.say("profile written to %s", file);
        };
    }
}
