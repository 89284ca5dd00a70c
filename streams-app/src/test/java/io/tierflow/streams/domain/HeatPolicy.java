package io.tierflow.streams.domain;

import java.util.Map;

/** Policies deciding by heat for the tests about that decision (the built-in policy decides by cost). */
final class HeatPolicy {
    /** The built-in policy's settings from before the cost decision became the default: six-hour half-life, 30 days. */
    static final TieringPolicy DEFAULTS = new TieringPolicy("heat", 6 * 3_600_000L,
            Map.of("GET", 1.0, "PUT", 0.5, "HEAD", 0.1, "LIST", 0.1, "DELETE", 0.0), 0.0, 20.0, 2.0, 0.25, 5.0, 2, 1,
            1, 50.0, false, 15 * 60_000L, 30.0, 3_600_000L, 5 * 60_000L, TieringPolicy.Decision.HEAT);

    private HeatPolicy() {
    }
}
