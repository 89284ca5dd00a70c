package io.tierflow.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs wrk (the HTTP load generator, Debian package {@code wrk}) against one server with a script that cycles over a
 * file of request paths, and reads the figures the script prints when wrk is done. wrk rather than a Java client in
 * this JVM: the load generator must not share the heap, the JIT and the GC with the server it measures.
 */
final class Wrk {
    /** Where the script's result line starts. */
    static final String RESULT_PREFIX = "tierflow-wrk ";
    static final String INSTALL_HINT = "install it with 'sudo apt-get install wrk' (Debian/Ubuntu) or "
            + "'brew install wrk' (macOS), or set WRK to its path";
    private static final String SCRIPT_RESOURCE = "cycle-paths.lua";
    /** wrk's own default is 2 s, and a request slower than that would be dropped from the latencies, not counted. */
    private static final String REQUEST_TIMEOUT = "30s";

    /**
     * What one wrk run measured.
     *
     * @param requests requests completed
     * @param durationMicros how long wrk ran
     * @param errors counts of connect, read, write, status (non-2xx/3xx) and timeout errors
     * @param cpuNanos CPU time (user + system) wrk itself used, or -1 if not known
     */
    record Result(long requests, long durationMicros, double p50Ms, double p90Ms, double p99Ms, double maxMs,
            Map<String, Long> errors, long cpuNanos) {
        Result {
            errors = Map.copyOf(errors);
        }

        Result withCpuNanos(long nanos) {
            return new Result(requests, durationMicros, p50Ms, p90Ms, p99Ms, maxMs, errors, nanos);
        }

        double requestsPerSecond() {
            return requests / (durationMicros / 1e6);
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** How hard and how long wrk drives the server. */
    record Load(int threads, int connections, Duration duration) {
        Load {
            if (threads < 1 || connections < threads) {
                throw new IllegalArgumentException("wrk needs at least one thread and at least one connection per "
                        + "thread, got " + threads + " threads and " + connections + " connections");
            }
            if (duration.toSeconds() < 1) {
                throw new IllegalArgumentException("a wrk run must last at least 1 s, got " + duration);
            }
        }
    }

    private final Path executable;
    private final Path script;
    private final Progress progress;

    private Wrk(Path executable, Path script, Progress progress) {
        this.executable = executable;
        this.script = script;
        this.progress = progress;
    }

    /** Finds wrk ({@code WRK}, else the {@code PATH}) and writes the script into {@code workDir}. */
    static Wrk locate(Map<String, String> env, Path workDir, Progress progress) throws IOException {
        Path executable = find(env).orElseThrow(() -> new IllegalStateException("wrk was not found on the PATH; "
                + INSTALL_HINT));
        Path script = workDir.resolve(SCRIPT_RESOURCE);
        try (InputStream in = Wrk.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT_RESOURCE + " is missing from the jar");
            }
            Files.copy(in, script);
        }
        return new Wrk(executable, script, progress);
    }

    static Optional<Path> find(Map<String, String> env) {
        String configured = env.get("WRK");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException("WRK=" + configured + " is not an executable file");
            }
            return Optional.of(path);
        }
        String pathVariable = env.getOrDefault("PATH", "");
        for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "wrk");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Drives {@code baseUrl} with GETs of the paths in {@code pathsFile} and returns what wrk measured. */
    Result run(String label, String baseUrl, Path pathsFile, Load load) throws IOException, InterruptedException {
        List<String> wrkCommand = List.of(executable.toString(), "--threads", String.valueOf(load.threads()),
                "--connections", String.valueOf(load.connections()), "--duration", load.duration().toSeconds() + "s",
                "--timeout", REQUEST_TIMEOUT, "--latency", "--script", script.toString(), baseUrl, "--",
                pathsFile.toString());
        progress.say("%s: %s", label, String.join(" ", wrkCommand));
        // Through bash for its `times` built-in, which prints wrk's CPU time when it ends: the load generator shares
        // the machine's cores with the server, so what it costs per request is part of reading the figures.
        List<String> command = new ArrayList<>(List.of("bash", "-c", "\"$0\" \"$@\"; status=$?; times; exit $status"));
        command.addAll(wrkCommand);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
            }
        }
        if (!process.waitFor(load.duration().toSeconds() + 60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly); // wrk, under bash
            process.destroyForcibly();
            throw new IllegalStateException(label + ": wrk did not exit");
        }
        // bash's `times` prints two lines: its own CPU times, then its children's (wrk's).
        List<String> wrkOutput = output.size() >= 2 ? output.subList(0, output.size() - 2) : output;
        wrkOutput.stream().filter(line -> !line.startsWith(RESULT_PREFIX)).forEach(line -> progress.say("  %s", line));
        if (process.exitValue() != 0) {
            throw new IllegalStateException(label + ": wrk exited with " + process.exitValue() + ": "
                    + String.join(" / ", output));
        }
        Result result = parse(wrkOutput).orElseThrow(() -> new IllegalStateException(label + ": wrk printed no "
                + "result line (was the script's done() run?): " + String.join(" / ", output)));
        return result.withCpuNanos(BashTimes.childCpuNanos(String.join("\n", output)));
    }

    /** The result line the script prints, among wrk's own output. */
    static Optional<Result> parse(List<String> output) {
        for (String line : output) {
            if (!line.startsWith(RESULT_PREFIX)) {
                continue;
            }
            Map<String, Long> fields = new HashMap<>();
            for (String pair : line.substring(RESULT_PREFIX.length()).trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("malformed wrk result field '" + pair + "' in: " + line);
                }
                fields.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            }
            Map<String, Long> errors = new HashMap<>();
            for (String kind : List.of("connect", "read", "write", "status", "timeout")) {
                errors.put(kind, field(fields, kind + "_errors", line));
            }
            return Optional.of(new Result(field(fields, "requests", line), field(fields, "duration_us", line),
                    field(fields, "p50_us", line) / 1000.0, field(fields, "p90_us", line) / 1000.0,
                    field(fields, "p99_us", line) / 1000.0, field(fields, "max_us", line) / 1000.0, errors, -1));
        }
        return Optional.empty();
    }

    private static long field(Map<String, Long> fields, String name, String line) {
        Long value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("wrk result has no '" + name + "': " + line);
        }
        return value;
    }

    /** Writes request paths, one per line, for the script. */
    static Path writePaths(Path file, List<String> paths) {
        try {
            return Files.write(file, paths, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
