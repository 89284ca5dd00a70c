package io.tierflow.bench;

import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.migrator.MigratorSettings;
import io.tierflow.migrator.MigratorWorker;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The migration benchmark: the same set of objects copied between two sites of one local stack by the migrator pool
 * and by rclone, alternately, so both meet the same machine load; see docs/benchmarks.md.
 */
final class MigrationBenchmark {
    static final String PREFIX = "bench/";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);

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

    /** One measured copy: throughput and the CPU it took (this JVM's, plus rclone's own for rclone runs). */
    record Measured(double mbps, double cpuSeconds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f MB/s (%.1f CPU s)", mbps, cpuSeconds);
        }
    }

    /** An object put on the source site. */
    private record Seeded(String key, long size, String etag, String sha256) {
    }

    private final Settings settings;
    private final Progress progress;

    MigrationBenchmark(Settings settings, PrintStream err) {
        this.settings = settings;
        this.progress = new Progress(err, "migration");
    }

    MigrationSummary run() throws Exception {
        if (!rcloneAvailable()) {
            throw new IllegalStateException("rclone is not installed (apt-get install rclone): the benchmark "
                    + "compares against it");
        }
        Path work = Files.createTempDirectory(Files.createDirectories(settings.workParent()), "tierflow-bench-");
        Thread cleanup = new Thread(() -> deleteRecursively(work), "tierflow-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (LocalStack stack = LocalStack.start(LocalStackConfig.onFreePorts(work.resolve("stack")))) {
            List<Seeded> objects = seed(stack);
            try (MigratorWorker worker = new MigratorWorker(workerConfig(stack), credentials(stack));
                    KafkaConsumer<String, MigrationStatus> statuses = statusConsumer(stack);
                    KafkaProducer<String, MigrationCommand> commands = commandProducer(stack)) {
                worker.start();
                List<Measured> tierflow = new ArrayList<>();
                List<Measured> rclone = new ArrayList<>();
                for (int run = 1 - settings.warmupRuns(); run <= settings.runs(); run++) {
                    String label = run <= 0 ? "warm-up " + (run + settings.warmupRuns()) : "run " + run + "/"
                            + settings.runs();
                    Measured t;
                    try (Profile profile = startProfile("tierflow", run)) {
                        t = tierflowRun(stack, objects, commands, statuses, "tierflow " + label, run);
                    }
                    Measured r;
                    try (Profile profile = startProfile("rclone", run)) {
                        r = rcloneRun(stack, objects, "rclone " + label);
                    }
                    if (run > 0) {
                        tierflow.add(t);
                        rclone.add(r);
                    }
                }
                progress.say("tierflow runs %s; rclone runs %s", tierflow, rclone);
                double gb = settings.totalBytes() / 1e9;
                return new MigrationSummary(tierflow.stream().map(Measured::mbps).toList(),
                        rclone.stream().map(Measured::mbps).toList(),
                        tierflow.stream().map(m -> m.cpuSeconds() / gb).toList(),
                        rclone.stream().map(m -> m.cpuSeconds() / gb).toList());
            }
        } finally {
            deleteRecursively(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs anyway
            }
        }
    }

    private Measured tierflowRun(LocalStack stack, List<Seeded> objects, KafkaProducer<String, MigrationCommand> commands,
            KafkaConsumer<String, MigrationStatus> statuses, String label, int run) throws Exception {
        clearDestination(stack);
        Set<String> pending = new HashSet<>();
        ThreadCpu threadsBefore = ThreadCpu.now();
        long cpuBefore = jvmCpuNanos();
        long started = System.nanoTime();
        for (Seeded object : objects) {
            MigrationCommand command = MigrationCommand.newBuilder()
                    .setId("bench-" + run + "-" + object.key())
                    .setKey(object.key())
                    .setAction(MigrationAction.COPY)
                    .setSourceSite(settings.from())
                    .setDestinationSite(settings.to())
                    .setStorageClass("STANDARD")
                    .setExpectedVersionToken(object.etag())
                    .setExpectedSha256(object.sha256())
                    .setSizeBytes(object.size())
                    .setIssuedAt(Instant.now())
                    .build();
            pending.add(command.getId());
            commands.send(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, command.getKey(), command));
        }
        commands.flush();
        long deadline = started + RUN_TIMEOUT.toNanos();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label + ": " + pending.size() + " commands unfinished after "
                        + RUN_TIMEOUT);
            }
            for (ConsumerRecord<String, MigrationStatus> record : statuses.poll(Duration.ofMillis(20))) {
                MigrationStatus status = record.value();
                if (status.getPhase() == MigrationPhase.FAILED && pending.contains(status.getCommandId())) {
                    throw new IllegalStateException(label + ": command " + status.getCommandId() + " failed: "
                            + status.getErrorCode() + " " + status.getErrorMessage());
                }
                if (status.getPhase() == MigrationPhase.COMPLETED) {
                    pending.remove(status.getCommandId());
                }
            }
        }
        long elapsed = System.nanoTime() - started;
        long cpu = jvmCpuNanos() - cpuBefore;
        progress.say("%s: CPU by thread: %s", label, ThreadCpu.now().since(threadsBefore, cpu));
        return report(label, elapsed, cpu);
    }

    private Measured rcloneRun(LocalStack stack, List<Seeded> objects, String label) throws Exception {
        clearDestination(stack);
        // Through bash for its `times` built-in, which reports the CPU time of the children (rclone) when it ends.
        List<String> command = List.of("bash", "-c", "rclone \"$@\"; status=$?; times; exit $status", "rclone",
                "--config", "/dev/null", "copy", "--transfers",
                String.valueOf(settings.rcloneTransfers()), "--checksum",
                settings.from() + ":" + LocalStack.BUCKET + "/" + PREFIX,
                settings.to() + ":" + LocalStack.BUCKET + "/" + PREFIX);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        rcloneEnvironment(stack, builder.environment());
        ThreadCpu threadsBefore = ThreadCpu.now();
        long cpuBefore = jvmCpuNanos();
        long started = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(label + " did not finish within " + RUN_TIMEOUT);
        }
        long elapsed = System.nanoTime() - started;
        long jvmCpu = jvmCpuNanos() - cpuBefore;
        progress.say("%s: CPU by thread in this JVM: %s", label, ThreadCpu.now().since(threadsBefore, jvmCpu));
        if (process.exitValue() != 0) {
            throw new IllegalStateException(label + " failed (exit " + process.exitValue() + "): " + output);
        }
        long copied = destinationObjects(stack).stream().mapToLong(S3Object::size).sum();
        if (copied != settings.totalBytes()) {
            throw new IllegalStateException(label + " left " + copied + " bytes at " + settings.to() + ", expected "
                    + settings.totalBytes());
        }
        return report(label, elapsed, jvmCpu + childCpuNanos(output));
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

    private Measured report(String label, long nanos, long cpuNanos) {
        double mbps = settings.totalBytes() / 1e6 / (nanos / 1e9);
        progress.say("%s: %.1f MB in %.2f s = %.1f MB/s, %.1f CPU s", label, settings.totalBytes() / 1e6, nanos / 1e9,
                mbps, cpuNanos / 1e9);
        return new Measured(mbps, cpuNanos / 1e9);
    }

    /** CPU time of this JVM so far: the sites (both S3Proxy servers), the broker, and the migrator when it runs. */
    private static long jvmCpuNanos() {
        return ThreadCpu.processNanos();
    }

    /** User + system time of the children from bash's {@code times} (its last line, e.g. "0m12.5s 0m3.1s"). */
    static long childCpuNanos(String output) {
        String[] lines = output.strip().split("\n");
        String[] fields = lines[lines.length - 1].strip().split("\\s+");
        if (fields.length != 2) {
            throw new IllegalStateException("no CPU times at the end of the command's output: " + output);
        }
        long total = 0;
        for (String field : fields) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)m([\\d.]+)s").matcher(field);
            if (!m.matches()) {
                throw new IllegalStateException("not a time from bash's times: '" + field + "'");
            }
            total += Long.parseLong(m.group(1)) * 60_000_000_000L + Math.round(Double.parseDouble(m.group(2)) * 1e9);
        }
        return total;
    }

    /** Random (incompressible) objects, streamed up with their SHA-256 computed on the way. */
    private List<Seeded> seed(LocalStack stack) throws Exception {
        progress.say("putting %d × %d bytes and %d × %d bytes on site %s", settings.smallObjects(),
                settings.smallSize(), settings.largeObjects(), settings.largeSize(), settings.from());
        List<Seeded> objects = new ArrayList<>();
        try (S3Client s3 = stack.s3Client(settings.from())) {
            for (int i = 0; i < settings.largeObjects() + settings.smallObjects(); i++) {
                boolean large = i < settings.largeObjects();
                String key = PREFIX + (large ? "large/" + i : "small/" + i);
                long size = large ? settings.largeSize() : settings.smallSize();
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                try (InputStream in = new DigestInputStream(new RandomBytes(i, size), sha256)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                long seed = i;
                // A provider, not a stream: the SDK may need to send the body again (a retry), and can re-create it.
                String etag = s3.putObject(b -> b.bucket(LocalStack.BUCKET).key(key).contentLength(size)
                        .contentType("application/octet-stream"), RequestBody.fromContentProvider(
                                () -> new RandomBytes(seed, size), size, "application/octet-stream")).eTag();
                objects.add(new Seeded(key, size, etag.replace("\"", ""), HexFormat.of().formatHex(sha256.digest())));
            }
        }
        return objects;
    }

    private void clearDestination(LocalStack stack) {
        List<S3Object> objects = destinationObjects(stack);
        try (S3Client s3 = stack.s3Client(settings.to())) {
            for (int i = 0; i < objects.size(); i += 1000) {
                List<ObjectIdentifier> batch = objects.subList(i, Math.min(i + 1000, objects.size())).stream()
                        .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
                s3.deleteObjects(b -> b.bucket(LocalStack.BUCKET).delete(d -> d.objects(batch)));
            }
        }
        if (!destinationObjects(stack).isEmpty()) {
            throw new IllegalStateException("could not clear site " + settings.to() + " before a run");
        }
    }

    private List<S3Object> destinationObjects(LocalStack stack) {
        try (S3Client s3 = stack.s3Client(settings.to())) {
            return s3.listObjectsV2Paginator(b -> b.bucket(LocalStack.BUCKET).prefix(PREFIX)).contents().stream()
                    .toList();
        }
    }

    private Properties workerConfig(LocalStack stack) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
        config.put(MigratorSettings.CONCURRENCY, String.valueOf(settings.concurrency()));
        config.put(MigratorSettings.WORKER_ID, "bench");
        config.put(MigratorSettings.MAX_ATTEMPTS, "1"); // a failure must show, not hide in a retry
        settings.migratorSettings().forEach((k, v) -> config.put(k.startsWith(MigratorSettings.PREFIX) ? k
                : MigratorSettings.PREFIX + k, v));
        return config;
    }

    private static Map<String, String> credentials(LocalStack stack) {
        return Map.of("TIERFLOW_S3_ACCESS_KEY", stack.config().s3AccessKey(),
                "TIERFLOW_S3_SECRET_KEY", stack.config().s3SecretKey());
    }

    private static KafkaConsumer<String, MigrationStatus> statusConsumer(LocalStack stack) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Topics topics = stack.topics();
        KafkaConsumer<String, MigrationStatus> consumer = new KafkaConsumer<>(props,
                topics.migrationStatus.keySerde().deserializer(), topics.migrationStatus.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.MIGRATION_STATUS).stream()
                .map(p -> new TopicPartition(Topics.MIGRATION_STATUS, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static KafkaProducer<String, MigrationCommand> commandProducer(LocalStack stack) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        Topics topics = stack.topics();
        return new KafkaProducer<>(props, topics.migrationCommands.keySerde().serializer(),
                topics.migrationCommands.valueSerde().serializer());
    }

    /** rclone remotes named after the sites, from environment variables only (no config file). */
    private static void rcloneEnvironment(LocalStack stack, Map<String, String> env) {
        env.remove("AWS_CA_BUNDLE"); // see Rclone in the migrator's tests: it breaks rclone here
        for (String site : LocalStackConfig.S3_SITES) {
            String prefix = "RCLONE_CONFIG_" + site.toUpperCase() + "_";
            env.put(prefix + "TYPE", "s3");
            env.put(prefix + "PROVIDER", "Other");
            env.put(prefix + "ENDPOINT", stack.site(site).endpoint().toString());
            env.put(prefix + "ACCESS_KEY_ID", stack.config().s3AccessKey());
            env.put(prefix + "SECRET_ACCESS_KEY", stack.config().s3SecretKey());
            env.put(prefix + "REGION", "us-east-1");
            env.put(prefix + "FORCE_PATH_STYLE", "true");
        }
    }

    private static boolean rcloneAvailable() {
        try {
            Process process = new ProcessBuilder("rclone", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void deleteRecursively(Path root) {
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

    /** {@code size} pseudo-random bytes from a seed: incompressible, reproducible, never all in memory. */
    private static final class RandomBytes extends InputStream {
        private final SplittableRandom random;
        private long left;

        RandomBytes(long seed, long size) {
            this.random = new SplittableRandom(seed);
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            for (int i = 0; i < n; i += 8) {
                long bits = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    buffer[offset + i + j] = (byte) (bits >>> (8 * j));
                }
            }
            left -= n;
            return n;
        }
    }
}
