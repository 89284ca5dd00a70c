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
        return padded(dueAtMs) + "|" + datasetKey;
    }

    /** Exclusive-enough upper bound: every entry due at or before {@code nowMs} sorts below it. */
    static String upperBound(long nowMs) {
        return padded(nowMs + 1);
    }

    /** Zero-padded to 19 digits; by hand because String.format costs more than the rest of an index update. */
    private static String padded(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("due time before the epoch: " + ms);
        }
        String digits = Long.toString(ms);
        return "0".repeat(DIGITS - digits.length()) + digits;
    }

    static long dueAt(String entry) {
        return Long.parseLong(entry.substring(0, DIGITS));
    }

    static String datasetKey(String entry) {
        return entry.substring(DIGITS + 1);
    }
}
