package io.tierflow.cli.train;

import static io.tierflow.cli.train.PlantedTrace.DAY_MS;
import static io.tierflow.cli.train.PlantedTrace.HOUR_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.TieringPolicy;
import org.junit.jupiter.api.Test;

class TrainingRunTest {
    private static final long T0 = 1_767_225_600_000L;

    /** 30 days of 210 datasets: ~15 000 points, as in TrainCommandTest (why there). */
    private static LabelledTable planted() {
        LabelledTableBuilder builder = new LabelledTableBuilder(new LabelledTableBuilder.Settings(
                TieringPolicy.BUILT_IN, DAY_MS, 6 * HOUR_MS, 200_000, size -> 2 * DAY_MS));
        PlantedTrace.feed(PlantedTrace.generate(10, 200, 30, 11), T0, builder);
        return builder.build((done, total) -> { });
    }

    @Test
    void shouldRecoverAPlantedRule() {
        TrainingRun.Outcome outcome = TrainingRun.run(planted(), 0.3, 1);

        for (TrainingRun.Scored model : outcome.models()) {
            assertTrue(model.rocAuc() >= 0.95, model.name() + " ROC-AUC " + model.rocAuc());
            assertTrue(model.brier() < 0.1, model.name() + " Brier " + model.brier());
        }
        assertTrue(outcome.trees().maxDifferenceFromBooster() < 1e-5,
                "the exported trees score as xgboost does: " + outcome.trees().maxDifferenceFromBooster());
        assertEquals(4, outcome.heuristics().size());
    }

    @Test
    void shouldScoreChanceOnShuffledLabels() {
        TrainingRun.Outcome outcome = TrainingRun.run(planted().withShuffledLabels(5), 0.3, 1);

        for (TrainingRun.Scored scored : outcome.models()) {
            assertTrue(scored.rocAuc() > 0.4 && scored.rocAuc() < 0.6, scored.name() + " " + scored.rocAuc());
        }
        for (TrainingRun.Scored scored : outcome.heuristics()) {
            assertTrue(scored.rocAuc() > 0.4 && scored.rocAuc() < 0.6, scored.name() + " " + scored.rocAuc());
        }
    }
}
