package io.tierflow.bench;

import java.util.Locale;

/** One measured copy: throughput and the CPU it took (this JVM's, plus rclone's own for rclone runs). */
record MeasuredCopy(double mbps, double cpuSeconds) {
    /** The copy of {@code totalBytes} in {@code nanos} with {@code cpuNanos} of CPU, reported as a progress line. */
    static MeasuredCopy report(Progress progress, String label, long totalBytes, long nanos, long cpuNanos) {
        double mbps = totalBytes / 1e6 / (nanos / 1e9);
        progress.say("%s: %.1f MB in %.2f s = %.1f MB/s, %.1f CPU s", label, totalBytes / 1e6, nanos / 1e9,
                mbps, cpuNanos / 1e9);
        return new MeasuredCopy(mbps, cpuNanos / 1e9);
    }

    /** CPU time of this JVM so far: the sites (both S3Proxy servers), the broker, and the migrator when it runs. */
    static long jvmCpuNanos() {
        return ThreadCpu.processNanos();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.1f MB/s (%.1f CPU s)", mbps, cpuSeconds);
    }
}
