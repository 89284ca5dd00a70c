package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a model's predictions compared with what happened, over the predictions whose horizon has passed: sums that add
 * across tasks and instances ({@link #plus}), and the precision, Brier score and calibration derived from them.
 *
 * @param name the key the model is published under
 * @param version its version
 * @param threshold its decision threshold: a probability at or above it predicts a read
 * @param trainingBrier the Brier score measured at training ({@code brier} in its metrics), NaN if not published
 * @param trainingPositiveRate the share of positives at training ({@code positive_rate}), NaN if not published
 * @param driftMargin how far the live observed rate or Brier score may be from the training figures before drift is
 *     flagged
 * @param pending predictions whose horizon has not passed yet
 * @param skipped predictions not remembered because the task's bound was reached
 * @param labelled predictions whose horizon passed, labelled by whether the dataset was accessed within it
 * @param positives labelled predictions followed by an access
 * @param predictedPositives labelled predictions at or above the threshold
 * @param truePositives labelled predictions at or above the threshold followed by an access
 * @param sumPredicted sum of the labelled predictions' probabilities
 * @param sumSquaredError sum of (probability - label)^2 over the labelled predictions
 */
public record LiveModelFigures(String name, String version, double threshold, double trainingBrier,
        double trainingPositiveRate, double driftMargin, long pending, long skipped, long labelled, long positives,
        long predictedPositives, long truePositives, double sumPredicted, double sumSquaredError) {

    /** The figures of the same model (name and version) elsewhere added to these. */
    public LiveModelFigures plus(LiveModelFigures other) {
        if (!name.equals(other.name) || !version.equals(other.version)) {
            throw new IllegalArgumentException("figures of " + name + " " + version + " and " + other.name + " "
                    + other.version + " do not add up");
        }
        return new LiveModelFigures(name, version, threshold, trainingBrier, trainingPositiveRate, driftMargin,
                pending + other.pending, skipped + other.skipped, labelled + other.labelled,
                positives + other.positives, predictedPositives + other.predictedPositives,
                truePositives + other.truePositives, sumPredicted + other.sumPredicted,
                sumSquaredError + other.sumSquaredError);
    }

    /** Share of the predicted reads that came; NaN while nothing was predicted positive. */
    public double precision() {
        return predictedPositives == 0 ? Double.NaN : (double) truePositives / predictedPositives;
    }

    /** Share of the reads that came that were predicted; NaN while none came. */
    public double recall() {
        return positives == 0 ? Double.NaN : (double) truePositives / positives;
    }

    /** Mean squared error of the probabilities; NaN while nothing is labelled. */
    public double brier() {
        return labelled == 0 ? Double.NaN : sumSquaredError / labelled;
    }

    /** Mean predicted probability; with {@link #observedRate} the calibration. NaN while nothing is labelled. */
    public double meanPredicted() {
        return labelled == 0 ? Double.NaN : sumPredicted / labelled;
    }

    /** Share of the labelled predictions followed by an access; NaN while nothing is labelled. */
    public double observedRate() {
        return labelled == 0 ? Double.NaN : (double) positives / labelled;
    }

    /**
     * Why the live figures depart from the training ones by more than the margin: the observed rate from the training
     * positive rate, the live Brier score from the training one. Empty while nothing is labelled, and for a figure the
     * model was published without.
     */
    public List<String> driftReasons() {
        List<String> reasons = new ArrayList<>();
        if (labelled == 0) {
            return reasons;
        }
        if (Double.isFinite(trainingPositiveRate) && Math.abs(observedRate() - trainingPositiveRate) > driftMargin) {
            reasons.add(String.format(Locale.ROOT, "observed rate %.3f is more than %.3f from the training rate %.3f",
                    observedRate(), driftMargin, trainingPositiveRate));
        }
        if (Double.isFinite(trainingBrier) && Math.abs(brier() - trainingBrier) > driftMargin) {
            reasons.add(String.format(Locale.ROOT, "live Brier score %.3f is more than %.3f from the training score %.3f", brier(),
                    driftMargin, trainingBrier));
        }
        return reasons;
    }

    public boolean drifted() {
        return !driftReasons().isEmpty();
    }
}
