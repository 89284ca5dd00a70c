package io.tierflow.streams.domain;

import java.util.List;
import java.util.Optional;

/**
 * Scores a few feature vectors before a model is let in: one whose arithmetic overflows (a huge coefficient times a
 * large feature, infinities of opposite sign adding to NaN) would otherwise put NaN into every decision it makes.
 */
public final class ScorerProbe {
    /**
     * All zeros; a dataset never read (30 days idle); a typical busy one; and one with every feature at the far end of
     * what the topology produces.
     */
    static final List<Features> PROBES = List.of(
            new Features(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            new Features(0, 0, 30 * 86_400, 6, 3, 1, 0, 0, 0, 0, 0, Features.NO_READS_INTERARRIVAL_S, 0, 0, 0,
                    60 * 86_400, Features.NO_READS_INTERARRIVAL_S, 0),
            new Features(40, 300, 20, 8, 14, 3, 50, 30, 12, 0.2, 3, 90, 500, 40 * 86_400, 12.5, 60, 3_000, 30),
            new Features(1e6, 1e7, 1e9, 15, 23, 7, 1e7, 1e6, 1e6, 1e3, 64, Features.NO_READS_INTERARRIVAL_S, 1e9, 1e10,
                    1e9, 1e10, 1e10, 1e5));

    private ScorerProbe() {
    }

    /** Why {@code scorer} cannot be let in, or empty if every probe scores a probability. */
    public static Optional<String> problem(Scorer scorer) {
        for (Features probe : PROBES) {
            double p = scorer.score(probe);
            if (!(p >= 0 && p <= 1)) {
                return Optional.of("scores " + p + ", not a probability, on the probe " + probe.byName());
            }
        }
        return Optional.empty();
    }
}
