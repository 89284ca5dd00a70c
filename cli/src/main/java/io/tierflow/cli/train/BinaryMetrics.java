package io.tierflow.cli.train;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Ranking and calibration metrics of scores against binary outcomes. Written here because xgboost4j evaluates only
 * its own boosters' predictions on its own matrices, and the heuristics (recency, 24 h count, heat) and the published
 * tree walk must be measured by the same code as the models.
 */
public final class BinaryMetrics {
    private BinaryMetrics() {
    }

    /** A point of a curve: x and y, e.g. false and true positive rate. */
    public record CurvePoint(double x, double y) {
    }

    /**
     * ROC-AUC: the probability that a random positive scores above a random negative, ties counting half (the
     * Mann-Whitney statistic with average ranks). NaN when either class is missing.
     */
    public static double rocAuc(double[] scores, boolean[] labels) {
        Integer[] order = byScore(scores);
        double rankSumPositives = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1; // ranks 1-based, ascending by score
            for (int k = i; k <= j; k++) {
                if (labels[order[k]]) {
                    rankSumPositives += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = order.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * PR-AUC as average precision: the precision at each distinct score threshold weighted by the recall it adds,
     * tied scores taken as one threshold (no interpolation, which would overstate it). NaN without positives.
     */
    public static double prAuc(double[] scores, boolean[] labels) {
        Integer[] order = byScoreDescending(scores);
        long positives = count(labels);
        if (positives == 0) {
            return Double.NaN;
        }
        double area = 0;
        long truePositives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            long added = 0;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                added += labels[order[j]] ? 1 : 0;
                j++;
            }
            truePositives += added;
            area += (truePositives / (double) j) * (added / (double) positives);
            i = j;
        }
        return area;
    }

    /** The ROC curve, one point per distinct threshold, from (0, 0) to (1, 1). */
    public static CurvePoint[] rocCurve(double[] scores, boolean[] labels) {
        Integer[] order = byScoreDescending(scores);
        long positives = count(labels);
        long negatives = labels.length - positives;
        java.util.List<CurvePoint> curve = new java.util.ArrayList<>();
        curve.add(new CurvePoint(0, 0));
        long tp = 0;
        long fp = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                if (labels[order[j]]) {
                    tp++;
                } else {
                    fp++;
                }
                j++;
            }
            curve.add(new CurvePoint(fp / (double) Math.max(1, negatives), tp / (double) Math.max(1, positives)));
            i = j;
        }
        return curve.toArray(CurvePoint[]::new);
    }

    /** The precision-recall curve (x recall, y precision), one point per distinct threshold. */
    public static CurvePoint[] prCurve(double[] scores, boolean[] labels) {
        Integer[] order = byScoreDescending(scores);
        long positives = count(labels);
        java.util.List<CurvePoint> curve = new java.util.ArrayList<>();
        long tp = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                tp += labels[order[j]] ? 1 : 0;
                j++;
            }
            curve.add(new CurvePoint(tp / (double) Math.max(1, positives), tp / (double) j));
            i = j;
        }
        return curve.toArray(CurvePoint[]::new);
    }

    /** F1 of predicting positive when the score is at least {@code threshold}. */
    public static double f1(double[] scores, boolean[] labels, double threshold) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] >= threshold;
            if (predicted && labels[i]) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (labels[i]) {
                fn++;
            }
        }
        return tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** Share of the points scored at or above {@code threshold} that were positive; NaN when none is. */
    public static double precision(double[] scores, boolean[] labels, double threshold) {
        long predicted = 0;
        long tp = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] >= threshold) {
                predicted++;
                tp += labels[i] ? 1 : 0;
            }
        }
        return predicted == 0 ? Double.NaN : tp / (double) predicted;
    }

    /**
     * The threshold with the highest F1 on these scores (the lowest such, at a tie): chosen on the training split,
     * then applied unchanged to the test split.
     */
    public static double bestF1Threshold(double[] scores, boolean[] labels) {
        Integer[] order = byScoreDescending(scores);
        long positives = count(labels);
        double best = -1;
        double threshold = order.length == 0 ? 0.5 : scores[order[0]];
        long tp = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                tp += labels[order[j]] ? 1 : 0;
                j++;
            }
            // predicting positive for the top j: fp = j - tp, fn = positives - tp
            double f1 = tp == 0 ? 0 : 2.0 * tp / (j + positives);
            if (f1 >= best) {
                best = f1;
                threshold = scores[order[i]];
            }
            i = j;
        }
        return threshold;
    }

    /** Mean squared difference between the scores, read as probabilities, and the outcomes. */
    public static double brier(double[] probabilities, boolean[] labels) {
        double sum = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double d = probabilities[i] - (labels[i] ? 1 : 0);
            sum += d * d;
        }
        return sum / probabilities.length;
    }

    private static long count(boolean[] labels) {
        long n = 0;
        for (boolean label : labels) {
            n += label ? 1 : 0;
        }
        return n;
    }

    private static Integer[] byScore(double[] scores) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        return order;
    }

    private static Integer[] byScoreDescending(double[] scores) {
        Integer[] order = byScore(scores);
        for (int i = 0, j = order.length - 1; i < j; i++, j--) {
            Integer t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
