package io.tierflow.bench;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress lines of a benchmark, time-stamped, on stderr; stdout is left to the summary line. */
final class Progress {
    /** How often long phases report. */
    static final long EVERY_NANOS = 5_000_000_000L;
    /** Always with seconds: LocalTime.toString drops them when they are zero. */
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;
    private final String suite;

    Progress(PrintStream out, String suite) {
        this.out = out;
        this.suite = suite;
    }

    void say(String format, Object... args) {
        out.printf("%s bench %s: %s%n", LocalTime.now().format(CLOCK), suite,
                String.format(format, args));
        out.flush();
    }

    /** {@code 1234567} as {@code 1.23M}, {@code 98765} as {@code 98.8k}: for progress lines, not the summary. */
    static String count(double n) {
        if (Math.abs(n) >= 1e6) {
            return String.format("%.2fM", n / 1e6);
        }
        if (Math.abs(n) >= 1e3) {
            return String.format("%.1fk", n / 1e3);
        }
        return String.format("%.0f", n);
    }
}
