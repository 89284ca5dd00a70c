package io.tierflow.streams.domain;

import java.util.Map;

/**
 * A published model ready to score: its scorer and what it was trained for, which live accounting compares it with.
 *
 * @param name the key it was published under ({@code current}, or a candidate's name)
 * @param target what the probability is of ({@code hot_soon}, {@code read_within_horizon})
 * @param horizonMs how far ahead the target looks; 0 when it has no horizon
 * @param threshold the decision threshold chosen at training: a probability at or above it predicts a read
 * @param trainingMetrics metrics measured at training time ({@code brier}, {@code positive_rate}, ...)
 */
public record ScoringModel(String name, Scorer scorer, String target, long horizonMs, double threshold,
        Map<String, Double> trainingMetrics) {
    public static final String CURRENT = "current";

    /** The hand-set scorer in force until a model is published. */
    public static final ScoringModel BUILT_IN = new ScoringModel(CURRENT, LogisticScorer.BUILT_IN, "hot_soon", 0, 0.5,
            Map.of());

    public ScoringModel {
        trainingMetrics = Map.copyOf(trainingMetrics);
    }

    public String version() {
        return scorer.version();
    }
}
