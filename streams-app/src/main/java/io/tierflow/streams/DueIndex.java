package io.tierflow.streams;

/**
 * Keys of the due-index store: {@code <19-digit due time>|<dataset key>}, so the store's byte order is due-time
 * order and the punctuator finds what is due with one range scan instead of a scan of every dataset.
 */
final class DueIndex {
    private static final int DIGITS = 19;

    private DueIndex() {
    }

    static String entry(long dueAtMs, String datasetKey) {
        return String.format("%0" + DIGITS + "d|%s", dueAtMs, datasetKey);
    }

    /** Exclusive-enough upper bound: every entry due at or before {@code nowMs} sorts below it. */
    static String upperBound(long nowMs) {
        return String.format("%0" + DIGITS + "d", nowMs + 1);
    }

    static long dueAt(String entry) {
        return Long.parseLong(entry.substring(0, DIGITS));
    }

    static String datasetKey(String entry) {
        return entry.substring(DIGITS + 1);
    }
}
