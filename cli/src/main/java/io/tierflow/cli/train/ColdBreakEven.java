package io.tierflow.cli.train;

import io.tierflow.streams.domain.cost.ClassPrices;

/**
 * How long an object must then go unread for a move from the hot class into the cold class of one site to have paid
 * off: the shortest idle time {@code t} at which staying cold, then coming back for the next read, costs less than
 * staying hot. Staying cold costs the move down, cold storage for {@code t} but at least the class's minimum duration
 * (leaving earlier is charged the rest), and the move back up (its PUT and the cold class's retrieval of the object);
 * staying hot costs hot storage for {@code t}. Reads themselves are left out: the next read happens either way, and
 * its GET price difference is a fraction of a cent per thousand.
 *
 * <p>A re-access sooner than this is the second label of {@code tierflow train}: an object that comes back before it
 * should not have been moved.
 */
record ColdBreakEven(ClassPrices hot, ClassPrices cold) {
    private static final double GB = 1e9;
    private static final double MONTH_MS = 30.0 * 24 * 3_600_000;
    private static final double DAY_MS = 24.0 * 3_600_000;

    /** Milliseconds of idleness after which the cold class is the cheaper place for an object of {@code bytes}. */
    long breakEvenMs(long bytes) {
        double hotPerMs = hot.billableBytes(bytes) / GB * hot.storagePerGbMonth() / MONTH_MS;
        double coldPerMs = cold.billableBytes(bytes) / GB * cold.storagePerGbMonth() / MONTH_MS;
        double moves = hot.moveUsd(cold, bytes) + cold.moveUsd(hot, bytes);
        double minimumMs = cold.minimumStorageDays() * DAY_MS;
        if (hotPerMs <= coldPerMs) {
            return Long.MAX_VALUE; // never pays off: no storage saved
        }
        // Idle shorter than the minimum duration: cold storage is charged for the whole minimum.
        double withinMinimum = (moves + coldPerMs * minimumMs) / hotPerMs;
        if (withinMinimum <= minimumMs) {
            return (long) Math.ceil(withinMinimum);
        }
        return (long) Math.ceil(moves / (hotPerMs - coldPerMs));
    }
}
