package io.tierflow.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The metrics against their definitions computed the slow obvious way, on random cases with many ties. */
class BinaryMetricsTest {

    @Test
    void shouldAgreeWithTheDefinitionsOnRandomCases() {
        Random random = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            int n = 2 + random.nextInt(60);
            double[] scores = new double[n];
            boolean[] labels = new boolean[n];
            int distinct = 1 + random.nextInt(12); // few distinct scores: many ties
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(distinct) / (double) distinct;
                labels[i] = random.nextDouble() < 0.3 + 0.4 * scores[i];
            }
            labels[0] = true;
            labels[1] = false;

            assertEquals(pairwiseAuc(scores, labels), BinaryMetrics.rocAuc(scores, labels), 1e-12);
            assertEquals(averagePrecision(scores, labels), BinaryMetrics.prAuc(scores, labels), 1e-12);
            double threshold = BinaryMetrics.bestF1Threshold(scores, labels);
            double best = BinaryMetrics.f1(scores, labels, threshold);
            for (double s : scores) {
                assertTrue(BinaryMetrics.f1(scores, labels, s) <= best + 1e-12, "a threshold with a higher F1");
            }
            assertEquals(trapezoidArea(BinaryMetrics.rocCurve(scores, labels)), BinaryMetrics.rocAuc(scores, labels),
                    1e-12, "the ROC curve encloses the AUC");
        }
    }

    @Test
    void shouldScoreThePerfectTheReversedAndTheCalibrated() {
        double[] scores = {0.9, 0.8, 0.2, 0.1};
        boolean[] labels = {true, true, false, false};
        assertEquals(1.0, BinaryMetrics.rocAuc(scores, labels));
        assertEquals(1.0, BinaryMetrics.prAuc(scores, labels));
        assertEquals(0.0, BinaryMetrics.rocAuc(scores, new boolean[] {false, false, true, true}));
        assertEquals((0.01 + 0.04 + 0.04 + 0.01) / 4, BinaryMetrics.brier(scores, labels), 1e-12);
        assertEquals(0.8, BinaryMetrics.bestF1Threshold(scores, labels));
        assertEquals(Double.NaN, BinaryMetrics.rocAuc(scores, new boolean[4]));
    }

    private static double pairwiseAuc(double[] scores, boolean[] labels) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (labels[i] && !labels[j]) {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        return wins / pairs;
    }

    /** Sum over distinct thresholds t of precision(score >= t) times the recall gained at t. */
    private static double averagePrecision(double[] scores, boolean[] labels) {
        long positives = 0;
        for (boolean l : labels) {
            positives += l ? 1 : 0;
        }
        double[] thresholds = java.util.Arrays.stream(scores).distinct().sorted().toArray();
        double area = 0;
        double previousRecall = 0;
        for (int k = thresholds.length - 1; k >= 0; k--) {
            long tp = 0;
            long predicted = 0;
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] >= thresholds[k]) {
                    predicted++;
                    tp += labels[i] ? 1 : 0;
                }
            }
            double recall = tp / (double) positives;
            area += (recall - previousRecall) * tp / (double) predicted;
            previousRecall = recall;
        }
        return area;
    }

    private static double trapezoidArea(BinaryMetrics.CurvePoint[] curve) {
        double area = 0;
        for (int i = 1; i < curve.length; i++) {
            area += (curve[i].x() - curve[i - 1].x()) * (curve[i].y() + curve[i - 1].y()) / 2;
        }
        return area;
    }
}
