package io.tierflow.streams;

import io.tierflow.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The topics one task reads by dataset key must have equal partition counts: task n reads partition n of each, and a
 * dataset's records are found only if every topic puts its key on the same partition. Checked when the app starts,
 * so a topic created with another count stops it with the reason rather than misfiling records quietly.
 */
final class CoPartitioning {
    /** The dataset inputs and control, whose REOPTIMIZE requests are keyed by dataset key. */
    static final List<String> TOPICS = List.of(Topics.ACCESS_EVENTS, Topics.DATASETS, Topics.MIGRATION_STATUS,
            Topics.CONTROL);

    private CoPartitioning() {
    }

    /**
     * The partition count all of {@link #TOPICS} share.
     *
     * @param counts partition count by topic, as the broker reports it (a topic it does not know is absent)
     * @throws IllegalStateException naming the topics and their counts when one is missing or the counts differ
     */
    static int partitionCount(Map<String, Integer> counts) {
        List<String> missing = TOPICS.stream().filter(t -> !counts.containsKey(t)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("topics " + missing + " do not exist; create every Tierflow topic first "
                    + "(tierflow init, or the local stack), with the same partition count for " + TOPICS);
        }
        Map<String, Integer> ours = new TreeMap<>();
        TOPICS.forEach(t -> ours.put(t, counts.get(t)));
        if (ours.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("the topics keyed by dataset must have equal partition counts, so that "
                    + "one task reads all of a dataset's records, but they have " + ours.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))
                    + "; recreate the odd ones (or add partitions to match: their keys then move) before starting");
        }
        return ours.values().iterator().next();
    }
}
