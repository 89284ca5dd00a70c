package io.tierflow.cli.bench;

import java.util.List;
import java.util.Locale;

/**
 * The throughput of every measured run of both tools, and the summary line made of their medians.
 *
 * @param tierflowMbps MB/s (10^6 bytes) of each migrator-pool run
 * @param rcloneMbps MB/s of each rclone run
 */
record MigrationSummary(List<Double> tierflowMbps, List<Double> rcloneMbps) {
    MigrationSummary {
        tierflowMbps = List.copyOf(tierflowMbps);
        rcloneMbps = List.copyOf(rcloneMbps);
    }

    double ratio() {
        return TopologySummary.median(tierflowMbps) / TopologySummary.median(rcloneMbps);
    }

    String line() {
        return String.format(Locale.ROOT, "migration: tierflow_mbps=%.1f rclone_mbps=%.1f ratio=%.3f",
                TopologySummary.median(tierflowMbps), TopologySummary.median(rcloneMbps), ratio());
    }
}
