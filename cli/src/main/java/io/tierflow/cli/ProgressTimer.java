package io.tierflow.cli;

import java.time.Duration;
import java.util.Locale;

/** Says when the next progress line of {@code tierflow produce} is due, and formats what such lines show. */
final class ProgressTimer {
    /** How often progress is printed while producing. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private long next = System.nanoTime() + PROGRESS_EVERY.toNanos();

    boolean due() {
        long now = System.nanoTime();
        if (now < next) {
            return false;
        }
        next = now + PROGRESS_EVERY.toNanos();
        return true;
    }

    static String clock(double seconds) {
        long s = (long) seconds;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}
