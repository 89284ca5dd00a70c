package io.tierflow.streams.domain;

/**
 * A dataset's history as a whole, which the decayed sums forget: reads counted since it was first seen, the time of
 * its first access, the newest access time before its last (0: none), and the UTC days on which it was accessed.
 * Whether a dataset is read again depends most on how often it has been read in its life, which a half-life of hours
 * cannot tell once a few of them have passed. Changed in place on every counted access.
 */
final class LifetimeHistory {
    private static final long DAY_MS = 24 * 3_600_000L;

    long totalReads;
    long firstAccess;
    long previousAccess;
    long activeDays;

    LifetimeHistory(long totalReads, long firstAccess, long previousAccess, long activeDays) {
        this.totalReads = totalReads;
        this.firstAccess = firstAccess;
        this.previousAccess = previousAccess;
        this.activeDays = activeDays;
    }

    /** What state saved before the history was kept tells: no more than its last access, every event a read. */
    static LifetimeHistory assumedFrom(long totalEvents, long lastAccess) {
        return new LifetimeHistory(totalEvents, lastAccess, 0, lastAccess == 0 ? 0 : 1);
    }

    LifetimeHistory copy() {
        return new LifetimeHistory(totalReads, firstAccess, previousAccess, activeDays);
    }

    /** One counted access at {@code eventTimeMs}; {@code lastAccess} is the newest before it (0: none). */
    void record(long eventTimeMs, boolean read, long lastAccess) {
        if (read) {
            totalReads++;
        }
        if (lastAccess == 0 || eventTimeMs < firstAccess) {
            firstAccess = eventTimeMs;
        }
        if (eventTimeMs > lastAccess) {
            previousAccess = lastAccess;
            if (lastAccess == 0 || Math.floorDiv(eventTimeMs, DAY_MS) > Math.floorDiv(lastAccess, DAY_MS)) {
                activeDays++;
            }
        } else if (eventTimeMs < lastAccess && eventTimeMs > previousAccess) {
            // A late access between the last two: it is now the one before the last. (A late access on a day with
            // no other is not counted as a day active: days are counted as the newest access moves on.)
            previousAccess = eventTimeMs;
        }
    }
}
