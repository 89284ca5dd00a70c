package io.tierflow.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One task's datasets by the time their next evaluation is due, so the punctuator finds what is due without a scan of
 * every dataset. Kept in memory only and owned by the task's processor: every dataset record carries its due time, so
 * the processor rebuilds the index from {@code dataset-state} whenever it starts (DatasetProcessor.init).
 *
 * <p>A sorted set of objects rather than a Kafka Streams store. It was an in-memory key-value store (key: zero-padded
 * due time and dataset key), and every evaluation moved its dataset's entry: two key strings built and serialized, a
 * delete and a put through the store's metered and synchronized layers, and a range scan that copied every due key.
 * That was 4 % of the stream thread in the JFR profile of {@code scripts/bench topology}, for an index that never left
 * the task. The number of scheduled datasets is exported instead ({@code tierflow_datasets_scheduled}).
 *
 * <p>Only the task's stream thread changes it; {@link #size()} may be read from any thread.
 */
final class DueIndex {
    /** A dataset due at {@code at} (epoch ms). Ordered by time, then key, so two datasets may share a due time. */
    record Due(long at, String key) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : key.compareTo(other.key);
        }
    }

    private final TreeSet<Due> entries = new TreeSet<>();
    /** Written by the stream thread after each change, for gauges read by other threads. */
    private volatile int size;

    void add(long at, String key) {
        if (at < 0) {
            throw new IllegalArgumentException("due time before the epoch: " + at + " for " + key);
        }
        entries.add(new Due(at, key));
        size = entries.size();
    }

    void remove(long at, String key) {
        entries.remove(new Due(at, key));
        size = entries.size();
    }

    /** Removes and returns the datasets due at or before {@code now}, earliest first, at most {@code max} of them. */
    List<Due> takeDue(long now, int max) {
        List<Due> due = new ArrayList<>();
        while (due.size() < max && !entries.isEmpty() && entries.first().at() <= now) {
            due.add(entries.pollFirst());
        }
        size = entries.size();
        return due;
    }

    /** Every entry, earliest first (for tests and diagnostics: a copy). */
    List<Due> all() {
        return List.copyOf(entries);
    }

    int size() {
        return size;
    }
}
