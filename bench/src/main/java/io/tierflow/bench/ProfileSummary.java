package io.tierflow.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top of a JFR recording's CPU samples ({@code jdk.ExecutionSample}): which threads got them, and for the
 * stream threads the methods that were running (self) and the methods on the stack (total), as shares.
 */
final class ProfileSummary {
    private final Map<String, Integer> byThreadGroup = new TreeMap<>();
    private final Map<String, Integer> self = new HashMap<>();
    private final Map<String, Integer> total = new HashMap<>();
    private int samples;
    private int streamSamples;

    static ProfileSummary read(Path recording) throws IOException {
        ProfileSummary summary = new ProfileSummary();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals("jdk.ExecutionSample")) {
                summary.add(event);
            }
        }
        return summary;
    }

    private void add(RecordedEvent event) {
        samples++;
        RecordedThread thread = event.getThread("sampledThread");
        String group = group(thread == null ? null : thread.getJavaName());
        byThreadGroup.merge(group, 1, Integer::sum);
        RecordedStackTrace stack = event.getStackTrace();
        if (!group.equals("stream threads") || stack == null || stack.getFrames().isEmpty()) {
            return;
        }
        streamSamples++;
        List<RecordedFrame> frames = stack.getFrames();
        self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : frames) {
            String method = name(frame.getMethod());
            if (seen.add(method)) {
                total.merge(method, 1, Integer::sum);
            }
        }
    }

    /** Lines for the progress output: thread groups, then the stream threads' top methods. */
    List<String> lines(int top) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%d CPU samples: %s", samples, shares(byThreadGroup, samples)));
        lines.add("stream threads, self (method running):");
        topOf(self, top).forEach(e -> lines.add(String.format("  %5.1f%%  %s", 100.0 * e.getValue() / streamSamples,
                e.getKey())));
        lines.add("stream threads, total (method on the stack), Tierflow, Avro, RocksDB and Kafka Streams store frames:");
        topOf(filtered(total), top).forEach(e -> lines.add(String.format("  %5.1f%%  %s",
                100.0 * e.getValue() / streamSamples, e.getKey())));
        return lines;
    }

    private static Map<String, Integer> filtered(Map<String, Integer> methods) {
        Map<String, Integer> kept = new HashMap<>();
        methods.forEach((method, count) -> {
            if (method.startsWith("io.tierflow.") || method.startsWith("org.apache.avro.")
                    || method.startsWith("org.rocksdb.") || method.contains(".streams.state.internals.")
                    || method.contains("RecordCollectorImpl") || method.contains("TaskExecutor")
                    || method.contains("KafkaProducer.send") || method.contains("KafkaConsumer.poll")) {
                kept.put(method, count);
            }
        });
        return kept;
    }

    private static List<Map.Entry<String, Integer>> topOf(Map<String, Integer> counts, int top) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top).toList();
    }

    private static String shares(Map<String, Integer> counts, int of) {
        List<String> parts = new ArrayList<>();
        topOf(counts, counts.size()).forEach(e -> parts.add(String.format("%s %.0f%%", e.getKey(),
                100.0 * e.getValue() / of)));
        return String.join(", ", parts);
    }

    private static String group(String thread) {
        if (thread == null) {
            return "other";
        }
        if (thread.contains("GlobalStreamThread")) {
            return "global thread";
        }
        if (thread.contains("StreamThread")) {
            return "stream threads";
        }
        if (thread.contains("kafka-producer-network-thread")) {
            return "producer I/O";
        }
        if (thread.startsWith("data-plane-kafka") || thread.startsWith("kafka-") || thread.contains("broker")
                || thread.contains("controller") || thread.contains("Processor") || thread.contains("raft")
                || thread.startsWith("ExpirationReaper") || thread.contains("Coordinator")
                || thread.contains("coordinator") || thread.startsWith("LogDirFailureHandler")
                || thread.startsWith("kafka-log-cleaner")) {
            return "broker";
        }
        return "other";
    }

    private static String name(RecordedMethod method) {
        String type = method.getType().getName();
        return type + "." + method.getName();
    }
}
