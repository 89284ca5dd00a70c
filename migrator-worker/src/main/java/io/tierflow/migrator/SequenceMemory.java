package io.tierflow.migrator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The newest command sequence seen per dataset, for the most recently active datasets (bounded, least recently
 * seen forgotten first). A command older than the newest seen for its dataset is stale: the streams app issued a
 * newer one after it, so it only runs again because it was redelivered or replayed. Forgetting is safe: a stale
 * command that runs is still checked by the executor against what the sites hold. Thread-safe.
 */
final class SequenceMemory {
    private final Map<String, Long> newest;

    SequenceMemory(int capacity) {
        this.newest = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Remembers that a command with {@code sequence} (0: unknown, ignored) was seen for {@code key}. */
    synchronized void seen(String key, long sequence) {
        if (sequence > 0) {
            newest.merge(key, sequence, Math::max);
        }
    }

    /** Whether a newer command than {@code sequence} was seen for {@code key}; never for an unknown sequence. */
    synchronized boolean isSuperseded(String key, long sequence) {
        Long seen = newest.get(key);
        return sequence > 0 && seen != null && seen > sequence;
    }

    synchronized long newest(String key) {
        return newest.getOrDefault(key, 0L);
    }
}
