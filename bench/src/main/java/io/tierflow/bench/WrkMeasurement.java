package io.tierflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A measured wrk run with the CPU it cost this JVM, its request threads and wrk, per request. */
final class WrkMeasurement {
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private final Wrk wrk;
    private final Wrk.Load load;
    private final Progress progress;

    WrkMeasurement(Wrk wrk, Wrk.Load load, Progress progress) {
        this.wrk = wrk;
        this.load = load;
        this.progress = progress;
    }

    /**
     * One measured wrk run, with the CPU time this JVM (both nodes, the broker) spent per request during it: on a
     * shared machine the rate says how much CPU the JVM got, the CPU per request what a request costs. A run that had
     * errors (non-2xx, timeouts, broken connections) measured something else: fail.
     */
    Wrk.Result measured(String label, String base, Path paths) throws Exception {
        long cpuBefore = PROCESS.getProcessCpuTime();
        ThreadCpu requestThreadsBefore = ThreadCpu.of(WrkMeasurement::requestThread);
        Wrk.Result result = wrk.run(label, base, paths, load);
        long requests = Math.max(1, result.requests());
        double cpuMicrosPerRequest = (PROCESS.getProcessCpuTime() - cpuBefore) / 1e3 / requests;
        long requestThreadsNanos = ThreadCpu.of(WrkMeasurement::requestThread).nanosSince(requestThreadsBefore);
        progress.say("%s: %s requests/s, latency ms p50 %.2f, p90 %.2f, p99 %.2f, max %.2f; CPU per request: "
                + "%.0f us in the HTTP servers' and clients' threads, %.0f us in the whole JVM, %.0f us in wrk; "
                + "load average %s", label, Progress.count(result.requestsPerSecond()), result.p50Ms(),
                result.p90Ms(), result.p99Ms(), result.maxMs(), requestThreadsNanos / 1e3 / requests,
                cpuMicrosPerRequest, result.cpuNanos() / 1e3 / requests, loadAverage());
        if (result.errorCount() > 0) {
            throw new IllegalStateException(label + ": wrk saw errors " + result.errors() + " in "
                    + result.requests() + " requests");
        }
        return result;
    }

    /** The threads that serve or forward requests (Jetty's pool, the JDK HTTP client's): a request's own cost. */
    private static boolean requestThread(String name) {
        return name.startsWith("JettyServerThreadPool") || name.startsWith("HttpClient-");
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
