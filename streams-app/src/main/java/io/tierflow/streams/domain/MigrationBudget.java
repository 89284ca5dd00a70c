package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * One task's share of the migration budget: which COPY may start now, which waits, and in what order the waiting ones
 * go. A copy's bytes count from its admission until an hour after it ends, in flight throughout; a copy is admitted
 * only if the bytes counted, those of every better move that fits before it, and its own stay within the share. So
 * the copies that move bytes in any hour were all counted together at the admission of the last of them, and the
 * bytes moved in any sliding hour never exceed the share (ADR 16).
 *
 * <p>Moves wait in strict priority order: evacuations of a site marked down, then other forced moves (SLA fixes, a
 * site no longer allowed), then the rest by saving per byte moved over the horizon, longest waiting first among
 * equals. A better move that does not fit blocks the worse ones behind it, so a large valuable move is not starved by a
 * stream of small ones. A move larger than the whole share starts alone, once nothing else is counted. Evacuations of a
 * site marked down are never held back, whatever the budget (zero included); their bytes count, so other moves wait
 * for them.
 *
 * <p>Plain Java: every change is told to the {@link Journal} (the task's store), and {@link #restore} rebuilds the
 * budget from what it kept.
 */
public final class MigrationBudget {
    public static final long HOUR_MS = 3_600_000L;
    /** No limit: the budget of the built-in policy. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    /** Why a move is made, most urgent first. */
    public enum Urgency { EVACUATION, FORCED, SAVING }

    /**
     * A COPY waiting for the budget.
     *
     * @param valuePerGb saving over the policy's horizon per GB moved, USD (0 for forced moves and new replicas)
     * @param since when it first waited
     */
    public record Move(String key, long bytes, Urgency urgency, double valuePerGb, long since) {
    }

    /** A COPY admitted at {@code admittedAt}; {@code endedAt} is -1 while it is in flight. */
    public record Copy(String key, long bytes, long admittedAt, long endedAt) {
        public boolean inFlight() {
            return endedAt < 0;
        }

        /** When its bytes stop counting: an hour after it ended (never while in flight). */
        public long countsUntil() {
            return inFlight() ? Long.MAX_VALUE : endedAt + HOUR_MS;
        }
    }

    /** Where the budget's changes are kept, so a restart or a rebalance finds them. */
    public interface Journal {
        void copy(Copy copy);

        void copyExpired(Copy copy);

        void waiting(Move move);

        void notWaiting(String key);
    }

    /** The waiting moves, their bytes and how long they take to drain at the share ({@code +Infinity}: never). */
    public record Backlog(long moves, long bytes, double drainSeconds) {
    }

    /** The order moves go in: most urgent, then most valuable per byte, then longest waiting, then by key. */
    public static final Comparator<Move> PRIORITY = Comparator.comparing(Move::urgency)
            .thenComparing(Comparator.comparingDouble(Move::valuePerGb).reversed())
            .thenComparingLong(Move::since)
            .thenComparing(Move::key);

    private final Journal journal;
    private long shareBytesPerHour = UNLIMITED;
    /** The copy in flight of each dataset (one command at a time). */
    private final Map<String, Copy> inFlight = new HashMap<>();
    /** Ended copies still counted, the first to stop counting first. */
    private final PriorityQueue<Copy> ended = new PriorityQueue<>(Comparator.comparingLong(Copy::countsUntil));
    private long countedBytes;
    private final Map<String, Move> waitingByKey = new HashMap<>();
    private final TreeSet<Move> queue = new TreeSet<>(PRIORITY);
    private long waitingBytes;

    public MigrationBudget(Journal journal) {
        this.journal = journal;
    }

    /** Sets this task's share of the budget, bytes per hour (0: only evacuations move). */
    public void share(long bytesPerHour) {
        if (bytesPerHour < 0) {
            throw new IllegalArgumentException("a migration budget cannot be negative: " + bytesPerHour);
        }
        shareBytesPerHour = bytesPerHour;
    }

    public long share() {
        return shareBytesPerHour;
    }

    /** This task's share of {@code budgetBytesPerHour} when the dataset inputs have {@code partitions} partitions. */
    public static long shareOf(long budgetBytesPerHour, int partitions) {
        return budgetBytesPerHour == UNLIMITED ? UNLIMITED : budgetBytesPerHour / Math.max(1, partitions);
    }

    /** Puts back a copy or a waiting move as the journal kept it, without telling the journal (a task starting). */
    public void restore(Copy copy) {
        if (copy.inFlight()) {
            inFlight.put(copy.key(), copy);
        } else {
            ended.add(copy);
        }
        countedBytes += copy.bytes();
    }

    public void restore(Move move) {
        addWaiting(move);
    }

    /**
     * Whether {@code move} may start at {@code now}: if so it is counted as in flight; if not it waits (keeping the
     * time it first waited) until {@link #release} names it.
     */
    public boolean request(Move move, long now) {
        expire(now);
        Move before = waitingByKey.get(move.key());
        if (before != null) {
            removeWaiting(before);
            move = new Move(move.key(), move.bytes(), move.urgency(), move.valuePerGb(), before.since());
        }
        if (fitsAfterBetterMoves(move)) {
            if (before != null) {
                journal.notWaiting(move.key());
            }
            Copy copy = new Copy(move.key(), move.bytes(), now, -1);
            endOpenCopy(move.key(), now); // cannot happen with one command in flight; never count one twice
            inFlight.put(copy.key(), copy);
            countedBytes += copy.bytes();
            journal.copy(copy);
            return true;
        }
        addWaiting(move);
        journal.waiting(move);
        return false;
    }

    /** The dataset's copy in flight ended (completed, failed, superseded, or the dataset is gone). */
    public void ended(String key, long now) {
        endOpenCopy(key, now);
    }

    /** The dataset no longer wants a copy (its decision changed, or it is gone): it stops waiting. */
    public void withdraw(String key) {
        Move move = waitingByKey.get(key);
        if (move != null) {
            removeWaiting(move);
            journal.notWaiting(key);
        }
    }

    /**
     * The waiting moves that would be admitted now, best first: to look at again now, each being decided anew (and
     * then requested, or withdrawn). Evacuations always; then moves in order while they fit; the first that does not
     * fit holds back every one behind it.
     */
    public List<String> release(long now) {
        expire(now);
        List<String> keys = new ArrayList<>();
        long room = room();
        boolean nothingCounted = countedBytes == 0;
        for (Move move : queue) {
            if (move.urgency() == Urgency.EVACUATION) {
                keys.add(move.key());
            } else if (move.bytes() <= room) {
                keys.add(move.key());
                room -= move.bytes();
                nothingCounted = false;
            } else {
                if (nothingCounted && shareBytesPerHour > 0) {
                    keys.add(move.key()); // larger than the whole share: it goes alone into an empty hour
                }
                break;
            }
        }
        return keys;
    }

    /** Stops counting the ended copies whose hour has passed. */
    public void expire(long now) {
        while (!ended.isEmpty() && ended.peek().countsUntil() <= now) {
            Copy copy = ended.poll();
            countedBytes -= copy.bytes();
            journal.copyExpired(copy);
        }
    }

    public Backlog backlog() {
        double drain = waitingBytes == 0 ? 0.0
                : shareBytesPerHour == 0 ? Double.POSITIVE_INFINITY
                : (double) waitingBytes / shareBytesPerHour * (HOUR_MS / 1000.0);
        return new Backlog(waitingByKey.size(), waitingBytes, drain);
    }

    /** Bytes counted against the share now: copies in flight and those ended within the hour. */
    public long countedBytes() {
        return countedBytes;
    }

    public boolean isWaiting(String key) {
        return waitingByKey.containsKey(key);
    }

    /** The keys of the copies in flight (to check them against the dataset records when a task starts). */
    public List<String> inFlightKeys() {
        return List.copyOf(inFlight.keySet());
    }

    private boolean fitsAfterBetterMoves(Move move) {
        if (move.urgency() == Urgency.EVACUATION) {
            return true;
        }
        long room = room();
        boolean nothingCounted = countedBytes == 0;
        for (Move better : queue.headSet(move, false)) {
            if (better.urgency() == Urgency.EVACUATION) {
                continue; // admitted whatever the budget when it is looked at again: the room is its own problem
            }
            if (better.bytes() > room) {
                return false;
            }
            room -= better.bytes();
            nothingCounted = false;
        }
        return move.bytes() <= room || nothingCounted && shareBytesPerHour > 0;
    }

    private long room() {
        return Math.max(0, shareBytesPerHour - countedBytes);
    }

    private void endOpenCopy(String key, long now) {
        Copy open = inFlight.remove(key);
        if (open != null) {
            Copy done = new Copy(open.key(), open.bytes(), open.admittedAt(), Math.max(now, open.admittedAt()));
            ended.add(done);
            journal.copy(done);
        }
    }

    private void addWaiting(Move move) {
        waitingByKey.put(move.key(), move);
        queue.add(move);
        waitingBytes += move.bytes();
    }

    private void removeWaiting(Move move) {
        waitingByKey.remove(move.key());
        queue.remove(move);
        waitingBytes -= move.bytes();
    }
}
