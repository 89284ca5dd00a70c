package io.tierflow.cli.train;

import static io.tierflow.cli.train.PlantedTrace.DAY_MS;
import static io.tierflow.cli.train.PlantedTrace.HOUR_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.Model;
import io.tierflow.streams.RecordMapping;
import io.tierflow.streams.domain.Activity;
import io.tierflow.streams.domain.Features;
import io.tierflow.streams.domain.ScoringModel;
import io.tierflow.streams.domain.TieringPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published record, loaded by the streams app's own mapping, scores what the trained model scored: on the test
 * points and on thousands of random activities, to the last bit for the trees.
 */
class ModelRecordsTest {
    private static final long T0 = 1_767_225_600_000L;
    private static LabelledTable table;
    private static TrainingRun.Outcome outcome;

    @BeforeAll
    static void train() {
        LabelledTableBuilder builder = new LabelledTableBuilder(new LabelledTableBuilder.Settings(
                TieringPolicy.BUILT_IN, DAY_MS, 6 * HOUR_MS, 100_000, size -> DAY_MS));
        PlantedTrace.feed(PlantedTrace.generate(30, 500, 20, 4), T0, builder);
        table = builder.build((done, total) -> { });
        outcome = TrainingRun.run(table, 0.3, 1);
    }

    private static Model record(String modelName) {
        TrainingRun.Scored scored = outcome.models().stream().filter(s -> s.name().equals(modelName)).findFirst()
                .orElseThrow();
        return ModelRecords.of("candidate", outcome.model(modelName), table.featureNames(), table.horizonMs(),
                scored.threshold(), Map.of("auc", scored.rocAuc(), "brier", scored.brier()),
                Instant.parse("2026-12-07T12:00:00Z"));
    }

    @Test
    void shouldBeScoredByTheStreamsAppAsTrained() {
        for (String name : List.of(TrainingRun.LOGISTIC, TrainingRun.TREES)) {
            Model model = record(name);
            ScoringModel loaded = RecordMapping.scoringModel("candidate", model);
            TrainedModel trained = outcome.model(name);

            assertEquals(trained.kind(), model.getKind());
            assertEquals("read_within_horizon", loaded.target());
            assertEquals(DAY_MS, loaded.horizonMs());
            assertTrue(model.getVersion().matches("train-20261207T120000Z-[0-9a-f]{8}"), model.getVersion());
            Random random = new Random(3);
            for (int i = 0; i < 5_000; i++) {
                Features features = randomFeatures(random);
                double[] inTableOrder = table.featureNames().stream().mapToDouble(features::get).toArray();
                assertEquals(trained.probability(inTableOrder), loaded.scorer().score(features),
                        name.equals(TrainingRun.TREES) ? 0 : 1e-12, name + " on " + features);
            }
        }
    }

    @Test
    void shouldNameTheSameModelTheSameWay() {
        Model first = record(TrainingRun.TREES);
        Model again = record(TrainingRun.TREES);
        Model other = record(TrainingRun.LOGISTIC);

        assertEquals(first.getVersion(), again.getVersion());
        assertTrue(!first.getVersion().equals(other.getVersion()));
    }

    /** The features of an activity that saw a random burst of accesses, taken at a random later time. */
    private static Features randomFeatures(Random random) {
        Activity activity = new Activity();
        long t = T0;
        int events = random.nextInt(30);
        for (int e = 0; e < events; e++) {
            t += (long) (random.nextDouble() * random.nextDouble() * 12 * HOUR_MS);
            activity.record(t, random.nextInt(5) == 0 ? "PUT" : "GET", random.nextInt(100_000_000),
                    random.nextBoolean() ? "eu-west" : "us-east", null, TieringPolicy.BUILT_IN, t);
        }
        return activity.features(t + (long) (random.nextDouble() * 3 * DAY_MS), 1 + random.nextInt(200_000_000),
                TieringPolicy.BUILT_IN.halfLifeMs());
    }
}
