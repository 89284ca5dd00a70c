package io.tierflow.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry 3.0.x as a child JVM, serving the Confluent Schema Registry API under
 * {@code /apis/ccompat/v7}. Its schemas live in an H2 file under the stack's data directory, so ids survive a
 * restart. A child process rather than in-process because it is a Quarkus application with 360 jars of its own.
 */
public final class ApicurioRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
    static final String ARCHIVE_PROPERTY = "tierflow.apicurio.archive";
    static final String ARCHIVE_ENV = "TIERFLOW_APICURIO_ARCHIVE";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final Path pidFile;
    private final int port;
    private final Path logFile;

    private ApicurioRegistry(Process process, Path pidFile, int port, Path logFile) {
        this.process = process;
        this.pidFile = pidFile;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts the registry process with its state in {@code stateDir}; call {@link #awaitReady()} before use.
     * Split in two so the stack can start the broker and the sites while the registry boots.
     */
    static ApicurioRegistry launch(Path stateDir, int port) throws IOException {
        Path distribution = unpackedDistribution();
        Path runner = findRunnerJar(distribution);
        Path work = Files.createDirectories(stateDir.resolve("work"));
        Files.createDirectories(stateDir.resolve("db"));
        Path pidFile = stateDir.resolve("registry.pid");
        stopLeftover(pidFile);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java,
                // Small and quick to start: it holds a few hundred schemas at most.
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-Dquarkus.http.host=" + LocalStackConfig.HOST,
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.access-log.enabled=false",
                "-Dquarkus.vertx.cache-directory=" + work.resolve("vertx-cache").toAbsolutePath(),
                "-Dapicurio.storage.kind=sql",
                "-Dapicurio.storage.sql.kind=h2",
                // WRITE_DELAY=0: without it a schema registered just before a kill -9 is lost and its id reused.
                "-Dapicurio.datasource.url=jdbc:h2:file:" + stateDir.resolve("db/registry").toAbsolutePath()
                        + ";WRITE_DELAY=0",
                "-Dapicurio.datasource.username=sa",
                "-Dapicurio.datasource.password=sa",
                "-Dapicurio.datasource.jdbc.initial-size=1",
                "-Dapicurio.datasource.jdbc.min-size=1",
                "-Dapicurio.datasource.jdbc.max-size=8",
                // Confluent's default; Apicurio's own default is NONE.
                "-Dapicurio.rules.global.compatibility=BACKWARD",
                // The same schema with other whitespace gets the same id, as on Confluent. Never change this
                // on an existing database: it changes which id a re-registration returns.
                "-Dapicurio.ccompat.use-canonical-hash=true",
                "-jar", runner.toAbsolutePath().toString()));
        Path logFile = stateDir.resolve("registry.log");
        Process process = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        Files.writeString(pidFile, Long.toString(process.pid()));
        return new ApicurioRegistry(process, pidFile, port, logFile);
    }

    /** Returns once the registry reports ready; fails if its process exits first (e.g. the port is taken). */
    void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://" + LocalStackConfig.HOST + ":" + port + "/health/ready");
        Readiness.await("schema registry on port " + port + " (its log: " + logFile + ")", READY_TIMEOUT,
                () -> http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200,
                process::isAlive);
    }

    /** Starts a registry on its own (for topology tests that need schemas but no broker) and waits until ready. */
    public static ApicurioRegistry start(Path stateDir, int port) throws IOException {
        ApicurioRegistry registry = launch(stateDir, port);
        try {
            registry.awaitReady();
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /** Base URL of the Confluent-compatible API, to use as {@code schema.registry.url}. */
    public String confluentApiUrl() {
        return "http://" + LocalStackConfig.HOST + ":" + port + "/apis/ccompat/v7";
    }

    /**
     * Asks the process to stop (SIGTERM: Quarkus shuts down cleanly in about 2 s) and returns at once, so the caller
     * can stop other parts meanwhile; {@link #close()} then waits for it.
     */
    void requestStop() {
        process.destroy();
    }

    @Override
    public void close() {
        process.destroy(); // as requestStop(); a second SIGTERM while it shuts down changes nothing
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", pidFile, e.getMessage());
        }
    }

    /** A registry left running by a JVM that was killed holds the H2 file lock: stop it before starting anew. */
    private static void stopLeftover(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> leftover = ProcessHandle.of(pid)
                .filter(p -> p.info().commandLine().map(c -> c.contains("apicurio-registry-app")).orElse(false));
        if (leftover.isPresent()) {
            log.warn("stopping schema registry process {} left over from an earlier run", pid);
            leftover.get().destroy();
            try {
                leftover.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                leftover.get().destroyForcibly();
            }
        }
        Files.deleteIfExists(pidFile);
    }

    static String version() {
        Properties versions = new Properties();
        try (InputStream in = ApicurioRegistry.class.getResourceAsStream("versions.properties")) {
            versions.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("versions.properties is missing from the local-stack jar", e);
        }
        return versions.getProperty("apicurio.version");
    }

    /** Where the registry's distribution archive is: configured, or in the local Maven repository. */
    static Path archive() {
        String configured = Optional.ofNullable(System.getProperty(ARCHIVE_PROPERTY)).orElse(System.getenv(ARCHIVE_ENV));
        String version = version();
        Path path = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "apicurio",
                        "apicurio-registry-app", version, "apicurio-registry-app-" + version + "-all.tar.gz");
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("Apicurio Registry " + version + " is not at " + path + ". Build the "
                    + "project once (mvn -pl local-stack -am package fetches it), or point " + ARCHIVE_ENV
                    + " at apicurio-registry-app-" + version + "-all.tar.gz.");
        }
        return path;
    }

    /**
     * The unpacked distribution in a per-user cache, unpacked once: every stack (and every test) shares it,
     * and only its own state directory differs.
     */
    static Path unpackedDistribution() throws IOException {
        String cache = Optional.ofNullable(System.getenv("TIERFLOW_CACHE_DIR"))
                .orElse(Path.of(System.getProperty("user.home"), ".cache", "tierflow").toString());
        Path target = Path.of(cache, "apicurio-registry-" + version());
        if (Files.isDirectory(target)) {
            return target;
        }
        Path archive = archive();
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempDirectory(target.getParent(), "unpacking-");
        log.info("unpacking {} into {} (once)", archive.getFileName(), target);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GzipCompressorInputStream(Files.newInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = partial.resolve(entry.getName()).normalize();
                if (!out.startsWith(partial)) {
                    throw new IOException("archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isFile()) {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0100) != 0) {
                        Files.setPosixFilePermissions(out, Set.of(PosixFilePermission.OWNER_READ,
                                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
                    }
                }
            }
        }
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(target)) {
                throw e;
            }
            deleteRecursively(partial); // another process unpacked it first
        }
        return target;
    }

    private static Path findRunnerJar(Path distribution) throws IOException {
        try (Stream<Path> files = Files.walk(distribution, 3)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no *-runner.jar in " + distribution
                            + "; delete that directory to unpack the registry again"));
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
