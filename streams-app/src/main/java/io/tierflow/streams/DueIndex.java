package io.tierflow.streams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One task's datasets by the time their next evaluation is due, so the punctuator finds what is due without a scan of
 * every dataset. Kept in memory only and owned by the task's processor: every dataset record carries its due time, so
 * the processor rebuilds the index from {@code dataset-state} whenever it starts (DatasetRecords.rebuild).
 *
 * <p>Objects rather than a Kafka Streams store. It was an in-memory key-value store (key: zero-padded due time and
 * dataset key), and every evaluation moved its dataset's entry: two key strings built and serialized, a delete and a
 * put through the store's metered and synchronized layers, and a range scan that copied every due key, for an index
 * that never left the task (microbench DueIndexBenchmark measures this one: {@code scripts/microbench DueIndex}). The
 * number of scheduled datasets is exported instead ({@code tierflow_datasets_scheduled}).
 *
 * <p>An indexed binary heap over primitive arrays, written here because neither the JDK nor the libraries we use has
 * one whose entries can be moved: each dataset gets a slot once (its key in {@link #slotOf}), and a slot's due time,
 * key and place in the heap live in arrays. Every evaluation reschedules its dataset, so this is on the evaluation's
 * path: moving the slot to its new place allocates nothing and stores no reference. Before, a {@code PriorityQueue} of
 * entries with stale ones dropped at the top allocated an entry and a boxed time per rescheduling, kept each for as long
 * as its old due time was ahead (seconds to minutes of the benchmark), and stored references into long-lived arrays
 * and map nodes: objects that G1 copied at every young collection until they were old, and cards it scanned.
 *
 * <p>A slot stays with its dataset after the dataset is handed out by {@link #takeDue} (it is nearly always scheduled
 * again at once, by the evaluation that follows), when it is rescheduled and when it has no due time
 * ({@link #unschedule}), so that {@link #addEveryBy} reaches every dataset; {@link #remove}, for a dataset that is
 * gone, frees it. Only the task's stream thread changes the
 * index; {@link #size()} may be read from any thread.
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

    private static final int NOT_SCHEDULED = -1;
    private static final int INITIAL_SLOTS = 1_024;

    /** Each dataset's slot, from its first scheduling until {@link #remove}. */
    private final Map<String, Integer> slotOf = new HashMap<>();
    /** By slot: the dataset's key (null for a free slot). */
    private String[] keys = new String[INITIAL_SLOTS];
    /** By slot: the due time, valid while the slot is in the heap. */
    private long[] dueAt = new long[INITIAL_SLOTS];
    /** By slot: its index in {@link #heap}, or {@link #NOT_SCHEDULED}. */
    private int[] heapIndex = new int[INITIAL_SLOTS];
    /** Slots in heap order: each no later (by time, then key) than its two children; the earliest at 0. */
    private int[] heap = new int[INITIAL_SLOTS];
    private int heapSize;
    /** Slots freed by {@link #remove}, reused before new ones. */
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int slotsUsed;
    /** Written by the stream thread after each change, for gauges read by other threads. */
    private volatile int size;

    /** Schedules {@code key} at {@code at}, instead of any time it had. */
    void add(long at, String key) {
        if (at < 0) {
            throw new IllegalArgumentException("due time before the epoch: " + at + " for " + key);
        }
        Integer known = slotOf.get(key);
        int slot = known != null ? known : newSlot(key);
        int index = heapIndex[slot];
        if (index == NOT_SCHEDULED) {
            dueAt[slot] = at;
            heap[heapSize] = slot;
            heapIndex[slot] = heapSize;
            siftUp(heapSize++);
        } else {
            long before = dueAt[slot];
            dueAt[slot] = at;
            if (at < before) {
                siftUp(index);
            } else if (at > before) {
                siftDown(index);
            }
        }
        size = heapSize;
    }

    /** Schedules {@code key} at {@code at} unless it is due earlier already. */
    void addBy(long at, String key) {
        Integer slot = slotOf.get(key);
        if (slot == null || heapIndex[slot] == NOT_SCHEDULED || dueAt[slot] > at) {
            add(at, key);
        }
    }

    /**
     * Keeps {@code key} in the index with no due time: a dataset that nothing will change until an event, a migration
     * step or a change of the catalogue ({@link #addEveryBy}) does.
     */
    void unschedule(String key) {
        Integer known = slotOf.get(key);
        int slot = known != null ? known : newSlot(key);
        if (heapIndex[slot] != NOT_SCHEDULED) {
            removeAt(heapIndex[slot]);
        }
        size = heapSize;
    }

    /** Makes every dataset in the index due at {@code at} at the latest, those without a due time included. */
    void addEveryBy(long at) {
        for (int slot = 0; slot < slotsUsed; slot++) {
            if (keys[slot] == null) {
                continue; // a free slot
            }
            if (heapIndex[slot] == NOT_SCHEDULED) {
                dueAt[slot] = at;
                heap[heapSize] = slot;
                heapIndex[slot] = heapSize++;
            } else if (dueAt[slot] > at) {
                dueAt[slot] = at;
            }
        }
        for (int i = (heapSize >>> 1) - 1; i >= 0; i--) {
            siftDown(i); // the heap order, made again bottom-up: linear in the number of datasets
        }
        size = heapSize;
    }

    /** The time {@code key} is due, or -1 if it has none (or is not in the index). */
    long dueAt(String key) {
        Integer slot = slotOf.get(key);
        return slot == null || heapIndex[slot] == NOT_SCHEDULED ? -1 : dueAt[slot];
    }

    /** Unschedules {@code key} (a dataset that is gone) and frees its slot. */
    void remove(String key) {
        Integer slot = slotOf.remove(key);
        if (slot == null) {
            return;
        }
        if (heapIndex[slot] != NOT_SCHEDULED) {
            removeAt(heapIndex[slot]);
        }
        keys[slot] = null;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = slot;
        size = heapSize;
    }

    /** Removes and returns the datasets due at or before {@code now}, earliest first, at most {@code max} of them. */
    List<Due> takeDue(long now, int max) {
        List<Due> due = new ArrayList<>();
        while (due.size() < max && heapSize > 0 && dueAt[heap[0]] <= now) {
            int slot = heap[0];
            due.add(new Due(dueAt[slot], keys[slot]));
            removeAt(0);
        }
        size = heapSize;
        return due;
    }

    /** Every scheduled dataset, earliest first (for tests and diagnostics: a copy). */
    List<Due> all() {
        List<Due> all = new ArrayList<>();
        for (int i = 0; i < heapSize; i++) {
            all.add(new Due(dueAt[heap[i]], keys[heap[i]]));
        }
        all.sort(null);
        return all;
    }

    /** Datasets with a due time. */
    int size() {
        return size;
    }

    private int newSlot(String key) {
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            if (slotsUsed == keys.length) {
                int grown = keys.length * 2;
                keys = Arrays.copyOf(keys, grown);
                dueAt = Arrays.copyOf(dueAt, grown);
                heapIndex = Arrays.copyOf(heapIndex, grown);
                heap = Arrays.copyOf(heap, grown);
            }
            slot = slotsUsed++;
        }
        keys[slot] = key;
        heapIndex[slot] = NOT_SCHEDULED;
        slotOf.put(key, slot);
        return slot;
    }

    /** Takes the slot at heap index {@code index} out of the heap; its slot stays its dataset's. */
    private void removeAt(int index) {
        int slot = heap[index];
        heapIndex[slot] = NOT_SCHEDULED;
        int last = heap[--heapSize];
        if (index == heapSize) {
            return;
        }
        heap[index] = last;
        heapIndex[last] = index;
        siftDown(index);
        if (heap[index] == last) {
            siftUp(index);
        }
    }

    private void siftUp(int index) {
        int slot = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            int parentSlot = heap[parent];
            if (!earlier(slot, parentSlot)) {
                break;
            }
            heap[index] = parentSlot;
            heapIndex[parentSlot] = index;
            index = parent;
        }
        heap[index] = slot;
        heapIndex[slot] = index;
    }

    private void siftDown(int index) {
        int slot = heap[index];
        int half = heapSize >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int childSlot = heap[child];
            int right = child + 1;
            if (right < heapSize && earlier(heap[right], childSlot)) {
                child = right;
                childSlot = heap[right];
            }
            if (!earlier(childSlot, slot)) {
                break;
            }
            heap[index] = childSlot;
            heapIndex[childSlot] = index;
            index = child;
        }
        heap[index] = slot;
        heapIndex[slot] = index;
    }

    /** Whether slot {@code a} comes before slot {@code b}: by due time, then by key (a deterministic order). */
    private boolean earlier(int a, int b) {
        long at = dueAt[a];
        long bt = dueAt[b];
        return at != bt ? at < bt : keys[a].compareTo(keys[b]) < 0;
    }
}
