package io.tierflow.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The figures of every measured run and the summary line made of their medians.
 *
 * @param passthroughEps events per second of each pass-through run
 * @param tieringEps events per second of each tiering run
 * @param changelogBytesPerEvent bytes in the tiering app's changelog topics per loaded event, per tiering run
 * @param stateBytesPerDataset bytes of the dataset-state stores on disk per dataset, per tiering run
 * @param passthroughCpuUsPerEvent CPU time of the pass-through app's threads per event, per run (microseconds)
 * @param tieringCpuUsPerEvent CPU time of the tiering app's threads per event, per run (microseconds)
 */
record TopologySummary(List<Double> passthroughEps, List<Double> tieringEps, List<Double> changelogBytesPerEvent,
        List<Double> stateBytesPerDataset, List<Double> passthroughCpuUsPerEvent, List<Double> tieringCpuUsPerEvent) {

    TopologySummary {
        passthroughEps = List.copyOf(passthroughEps);
        tieringEps = List.copyOf(tieringEps);
        changelogBytesPerEvent = List.copyOf(changelogBytesPerEvent);
        stateBytesPerDataset = List.copyOf(stateBytesPerDataset);
        passthroughCpuUsPerEvent = List.copyOf(passthroughCpuUsPerEvent);
        tieringCpuUsPerEvent = List.copyOf(tieringCpuUsPerEvent);
    }

    /** Median tiering rate over median pass-through rate. */
    double ratio() {
        return median(tieringEps) / median(passthroughEps);
    }

    /**
     * Median pass-through CPU per event over median tiering CPU per event: what the ratio would be if both apps were
     * limited by their own threads' CPU alone. Other jobs on a shared machine steal wall time, not CPU time, so this
     * moves far less with the machine's load than {@link #ratio()} (the broker's share is not in it).
     */
    double cpuRatio() {
        return median(passthroughCpuUsPerEvent) / median(tieringCpuUsPerEvent);
    }

    /** The last line of the benchmark's output. */
    String line() {
        return String.format(Locale.ROOT,
                "topology: passthrough_eps=%d tiering_eps=%d ratio=%.3f changelog_bytes_per_event=%.1f "
                        + "state_bytes_per_dataset=%d passthrough_cpu_us_per_event=%.2f tiering_cpu_us_per_event=%.2f "
                        + "cpu_ratio=%.3f",
                Math.round(median(passthroughEps)), Math.round(median(tieringEps)), ratio(),
                median(changelogBytesPerEvent), Math.round(median(stateBytesPerDataset)),
                median(passthroughCpuUsPerEvent), median(tieringCpuUsPerEvent), cpuRatio());
    }

    /** The middle value; the mean of the two middle ones for an even count. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to take the median of");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
