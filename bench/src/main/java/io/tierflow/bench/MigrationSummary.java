package io.tierflow.bench;

import java.util.List;
import java.util.Locale;

/**
 * The throughput of every measured run of both tools, and the summary line made of their medians.
 *
 * @param tierflowMbps MB/s (10^6 bytes) of each migrator-pool run
 * @param rcloneMbps MB/s of each rclone run
 * @param tierflowCpuPerGb CPU seconds per GB (10^9 bytes) of each migrator run: the whole benchmark JVM, which holds
 *        both sites, the broker and the pool
 * @param rcloneCpuPerGb CPU seconds per GB of each rclone run: the same JVM (both sites) plus rclone's process
 */
record MigrationSummary(List<Double> tierflowMbps, List<Double> rcloneMbps, List<Double> tierflowCpuPerGb,
        List<Double> rcloneCpuPerGb) {
    MigrationSummary {
        tierflowMbps = List.copyOf(tierflowMbps);
        rcloneMbps = List.copyOf(rcloneMbps);
        tierflowCpuPerGb = List.copyOf(tierflowCpuPerGb);
        rcloneCpuPerGb = List.copyOf(rcloneCpuPerGb);
    }

    double ratio() {
        return TopologySummary.median(tierflowMbps) / TopologySummary.median(rcloneMbps);
    }

    String line() {
        return String.format(Locale.ROOT, "migration: tierflow_mbps=%.1f rclone_mbps=%.1f ratio=%.3f "
                        + "tierflow_cpu_s_per_gb=%.2f rclone_cpu_s_per_gb=%.2f",
                TopologySummary.median(tierflowMbps), TopologySummary.median(rcloneMbps), ratio(),
                TopologySummary.median(tierflowCpuPerGb), TopologySummary.median(rcloneCpuPerGb));
    }
}
