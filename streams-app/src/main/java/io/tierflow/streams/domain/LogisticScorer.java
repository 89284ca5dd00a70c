package io.tierflow.streams.domain;

import java.util.List;
import java.util.Objects;

/**
 * {@code p = sigmoid(intercept + sum(coefficient * (feature - mean) / scale))}. The features are looked up by number,
 * resolved once here, so scoring is a loop over flat arrays.
 */
public final class LogisticScorer implements Scorer {

    /** One feature's standardisation and coefficient. */
    public record Weight(String feature, double mean, double scale, double coefficient) {
    }

    /**
     * Applies until a model is published: recent activity, heat and the forecast raise the score, a long time
     * since the last access lowers it. Hand-set, not trained; `tierflow train` publishes a fitted one.
     */
    public static final LogisticScorer BUILT_IN = new LogisticScorer("built-in-1", -2.0, List.of(
            new Weight("count_1h", 2.0, 5.0, 0.9),
            new Weight("count_24h", 10.0, 40.0, 0.4),
            new Weight("recency_s", 3_600.0, 3_600.0, -0.8),
            new Weight("heat", 5.0, 10.0, 0.7),
            new Weight("forecast", 2.0, 5.0, 0.6)));

    private final String version;
    private final double intercept;
    private final List<Weight> weights;
    private final int[] featureIndex;
    private final double[] mean;
    private final double[] scale;
    private final double[] coefficient;

    /**
     * @throws IllegalArgumentException if a weight names a feature {@link Features} does not have (see
     *     {@code ModelLoader}, which says so before constructing)
     */
    public LogisticScorer(String version, double intercept, List<Weight> weights) {
        this.version = version;
        this.intercept = intercept;
        this.weights = List.copyOf(weights);
        int n = weights.size();
        featureIndex = new int[n];
        mean = new double[n];
        scale = new double[n];
        coefficient = new double[n];
        for (int i = 0; i < n; i++) {
            Weight w = weights.get(i);
            featureIndex[i] = Features.index(w.feature())
                    .orElseThrow(() -> new IllegalArgumentException("unknown feature '" + w.feature() + "'"));
            mean[i] = w.mean();
            scale[i] = w.scale() == 0 ? 1.0 : w.scale();
            coefficient[i] = w.coefficient();
        }
    }

    @Override
    public String version() {
        return version;
    }

    public double intercept() {
        return intercept;
    }

    public List<Weight> weights() {
        return weights;
    }

    @Override
    public double score(Features features) {
        double z = intercept;
        for (int i = 0; i < featureIndex.length; i++) {
            z += coefficient[i] * (features.valueAt(featureIndex[i]) - mean[i]) / scale[i];
        }
        return 1.0 / (1.0 + Math.exp(-z));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogisticScorer other && version.equals(other.version)
                && Double.compare(intercept, other.intercept) == 0 && weights.equals(other.weights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, intercept, weights);
    }

    @Override
    public String toString() {
        return "LogisticScorer[" + version + "]";
    }
}
