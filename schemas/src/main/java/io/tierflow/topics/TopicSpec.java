package io.tierflow.topics;

import java.util.Map;

/**
 * How a topic is created: its name and the topic configs that matter for correctness.
 *
 * @param name the topic name
 * @param compacted true for changelog-like topics holding the latest value per key
 * @param configs topic-level configs applied at creation
 */
public record TopicSpec(String name, boolean compacted, Map<String, String> configs) {

    /**
     * An append-only stream kept forever: recorded topics are replayed with other policies, and the broker's
     * time-based retention would delete records with old event timestamps (an imported trace) within minutes.
     */
    public static TopicSpec stream(String name) {
        return new TopicSpec(name, false, Map.of("cleanup.policy", "delete", "retention.ms", "-1"));
    }

    /** A compacted topic: the latest value per key, tombstones delete. */
    public static TopicSpec compacted(String name) {
        return new TopicSpec(name, true, Map.of("cleanup.policy", "compact"));
    }
}
