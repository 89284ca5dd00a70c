package io.tierflow.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The output of bash's {@code times} built-in, which the benchmarks use for the CPU time of the tools they run. */
final class BashTimes {
    private BashTimes() {
    }

    /** User + system time of the children from bash's {@code times} (its last line, e.g. "0m12.5s 0m3.1s"). */
    static long childCpuNanos(String output) {
        String[] lines = output.strip().split("\n");
        String[] fields = lines[lines.length - 1].strip().split("\\s+");
        if (fields.length != 2) {
            throw new IllegalStateException("no CPU times at the end of the command's output: " + output);
        }
        long total = 0;
        for (String field : fields) {
            Matcher m = Pattern.compile("(\\d+)m([\\d.]+)s").matcher(field);
            if (!m.matches()) {
                throw new IllegalStateException("not a time from bash's times: '" + field + "'");
            }
            total += Long.parseLong(m.group(1)) * 60_000_000_000L + Math.round(Double.parseDouble(m.group(2)) * 1e9);
        }
        return total;
    }
}
