package io.tierflow.bench;

import io.micrometer.core.instrument.Timer;
import io.tierflow.streams.TieringApp;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Where a streams run's time and CPU went: its threads' CPU, the JVM's GC and JIT time, the clients' waits, the
 * placement evaluations and what the producers sent, as progress lines.
 */
final class StreamsRunCosts {
    private final Progress progress;

    StreamsRunCosts(Progress progress) {
        this.progress = progress;
    }

    /** The JVM's GC and JIT time and per-thread CPU when a run starts, to report what the run used. */
    record RunStart(long gcMillis, long jitMillis, ThreadCpu threads, long processNanos) {
        static RunStart now() {
            return new RunStart(StreamsRunCosts.gcMillis(), StreamsRunCosts.jitMillis(), ThreadCpu.now(),
                    ThreadCpu.processNanos());
        }
    }

    /**
     * CPU time so far of the threads Kafka Streams made for this application (stream, producer, consumer and global
     * threads are all named after the application id). They start with the app, so this is the run's CPU time; the
     * broker's work for the app is not in it.
     */
    static long cpuOfThreadsOf(String appId) {
        return ThreadCpu.of(name -> name.contains(appId)).total();
    }

    void sayWhereTimeWent(KafkaStreams streams, Duration elapsed, RunStart start) {
        sayWaits(streams, elapsed, gcMillis() - start.gcMillis(), jitMillis() - start.jitMillis());
        progress.say("  CPU s by thread in this JVM: %s", ThreadCpu.now().since(start.threads(),
                ThreadCpu.processNanos() - start.processNanos()));
    }

    /**
     * Where the stream threads waited rather than computed, from the clients' cumulative {@code *-time-ns-total}
     * metrics (KIP-761): the exactly-once commit's flush, offsets and commit round trips, and the consumer's waits for
     * fetches. With the CPU figures this accounts for a run's wall time.
     */
    private void sayWaits(KafkaStreams streams, Duration elapsed, long gcMillis, long jitMillis) {
        Map<String, Double> seconds = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
            MetricName name = metric.getKey();
            String client = name.tags().getOrDefault("client-id", "");
            boolean streamThreadClient = client.matches(".*-StreamThread-\\d+-(consumer|producer)");
            if (streamThreadClient && name.name().endsWith("-time-ns-total")
                    && (name.group().equals("producer-metrics") || name.group().equals("consumer-metrics"))
                    && metric.getValue().metricValue() instanceof Double value && value > 0) {
                String role = client.endsWith("-consumer") ? "consumer " : "producer ";
                seconds.merge(role + name.name().replace("-time-ns-total", ""), value / 1e9, Double::sum);
            } else if (name.group().equals("stream-thread-metrics") && name.name().equals("blocked-time-ns-total")
                    && metric.getValue().metricValue() instanceof Double value) {
                seconds.merge("stream threads blocked", value / 1e9, Double::sum);
            }
        }
        StringBuilder line = new StringBuilder();
        seconds.forEach((what, s) -> line.append(line.isEmpty() ? "" : ", ").append(String.format("%s %.1f s", what, s)));
        progress.say("  waits over %.1f s: %s; garbage collection (all threads of this JVM) %.1f s; JIT compilation "
                + "%.1f s", elapsed.toNanos() / 1e9, line, gcMillis / 1e3, jitMillis / 1e3);
    }

    /** Time the JVM's collectors have taken so far (G1: pauses and concurrent cycles' pauses). */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    /** Time the JVM's JIT compiler threads have spent compiling so far (0 if the JVM does not tell). */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** How many placement evaluations the run made and their time, from the app's own timer. */
    void sayEvaluations(TieringApp app) {
        Timer evaluations = app.meterRegistry().find("tierflow.placement.evaluation").timer();
        if (evaluations != null && evaluations.count() > 0) {
            progress.say("  evaluations: %s, %.1f s in all, %.1f µs each", Progress.count(evaluations.count()),
                    evaluations.totalTime(TimeUnit.SECONDS), evaluations.mean(TimeUnit.MICROSECONDS));
        }
    }

    /**
     * Records and bytes (as batched and sent, before compaction) each topic received from the app's producers:
     * changelogs and outputs, from the producer metrics.
     */
    static Map<String, double[]> recordsSentPerTopic(KafkaStreams streams) {
        Map<String, double[]> sent = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
            MetricName name = metric.getKey();
            int index = name.name().equals("record-send-total") ? 0 : name.name().equals("byte-total") ? 1 : -1;
            if (name.group().equals("producer-topic-metrics") && index >= 0
                    && metric.getValue().metricValue() instanceof Double value) {
                sent.computeIfAbsent(name.tags().get("topic"), t -> new double[2])[index] += value;
            }
        }
        return sent;
    }
}
