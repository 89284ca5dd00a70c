package io.tierflow.migrator;

import java.util.TreeSet;

/**
 * Which offsets of one partition are finished, and what to commit. The committed offset is the lowest command that
 * is neither finished (terminal status durably written) nor deferred, so a crash re-delivers every unfinished
 * command and never skips one. A deferred command (a RETIRE waiting for its grace period or for its site) does not
 * hold the offset back: the lowest deferred offset below it is committed with it, as metadata
 * {@code deferred-from=<offset>}, and the next owner of the partition reads again from there, picking up only the
 * RETIREs below the committed offset ({@link #isReplay}) and running them after the rest of that range was seen
 * (every RETIRE is safe to run again: it checks what it keeps, and a newer command supersedes it). Thread-safe.
 */
final class PartitionProgress {
    static final String DEFERRED_FROM = "deferred-from=";

    /** An offset to commit and its metadata. */
    record Commit(long offset, String metadata) {
    }

    private final int epoch;
    private final TreeSet<Long> pending = new TreeSet<>();
    private final TreeSet<Long> deferred = new TreeSet<>();
    /** Offsets below were handled by an earlier owner: read again only for the RETIREs deferred among them. */
    private final long replayEnd;
    /** Where the earlier owner's deferred RETIREs start; -1 when there were none. */
    private final long replayFrom;
    private boolean replayed;
    private long next = -1;
    private long committed;
    private String committedMetadata;

    PartitionProgress(int epoch) {
        this(epoch, -1, "");
    }

    /**
     * @param committedOffset the partition's committed offset when it was assigned (-1: none)
     * @param committedMetadata the metadata committed with it
     */
    PartitionProgress(int epoch, long committedOffset, String committedMetadata) {
        this.epoch = epoch;
        this.committed = committedOffset;
        this.committedMetadata = committedMetadata == null ? "" : committedMetadata;
        long from = deferredFrom(this.committedMetadata);
        boolean replay = committedOffset >= 0 && from >= 0 && from < committedOffset;
        this.replayEnd = replay ? committedOffset : -1;
        this.replayFrom = replay ? from : -1;
        this.replayed = !replay;
    }

    private static long deferredFrom(String metadata) {
        if (!metadata.startsWith(DEFERRED_FROM)) {
            return -1;
        }
        try {
            return Long.parseLong(metadata.substring(DEFERRED_FROM.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Distinguishes this assignment of the partition from earlier ones of the same worker. */
    int epoch() {
        return epoch;
    }

    /** Where to start reading: the earlier owner's first deferred RETIRE, or -1 for the committed offset. */
    long replayFrom() {
        return replayFrom;
    }

    /** The end of the range read again for deferred RETIREs (-1: none). */
    long replayEnd() {
        return replayEnd;
    }

    /** Whether this offset was handled by an earlier owner and is read again only for a deferred RETIRE. */
    boolean isReplay(long offset) {
        return offset < replayEnd;
    }

    synchronized boolean replaying() {
        return !replayed;
    }

    /** The whole range read again has been seen: its RETIREs may run. */
    synchronized void replayDone() {
        replayed = true;
    }

    synchronized void accepted(long offset) {
        pending.add(offset);
        next = Math.max(next, offset + 1);
    }

    /** A command that waits (grace period, site down) without holding the committed offset back. */
    synchronized void deferred(long offset) {
        if (pending.remove(offset) || offset < replayEnd) {
            deferred.add(offset);
        }
    }

    /** An offset that will never be executed (unreadable, dead-lettered): done as soon as it is seen. */
    synchronized void skipped(long offset) {
        next = Math.max(next, offset + 1);
    }

    synchronized void finished(long offset) {
        pending.remove(offset);
        deferred.remove(offset);
    }

    /** Commands running or waiting to run, deferred ones not counted: what bounds fetching. */
    synchronized int pending() {
        return pending.size();
    }

    synchronized int deferredCount() {
        return deferred.size();
    }

    /** What to commit now, or null when nothing changed since the last commit. */
    synchronized Commit toCommit() {
        long offset = Math.max(pending.isEmpty() ? next : pending.first(), committed);
        if (offset < 0) {
            return null;
        }
        long floor = Long.MAX_VALUE;
        if (!deferred.isEmpty()) {
            floor = deferred.first();
        }
        if (!replayed) {
            floor = Math.min(floor, replayFrom); // the range is not yet read again: keep all of it
        }
        String metadata = floor < offset ? DEFERRED_FROM + floor : "";
        if (offset == committed && metadata.equals(committedMetadata)) {
            return null;
        }
        return new Commit(offset, metadata);
    }

    synchronized void committed(Commit commit) {
        if (commit.offset() >= committed) {
            committed = commit.offset();
            committedMetadata = commit.metadata();
        }
    }
}
