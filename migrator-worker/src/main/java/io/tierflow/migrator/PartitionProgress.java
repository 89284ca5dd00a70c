package io.tierflow.migrator;

import java.util.TreeSet;

/**
 * Which offsets of one partition are finished. The committable offset is the lowest command whose terminal
 * status is not yet durably written, so a crash re-delivers every unfinished command (they are idempotent) and
 * never skips one. Thread-safe.
 */
final class PartitionProgress {
    private final int epoch;
    private final TreeSet<Long> pending = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    PartitionProgress(int epoch) {
        this.epoch = epoch;
    }

    /** Distinguishes this assignment of the partition from earlier ones of the same worker. */
    int epoch() {
        return epoch;
    }

    synchronized void accepted(long offset) {
        pending.add(offset);
        next = Math.max(next, offset + 1);
    }

    /** An offset that will never be executed (unreadable, dead-lettered): done as soon as it is seen. */
    synchronized void skipped(long offset) {
        next = Math.max(next, offset + 1);
    }

    synchronized void finished(long offset) {
        pending.remove(offset);
    }

    synchronized int pending() {
        return pending.size();
    }

    /** The offset to commit now, or -1 when nothing new can be committed. */
    synchronized long toCommit() {
        long offset = pending.isEmpty() ? next : pending.first();
        return offset > committed ? offset : -1;
    }

    synchronized void committed(long offset) {
        committed = Math.max(committed, offset);
    }
}
