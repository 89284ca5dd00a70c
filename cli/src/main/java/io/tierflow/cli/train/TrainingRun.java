package io.tierflow.cli.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Splits a labelled table by time, trains both models on the earlier part and measures them and the heuristics on the
 * later part. A threshold (for F1) is chosen on the training split by the highest F1 there and then applied to the
 * test split unchanged; nothing is chosen by looking at the test split, and the model published is the one with the
 * best test ROC-AUC among models measured the same way.
 */
public final class TrainingRun {
    /**
     * The heuristics the models must beat, each a score the topology already has: higher means "read sooner".
     * Uncalibrated, so they get no Brier score.
     */
    static final Map<String, String> HEURISTICS = heuristics();

    private static Map<String, String> heuristics() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("recency", "recency_s");
        h.put("count_24h", "count_24h");
        h.put("heat", "heat");
        // The lifetime read count alone ranks nearly as well as a model on the CDN sample: a model must beat it too.
        h.put("reads_so_far", "reads_so_far");
        return h;
    }

    /**
     * One model's or heuristic's figures on the test split.
     *
     * @param threshold score at or above which it predicts a read, chosen on the training split
     * @param brier null for a heuristic, whose score is no probability
     * @param testScores its score of every test point, in the split's order (for the charts)
     */
    public record Scored(String name, String score, double threshold, double rocAuc, double prAuc, double f1,
            double precision, Double brier, double[] testScores) {
    }

    /** What a run produced: the split, the models, and the figures of models and heuristics. */
    public record Outcome(TimeSplit split, TrainedModel.Logistic logistic, XgboostTrainer.TreesFit trees,
            List<Scored> models, List<Scored> heuristics, boolean[] testLabels) {

        /** The model with the best test ROC-AUC. */
        public Scored best() {
            Scored best = models.get(0);
            for (Scored s : models) {
                if (s.rocAuc() > best.rocAuc()) {
                    best = s;
                }
            }
            return best;
        }

        public TrainedModel model(String name) {
            return name.equals(LOGISTIC) ? logistic : trees.model();
        }
    }

    public static final String LOGISTIC = "logistic";
    public static final String TREES = "gradient_boosted_trees";

    private TrainingRun() {
    }

    public static Outcome run(LabelledTable table, double testFraction, long seed) {
        TimeSplit split = TimeSplit.of(table, testFraction);
        boolean[] trainLabels = labels(split.train());
        boolean[] testLabels = labels(split.test());
        TrainedModel.Logistic logistic = XgboostTrainer.logistic(table.featureNames(), split.train(), seed);
        XgboostTrainer.TreesFit trees = XgboostTrainer.trees(table.featureNames(), split.train(),
                table.horizonMs(), seed);
        List<Scored> models = List.of(
                measure(LOGISTIC, "probability", split, p -> logistic.probability(p.features()), trainLabels,
                        testLabels, true),
                measure(TREES, "probability", split, p -> trees.model().probability(p.features()), trainLabels,
                        testLabels, true));
        List<Scored> heuristics = new ArrayList<>();
        HEURISTICS.forEach((name, feature) -> {
            int index = table.featureNames().indexOf(feature);
            if (index < 0) {
                return; // the topology no longer has this feature: nothing to compare with
            }
            // Recency ranks the other way round: the longer since the last access, the less likely a read.
            double sign = feature.equals("recency_s") ? -1 : 1;
            String score = (sign < 0 ? "-" : "") + feature;
            heuristics.add(measure(name, score, split, p -> sign * p.features()[index], trainLabels, testLabels,
                    false));
        });
        return new Outcome(split, logistic, trees, models, heuristics, testLabels);
    }

    private static Scored measure(String name, String score, TimeSplit split, ToDoubleFunction<LabelledPoint> scorer,
            boolean[] trainLabels, boolean[] testLabels, boolean probability) {
        double[] trainScores = split.train().stream().mapToDouble(scorer).toArray();
        double[] testScores = split.test().stream().mapToDouble(scorer).toArray();
        double threshold = BinaryMetrics.bestF1Threshold(trainScores, trainLabels);
        return new Scored(name, score, threshold, BinaryMetrics.rocAuc(testScores, testLabels),
                BinaryMetrics.prAuc(testScores, testLabels), BinaryMetrics.f1(testScores, testLabels, threshold),
                BinaryMetrics.precision(testScores, testLabels, threshold),
                probability ? BinaryMetrics.brier(testScores, testLabels) : null, testScores);
    }

    private static boolean[] labels(List<LabelledPoint> points) {
        boolean[] labels = new boolean[points.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = points.get(i).readWithinHorizon();
        }
        return labels;
    }
}
