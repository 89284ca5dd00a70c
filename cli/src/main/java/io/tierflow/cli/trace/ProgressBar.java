package io.tierflow.cli.trace;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr: share of the input read, requests per second and time left, redrawn in place
 * at most every {@code everyNanos}. Time left is from the bytes read so far, as the request count is not known
 * before the end.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final String label;
    private final long totalBytes;
    private final long everyNanos;
    private final long startNanos;
    private long nextNanos;
    private boolean drawn;

    public ProgressBar(PrintWriter err, String label, long totalBytes, long everyNanos, long nowNanos) {
        this.err = err;
        this.label = label;
        this.totalBytes = totalBytes;
        this.everyNanos = everyNanos;
        this.startNanos = nowNanos;
        this.nextNanos = nowNanos + everyNanos;
    }

    /** Redraws if due. */
    public void update(long bytesRead, long requests, long nowNanos) {
        if (nowNanos < nextNanos) {
            return;
        }
        nextNanos = nowNanos + everyNanos;
        err.print("\r" + line(bytesRead, requests, nowNanos));
        err.flush();
        drawn = true;
    }

    /** Ends the bar's line, if one was drawn, so what follows starts on its own line. */
    public void finish(long bytesRead, long requests, long nowNanos) {
        if (drawn) {
            err.println("\r" + line(bytesRead, requests, nowNanos));
            err.flush();
        }
    }

    String line(long bytesRead, long requests, long nowNanos) {
        double elapsed = Math.max(nowNanos - startNanos, 1) / 1e9;
        double done = totalBytes <= 0 ? 0 : Math.min(1.0, bytesRead / (double) totalBytes);
        int filled = (int) Math.round(done * WIDTH);
        String eta = done <= 0 ? "--:--" : clock(elapsed / done - elapsed);
        return String.format(Locale.ROOT, "%s [%s%s] %3.0f%% %,d requests, %,.0f/s, ETA %s", label,
                "#".repeat(filled), " ".repeat(WIDTH - filled), done * 100, requests, requests / elapsed, eta);
    }

    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
