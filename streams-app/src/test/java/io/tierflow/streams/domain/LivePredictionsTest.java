package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LivePredictionsTest {
    private static final long H = 3_600_000L;
    private static final long T0 = 1_800_000_000_000L;

    private static ScoringModel model(String name, String version, long horizonMs, double threshold,
            Map<String, Double> metrics) {
        return new ScoringModel(name, new LogisticScorer(version, 0, List.of()), "read_within_horizon", horizonMs,
                threshold, metrics);
    }

    private static final ScoringModel CURRENT = model("current", "v1", 2 * H, 0.5,
            Map.of("brier", 0.2, "positive_rate", 0.5));

    @Test
    void shouldLabelByAnAccessAfterThePredictionAndSumPrecisionBrierAndCalibration() {
        LivePredictions live = new LivePredictions(100, H, 0.1);
        live.inForce(List.of(CURRENT));
        Map<String, Long> lastAccess = new HashMap<>(Map.of("a", T0 + H, "b", T0, "c", T0 - H, "d", T0 + 30 * 60_000));
        live.predicted("current", "a", T0, 0.9); // predicted, read: true positive
        live.predicted("current", "b", T0, 0.8); // predicted; last access is the one it was scored at: false positive
        live.predicted("current", "c", T0, 0.2); // not predicted, not read: true negative
        live.predicted("current", "d", T0, 0.4); // not predicted, read: false negative

        assertEquals(0, live.labelDue(T0 + 2 * H - 1, 100, lastAccess::get), "the horizon has not passed");
        assertEquals(4, live.figures().get(0).pending());
        assertEquals(4, live.labelDue(T0 + 2 * H, 100, lastAccess::get));

        LiveModelFigures f = live.figures().get(0);
        assertEquals(0, f.pending());
        assertEquals(4, f.labelled());
        assertEquals(2, f.positives());
        assertEquals(2, f.predictedPositives());
        assertEquals(1, f.truePositives());
        assertEquals(0.5, f.precision(), 1e-12);
        assertEquals(0.5, f.recall(), 1e-12);
        double brier = (0.1 * 0.1 + 0.8 * 0.8 + 0.2 * 0.2 + 0.6 * 0.6) / 4;
        assertEquals(brier, f.brier(), 1e-12);
        assertEquals((0.9 + 0.8 + 0.2 + 0.4) / 4, f.meanPredicted(), 1e-12);
        assertEquals(0.5, f.observedRate(), 1e-12);
        // brier 0.2625 is within 0.1 of the training 0.2, the observed rate equals the training rate.
        assertEquals(List.of(), f.driftReasons());
    }

    @Test
    void shouldFlagDriftWhenTheObservedRateOrTheBrierScoreLeavesTheMargin() {
        LivePredictions live = new LivePredictions(100, H, 0.1);
        live.inForce(List.of(CURRENT));
        for (int i = 0; i < 10; i++) {
            live.predicted("current", "k" + i, T0, 0.9); // confident, and nothing is read again
        }
        live.labelDue(T0 + 2 * H, 100, key -> T0 - 1);

        LiveModelFigures f = live.figures().get(0);
        assertEquals(0.0, f.observedRate());
        assertEquals(0.81, f.brier(), 1e-12);
        assertTrue(f.drifted());
        assertEquals(2, f.driftReasons().size(), f.driftReasons().toString());
        assertTrue(f.driftReasons().get(0).contains("observed rate 0.000"), f.driftReasons().get(0));
        assertEquals(0.0, f.precision(), "10 reads predicted, none came");

        LivePredictions unknown = new LivePredictions(100, H, 0.1);
        unknown.inForce(List.of(model("current", "v0", 0, 0.5, Map.of())));
        unknown.predicted("current", "x", T0, 0.9);
        unknown.labelDue(T0 + H, 100, key -> T0 - 1);
        assertFalse(unknown.figures().get(0).drifted(), "no training figures, nothing to drift from");
        assertEquals(1, unknown.figures().get(0).labelled(), "labelled after the default horizon");
    }

    @Test
    void shouldRememberOnePredictionPerDatasetAndNoMoreThanTheBound() {
        LivePredictions live = new LivePredictions(3, H, 0.1);
        live.inForce(List.of(CURRENT));
        live.predicted("current", "a", T0, 0.9);
        live.predicted("current", "a", T0 + 1, 0.1);
        live.predicted("current", "b", T0, 0.9);
        live.predicted("current", "c", T0, 0.9);
        live.predicted("current", "d", T0, 0.9);
        live.predicted("unknown", "e", T0, 0.9);

        LiveModelFigures f = live.figures().get(0);
        assertEquals(3, f.pending());
        assertEquals(1, f.skipped());
        assertEquals(1, live.figures().size());

        assertEquals(2, live.labelDue(T0 + 2 * H, 2, key -> T0 + 1), "at most the bound per call");
        assertEquals(1, live.labelDue(T0 + 2 * H, 2, key -> T0 + 1));
        live.predicted("current", "a", T0 + 5, 0.9);
        assertEquals(1, live.figures().get(0).pending(), "a labelled dataset may be predicted again");
        assertEquals(0.9 * 3, live.figures().get(0).sumPredicted(), 1e-12, "the first prediction for 'a' counted");
    }

    @Test
    void shouldDropTheDatasetsThatAreGoneAndForgetAModelReplaced() {
        LivePredictions live = new LivePredictions(10, H, 0.1);
        ScoringModel candidate = model("candidate", "c1", H, 0.3, Map.of());
        live.inForce(List.of(CURRENT, candidate));
        live.predicted("current", "gone", T0, 0.9);
        live.predicted("candidate", "kept", T0, 0.9);
        live.labelDue(T0 + 2 * H, 10, key -> key.equals("gone") ? Long.MIN_VALUE : T0 + 1);
        assertEquals(0, live.figures().get(0).labelled(), "a dataset deleted before its label is not counted");
        assertEquals(1, live.figures().get(1).labelled());

        live.inForce(List.of(CURRENT, candidate));
        assertEquals(1, live.figures().get(1).labelled(), "the same model in force keeps its figures");
        live.inForce(List.of(CURRENT, model("candidate", "c2", H, 0.3, Map.of())));
        assertEquals("c2", live.figures().get(1).version());
        assertEquals(0, live.figures().get(1).labelled(), "a new version starts afresh");
        live.inForce(List.of(CURRENT));
        assertEquals(List.of("current"), live.figures().stream().map(LiveModelFigures::name).toList());
    }

    /** Figures summed over tasks equal the figures of one task that saw every prediction. */
    @Test
    void shouldAddFiguresOfTheSameModelAcrossTasksAsOneTaskWouldCountThem() {
        Random random = new Random(7);
        LivePredictions all = new LivePredictions(10_000, H, 0.1);
        LivePredictions[] tasks = {new LivePredictions(10_000, H, 0.1), new LivePredictions(10_000, H, 0.1)};
        all.inForce(List.of(CURRENT));
        for (LivePredictions task : tasks) {
            task.inForce(List.of(CURRENT));
        }
        Map<String, Long> lastAccess = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            String key = "k" + i;
            double p = random.nextDouble();
            all.predicted("current", key, T0, p);
            tasks[i % 2].predicted("current", key, T0, p);
            lastAccess.put(key, random.nextBoolean() ? T0 + 1 : T0 - 1);
        }
        all.labelDue(T0 + 2 * H, 10_000, lastAccess::get);
        for (LivePredictions task : tasks) {
            task.labelDue(T0 + 2 * H, 10_000, lastAccess::get);
        }
        LiveModelFigures sum = tasks[0].figures().get(0).plus(tasks[1].figures().get(0));
        LiveModelFigures one = all.figures().get(0);
        assertEquals(one.labelled(), sum.labelled());
        assertEquals(one.truePositives(), sum.truePositives());
        assertEquals(one.precision(), sum.precision(), 1e-12);
        assertEquals(one.brier(), sum.brier(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> sum.plus(new LiveModelFigures("current", "v2", 0.5, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0)));
    }
}
