package io.tierflow.streams;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One task's datasets by the time their next evaluation is due, so the punctuator finds what is due without a scan of
 * every dataset. Kept in memory only and owned by the task's processor: every dataset record carries its due time, so
 * the processor rebuilds the index from {@code dataset-state} whenever it starts (DatasetProcessor.init).
 *
 * <p>Objects rather than a Kafka Streams store. It was an in-memory key-value store (key: zero-padded due time and
 * dataset key), and every evaluation moved its dataset's entry: two key strings built and serialized, a delete and a
 * put through the store's metered and synchronized layers, and a range scan that copied every due key. That was 4 % of
 * the stream thread in the JFR profile of {@code scripts/bench topology}, for an index that never left the task. The
 * number of scheduled datasets is exported instead ({@code tierflow_datasets_scheduled}).
 *
 * <p>A dataset has one due time: {@link #dueAt} holds it, and a heap orders the entries by time. Rescheduling (every
 * evaluation does) changes the map and adds an entry; the entry of the old time stays in the heap, stale, and is
 * dropped when it comes to the top. A sorted set moved the entry instead, two walks down a red-black tree of every
 * scheduled dataset of the task (3 % of the stream thread in the benchmark's profile); the heap's insertion rarely
 * climbs more than a level or two, since a new due time is usually later than most.
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

    /** Each scheduled dataset's due time. */
    private final Map<String, Long> dueAt = new HashMap<>();
    /** An entry per scheduling, earliest on top; those whose time is no longer the dataset's are stale. */
    private final PriorityQueue<Due> byTime = new PriorityQueue<>();
    /** Written by the stream thread after each change, for gauges read by other threads. */
    private volatile int size;

    /** Schedules {@code key} at {@code at}, instead of any time it had. */
    void add(long at, String key) {
        if (at < 0) {
            throw new IllegalArgumentException("due time before the epoch: " + at + " for " + key);
        }
        dueAt.put(key, at);
        byTime.add(new Due(at, key));
        size = dueAt.size();
    }

    /** Unschedules {@code key} if it is due at {@code at}. */
    void remove(long at, String key) {
        Long current = dueAt.get(key);
        if (current != null && current == at) {
            dueAt.remove(key);
            size = dueAt.size();
        }
    }

    /** Removes and returns the datasets due at or before {@code now}, earliest first, at most {@code max} of them. */
    List<Due> takeDue(long now, int max) {
        List<Due> due = new ArrayList<>();
        while (due.size() < max && !byTime.isEmpty() && byTime.peek().at() <= now) {
            Due next = byTime.poll();
            if (isCurrent(next)) {
                dueAt.remove(next.key());
                due.add(next);
            }
        }
        size = dueAt.size();
        return due;
    }

    private boolean isCurrent(Due entry) {
        Long current = dueAt.get(entry.key());
        return current != null && current == entry.at();
    }

    /** Every scheduled dataset, earliest first (for tests and diagnostics: a copy). */
    List<Due> all() {
        List<Due> all = new ArrayList<>();
        dueAt.forEach((key, at) -> all.add(new Due(at, key)));
        Collections.sort(all);
        return all;
    }

    int size() {
        return size;
    }
}
