package io.tierflow.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What {@code bench topology} loads and how it measures.
 *
 * @param events access events to load (issue 3: at least 5 M)
 * @param datasets datasets in the inventory, with Zipf popularity over them (issue 3: at least 100 k)
 * @param runs measured runs of each topology, alternating pass-through and tiering; the summary reports medians
 * @param warmupEvents before the measured runs, each topology runs over this many events, unmeasured, so the
 *     measured runs do not include the JVM's JIT compilation (0: no warm-up)
 * @param warmupRounds how many times each topology runs over the warm-up events
 * @param simulatedSpan event time the events are spread over, at the mean rate; the diurnal cycle stretches or
 *     shrinks it a little
 * @param start event time of the first event
 * @param seed seed of the inventory and the traffic
 * @param zipfExponent popularity skew
 * @param streamThreads stream threads of both apps (the same for both, so the ratio compares topologies)
 * @param runTimeout a run that has not caught up after this long fails the benchmark
 * @param workParent where the temporary data directory (broker logs, state stores) is made
 * @param profileDir if not null, a JFR recording of each measured run is written here
 * @param streamsConfig Kafka Streams settings applied to both apps over their defaults (experiments)
 */
record TopologyBenchSettings(long events, int datasets, int runs, long warmupEvents, int warmupRounds,
        Duration simulatedSpan, Instant start, long seed,
        double zipfExponent, int streamThreads, Duration runTimeout, Path workParent, Path profileDir,
        java.util.Map<String, String> streamsConfig) {

    TopologyBenchSettings {
        if (events < 1) {
            throw new IllegalArgumentException("need at least one event, got " + events);
        }
        if (datasets < 1) {
            throw new IllegalArgumentException("need at least one dataset, got " + datasets);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("need at least one run of each topology, got " + runs);
        }
        if (warmupEvents < 0) {
            throw new IllegalArgumentException("warm-up events cannot be negative, got " + warmupEvents);
        }
        if (warmupRounds < 0) {
            throw new IllegalArgumentException("warm-up rounds cannot be negative, got " + warmupRounds);
        }
        if (simulatedSpan.isNegative() || simulatedSpan.isZero()) {
            throw new IllegalArgumentException("the simulated span must be positive, got " + simulatedSpan);
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("need at least one stream thread, got " + streamThreads);
        }
    }

    /** What the loader produces. */
    BenchLoader.Plan loadPlan() {
        return new BenchLoader.Plan(seed, datasets, events, start, eventRate(), zipfExponent);
    }

    /** Mean events per second of event time that spreads the events over the simulated span. */
    double eventRate() {
        return events / (simulatedSpan.toMillis() / 1000.0);
    }
}
