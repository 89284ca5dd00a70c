package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.FeatureWeight;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Tree;
import io.tierflow.schemas.TreeNode;
import io.tierflow.streams.domain.Features;
import io.tierflow.streams.domain.LogisticScorer;
import io.tierflow.streams.domain.ScoringModel;
import io.tierflow.streams.domain.TreeEnsembleScorer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Avro {@code Model} to scorer mapping, and every way it refuses a model that cannot score. */
class ModelMappingTest {
    private static final Features BUSY = new Features(40, 300, 20, 8, 14, 3, 50, 30, 12, 0.2, 3, 90, 500,
            40 * 86_400, 12.5, 60, 3_000, 30);

    static Model logistic(String version, double intercept, FeatureWeight... weights) {
        return Model.newBuilder().setName("current").setVersion(version).setIntercept(intercept)
                .setFeatures(List.of(weights)).setTrainedAt(Instant.parse("2026-12-01T00:00:00Z")).build();
    }

    static FeatureWeight weight(String name, double coefficient) {
        return FeatureWeight.newBuilder().setName(name).setCoefficient(coefficient).build();
    }

    static TreeNode split(String feature, double threshold, int left, int right) {
        return TreeNode.newBuilder().setFeature(feature).setThreshold(threshold).setLeft(left).setRight(right).build();
    }

    static TreeNode leaf(double value) {
        return TreeNode.newBuilder().setValue(value).build();
    }

    static Model trees(String version, TreeNode... nodes) {
        return Model.newBuilder(logistic(version, -0.5, weight("count_1h", 0), weight("recency_s", 0)))
                .setKind(StateMapper.GRADIENT_BOOSTED_TREES).setTarget("read_within_horizon")
                .setHorizonSeconds(7 * 86_400).setThreshold(0.3).setMetrics(Map.of("brier", 0.08))
                .setTrees(List.of(Tree.newBuilder().setNodes(List.of(nodes)).build())).build();
    }

    @Test
    void shouldMapALogisticModelAsBefore() {
        Model model = logistic("l-1", 0.5, weight("heat", 0.2), weight("bytes_read_gb", -0.1));

        ScoringModel mapped = StateMapper.scoringModel("current", model);

        LogisticScorer expected = new LogisticScorer("l-1", 0.5, List.of(new LogisticScorer.Weight("heat", 0, 1, 0.2),
                new LogisticScorer.Weight("bytes_read_gb", 0, 1, -0.1)));
        assertEquals(expected, mapped.scorer());
        assertEquals(1 / (1 + Math.exp(-(0.5 + 0.2 * 50 - 0.1 * 12))), mapped.scorer().score(BUSY), 1e-12);
        assertEquals("hot_soon", mapped.target(), "the schema's default for a model published before targets");
        assertEquals(0L, mapped.horizonMs());
        assertEquals(0.5, mapped.threshold());
        assertEquals(StateMapper.scoringModel("current", model), mapped, "an unchanged model maps to an equal one");
    }

    @Test
    void shouldMapATreeModelWithItsTargetHorizonAndThreshold() {
        Model model = trees("gbt-1", split("recency_s", 3_600, 1, 2), leaf(2.0), leaf(-3.0));

        ScoringModel mapped = StateMapper.scoringModel("candidate", model);

        assertInstanceOf(TreeEnsembleScorer.class, mapped.scorer());
        assertEquals(1 / (1 + Math.exp(-(-0.5 + 2.0))), mapped.scorer().score(BUSY), 1e-12, "recency 20 s: left");
        assertEquals("candidate", mapped.name());
        assertEquals("read_within_horizon", mapped.target());
        assertEquals(7 * 86_400_000L, mapped.horizonMs());
        assertEquals(0.3, mapped.threshold());
        assertEquals(Map.of("brier", 0.08), mapped.trainingMetrics());
        assertEquals(StateMapper.scoringModel("candidate", model), mapped);
    }

    @Test
    void shouldRefuseEachKindOfBrokenModelWithItsReason() {
        assertRefused("unknown kind 'random_forest'",
                Model.newBuilder(logistic("k", 0, weight("heat", 1))).setKind("random_forest").build());
        assertRefused("unknown feature 'temperature'", logistic("f", 0, weight("temperature", 1)));
        assertRefused("unknown feature 'temperature'", Model.newBuilder(trees("t", leaf(1)))
                .setFeatures(List.of(weight("temperature", 0))).build());
        assertRefused("unknown feature 'temperature'", trees("t", split("temperature", 1, 1, 2), leaf(0), leaf(1)));
        assertRefused("child 5, outside 0..2", trees("t", split("heat", 1, 1, 5), leaf(0), leaf(1)));
        assertRefused("leads to node 0 again", trees("t", split("heat", 1, 1, 0), leaf(0)));
        assertRefused("needs at least one tree", Model.newBuilder(trees("t", leaf(1))).setTrees(List.of()).build());
        assertRefused("intercept must be a finite number", logistic("i", Double.NaN, weight("heat", 1)));
        assertRefused("coefficient of feature 'heat' must be a finite number",
                logistic("c", 0, weight("heat", Double.POSITIVE_INFINITY)));
        assertRefused("leaf value must be a finite number", trees("t", leaf(Double.NaN)));
        assertRefused("threshold must be a probability", Model.newBuilder(trees("t", leaf(1))).setThreshold(1.5)
                .build());
        // Every number finite, but heat and count_1h at their probes' far end make +inf and -inf, which add to NaN.
        assertRefused("not a probability", logistic("overflow", 0, weight("heat", 1e303), weight("count_1h", -1e303)));
    }

    private static void assertRefused(String reason, Model model) {
        Optional<String> problem = StateMapper.modelProblem("current", model);
        assertTrue(problem.isPresent(), () -> "accepted a model that should fail with '" + reason + "'");
        assertTrue(problem.get().contains(reason), () -> "expected '" + reason + "' in: " + problem.get());
    }
}
