package io.tierflow.bench;

import io.tierflow.streams.DatasetViews;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/** What a tiering run leaves behind: its changelogs on the broker and its stores on disk. */
final class TieringFootprint {
    private final Progress progress;

    TieringFootprint(Progress progress) {
        this.progress = progress;
    }

    /** Bytes the changelogs hold and the per-dataset stores take on disk. */
    record Held(long changelogBytes, long stateBytes) {
    }

    /**
     * Reports what the app sent per topic, what its changelogs hold and what its stores take on disk.
     *
     * @param events events the run read, for the per-event figures
     */
    Held report(String appId, Map<String, double[]> sent, Map<String, Long> changelogs, Path appState, long events)
            throws IOException {
        sent.forEach((topic, recordsAndBytes) -> progress.say("  %s wrote %s records, %s bytes to %s", appId,
                Progress.count(recordsAndBytes[0]), Progress.count(recordsAndBytes[1]), topic));

        long changelogTotal = changelogs.values().stream().mapToLong(Long::longValue).sum();
        changelogs.forEach((topic, bytes) -> progress.say("  %s: %s bytes held by the broker", topic,
                Progress.count(bytes)));
        double written = sent.entrySet().stream().filter(e -> e.getKey().endsWith("-changelog"))
                .mapToDouble(e -> e.getValue()[1]).sum();
        // The broker's log cleaner compacts a changelog's rolled segments during a long run, so what it holds can be
        // well below what was written; both are shown, the summary line reports what is held.
        progress.say("  changelogs: %.1f bytes per event held, %.1f bytes per event written",
                (double) changelogTotal / events, written / events);
        long stateBytes = 0;
        for (String store : DatasetViews.STORES) { // the stores that hold per-dataset state
            long bytes = storeBytes(appState, store, false);
            stateBytes += bytes;
            progress.say("  %s store on disk: %s bytes (%s in SST files) over %d tasks", store, Progress.count(bytes),
                    Progress.count(storeBytes(appState, store, true)), storeDirectories(appState, store).size());
        }
        return new Held(changelogTotal, stateBytes);
    }

    /** Bytes of the app's changelog topics in the broker's log directories, per topic. */
    static Map<String, Long> changelogBytes(Admin admin, String appId) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
        Map<String, Long> bytes = new TreeMap<>();
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
            for (LogDirDescription dir : dirs.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                    String topic = replica.getKey().topic();
                    if (topic.startsWith(appId + "-") && topic.endsWith("-changelog")) {
                        bytes.merge(topic, replica.getValue().size(), Long::sum);
                    }
                }
            }
        }
        return bytes;
    }

    /** The store's RocksDB directories, one per task: {@code <state dir>/<app id>/<task>/rocksdb/<store>}. */
    private static List<Path> storeDirectories(Path appState, String store) throws IOException {
        if (!Files.isDirectory(appState)) {
            return List.of();
        }
        try (Stream<Path> tasks = Files.list(appState)) {
            return tasks.map(task -> task.resolve("rocksdb").resolve(store)).filter(Files::isDirectory).toList();
        }
    }

    private static long storeBytes(Path appState, String store, boolean sstOnly) throws IOException {
        long total = 0;
        for (Path dir : storeDirectories(appState, store)) {
            try (Stream<Path> files = Files.walk(dir)) {
                total += files.filter(Files::isRegularFile)
                        .filter(f -> !sstOnly || f.getFileName().toString().endsWith(".sst"))
                        .mapToLong(f -> {
                            try {
                                return Files.size(f);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }).sum();
            }
        }
        return total;
    }
}
