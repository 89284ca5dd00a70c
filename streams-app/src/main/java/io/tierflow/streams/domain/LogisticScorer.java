package io.tierflow.streams.domain;

import java.util.List;

/**
 * {@code p_hot_soon = sigmoid(intercept + sum(coefficient * (feature - mean) / scale))}.
 *
 * @param version carried into every decision the scorer made
 */
public record LogisticScorer(String version, double intercept, List<Weight> weights) {

    /** One feature's standardisation and coefficient. */
    public record Weight(String feature, double mean, double scale, double coefficient) {
    }

    /**
     * Applies until a model is published: recent activity, heat and the forecast raise the score, a long time
     * since the last access lowers it. Hand-set, not trained; `tierflow train` will publish a fitted one.
     */
    public static final LogisticScorer BUILT_IN = new LogisticScorer("built-in-1", -2.0, List.of(
            new Weight("count_1h", 2.0, 5.0, 0.9),
            new Weight("count_24h", 10.0, 40.0, 0.4),
            new Weight("recency_s", 3_600.0, 3_600.0, -0.8),
            new Weight("heat", 5.0, 10.0, 0.7),
            new Weight("forecast", 2.0, 5.0, 0.6)));

    public double score(Features features) {
        double z = intercept;
        for (Weight w : weights) {
            double scale = w.scale() == 0 ? 1.0 : w.scale();
            z += w.coefficient() * (features.get(w.feature()) - w.mean()) / scale;
        }
        return 1.0 / (1.0 + Math.exp(-z));
    }
}
