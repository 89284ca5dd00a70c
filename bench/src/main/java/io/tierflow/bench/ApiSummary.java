package io.tierflow.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The figures of {@code bench api} and its summary line.
 *
 * @param local wrk against keys the node it asks owns
 * @param forwarded wrk against keys another node owns, asked of the same node (it forwards)
 * @param health wrk against {@code /health} of the same node: the reference, what the HTTP stack alone serves now
 * @param freshnessMs produce-to-visible time of each probe event, in milliseconds
 */
record ApiSummary(Wrk.Result local, Wrk.Result forwarded, Wrk.Result health, List<Double> freshnessMs) {
    ApiSummary {
        freshnessMs = List.copyOf(freshnessMs);
        if (freshnessMs.isEmpty()) {
            throw new IllegalArgumentException("no freshness probe was measured");
        }
    }

    /** The last line of the benchmark's output. */
    String line() {
        return String.format(Locale.ROOT,
                "api: local_rps=%d local_p99_ms=%.2f forwarded_rps=%d forwarded_p99_ms=%.2f freshness_p99_ms=%.1f "
                        + "health_rps=%d",
                Math.round(local.requestsPerSecond()), local.p99Ms(), Math.round(forwarded.requestsPerSecond()),
                forwarded.p99Ms(), percentile(freshnessMs, 99), Math.round(health.requestsPerSecond()));
    }

    /** The targets, each with whether it was met, for the progress output. */
    List<String> targets() {
        double freshnessP99 = percentile(freshnessMs, 99);
        return List.of(
                check("local_rps >= 20000", local.requestsPerSecond() >= 20_000),
                check("local_p99_ms <= 10", local.p99Ms() <= 10),
                check("freshness_p99_ms <= 1000", freshnessP99 <= 1000));
    }

    private static String check(String target, boolean met) {
        return target + (met ? ": met" : ": NOT met");
    }

    /** Nearest-rank percentile: the smallest value with at least {@code p} % of the values at or below it. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to take a percentile of");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is in (0, 100], not " + p);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(rank - 1);
    }
}
