package io.tierflow.streams;

import static io.tierflow.streams.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.FeatureWeight;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Tier;
import io.tierflow.schemas.TreeNode;
import io.tierflow.streams.domain.LiveModelFigures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout of published models on the topology: a candidate scores in shadow and changes no decision, every model's
 * predictions are labelled once their horizon passes, and a model that cannot score is refused while the one in force
 * stays.
 */
@ExtendWith(InMemoryRegistry.class)
class ModelRolloutTest {
    private static final long GB = 1_000_000_000L;
    /** Would call every dataset hot soon: p = sigmoid(6) before any read. */
    private static final Model EAGER = ModelMappingTest.logistic("eager-1", 6.0,
            ModelMappingTest.weight("count_1h", 0.1));

    @TempDir
    Path stateDir;

    private record Decision(String key, Tier tier, String site, String modelVersion, double pHotSoon) {
        static Decision of(Placement p) {
            return new Decision(p.getKey(), p.getTier(), p.getPrimarySite(), p.getExplanation().getModelVersion(),
                    p.getExplanation().getPHotSoon());
        }
    }

    /**
     * Two datasets under a policy where the model matters (boost 30): "m" read once 30 s after the inventory, "n"
     * never; then two hours pass.
     */
    private record Run(List<Decision> decisions, List<LiveModelFigures> figures) {
    }

    private Run run(String registry, Path dir, TieringMetrics metrics, Map<String, Model> published) {
        try (TopologyFixture fixture = new TopologyFixture(registry, dir, TieringSettings.DEFAULTS, metrics)
                .withStandardSites(false)) {
            fixture.policies.pipeInput("default",
                    Policy.newBuilder(TopologyFixture.policy(false)).setScoreBoost(30).build(), START);
            published.forEach((name, model) -> fixture.models.pipeInput(name,
                    Model.newBuilder(model).setName(name).build(), START));
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
            fixture.datasets.pipeInput("m", TopologyFixture.dataset("m", "aws", "STANDARD_IA", GB), START);
            fixture.datasets.pipeInput("n", TopologyFixture.dataset("n", "aws", "STANDARD_IA", GB), START);
            Instant read = START.plusSeconds(30);
            fixture.accessEvents.pipeInput("m", fixture.event("m", read, "us-east"), read);
            fixture.driver.advanceWallClockTime(Duration.ofHours(2));
            List<Decision> decisions = fixture.placements.readValuesToList().stream().filter(p -> p != null)
                    .map(Decision::of).toList();
            assertTrue(fixture.deadLetters.isEmpty());
            // Read while the task is open: a closed task withdraws its figures.
            return new Run(decisions, metrics.modelScoreboard().figures(List.of(0)));
        }
    }

    @Test
    void shouldScoreACandidateInShadowWithoutChangingADecision(InMemoryRegistry.Url registry) {
        List<Decision> alone = run(registry.value(), stateDir.resolve("alone"), TieringMetrics.noop(), Map.of())
                .decisions();
        TieringMetrics metrics = new TieringMetrics(new SimpleMeterRegistry());
        Model candidate = Model.newBuilder(EAGER).setHorizonSeconds(3_600).setThreshold(0.5).build();
        Run shadowRun = run(registry.value(), stateDir.resolve("shadow"), metrics, Map.of("candidate", candidate));
        List<Decision> withCandidate = shadowRun.decisions();

        assertTrue(alone.size() >= 2, alone.toString());
        assertEquals(alone, withCandidate, "the candidate changed a decision");
        assertTrue(withCandidate.stream().allMatch(d -> d.modelVersion().equals("built-in-1") && d.tier() != Tier.HOT),
                withCandidate.toString());

        List<LiveModelFigures> figures = shadowRun.figures();
        assertEquals(List.of("current", "candidate"), figures.stream().map(LiveModelFigures::name).toList());
        LiveModelFigures current = figures.get(0);
        assertEquals("built-in-1", current.version());
        assertEquals(2, current.pending(), "one prediction per dataset, waiting for the 24 h default horizon");
        assertEquals(0, current.labelled());

        LiveModelFigures shadow = figures.get(1);
        assertEquals("eager-1", shadow.version());
        assertEquals(0, shadow.pending());
        assertEquals(2, shadow.labelled(), "both scored at the inventory, labelled once the hour had passed");
        assertEquals(1, shadow.positives(), "'m' was read after it was scored, 'n' never");
        assertEquals(2, shadow.predictedPositives());
        assertEquals(0.5, shadow.precision(), 1e-12);
        double p = 1 / (1 + Math.exp(-6.0));
        assertEquals(((1 - p) * (1 - p) + p * p) / 2, shadow.brier(), 1e-12);
        assertEquals(p, shadow.meanPredicted(), 1e-12);
    }

    @Test
    void shouldRefuseAModelThatCannotScoreAndKeepTheOneInForce(InMemoryRegistry.Url registry) {
        try (TopologyFixture fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS)
                .withStandardSites(false)) {
            fixture.models.pipeInput("current", EAGER, START);
            Model cyclic = Model.newBuilder(EAGER).setVersion("cyclic-2")
                    .setKind(StateMapper.GRADIENT_BOOSTED_TREES).setTrees(List.of(io.tierflow.schemas.Tree.newBuilder()
                            .setNodes(List.of(ModelMappingTest.split("heat", 1, 1, 0), ModelMappingTest.leaf(1)))
                            .build())).build();
            Model unknownFeature = Model.newBuilder(EAGER).setVersion("unknown-3")
                    .setFeatures(List.of(FeatureWeight.newBuilder().setName("temperature").setCoefficient(1).build()))
                    .build();
            fixture.models.pipeInput("current", cyclic, START);
            fixture.models.pipeInput("current", unknownFeature, START);
            fixture.models.pipeInput("candidate", Model.newBuilder(unknownFeature).setName("candidate").build(),
                    START);
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));

            List<Alert> alerts = fixture.alerts.readValuesToList().stream()
                    .filter(a -> a.getId().startsWith(CatalogueAlertReporter.ALERT_PREFIX)).toList();
            assertEquals(List.of("models/candidate", "models/current"),
                    alerts.stream().map(Alert::getSubject).sorted().toList());
            assertTrue(alerts.stream().allMatch(a -> a.getState() == AlertState.FIRING
                    && a.getMessage().contains("unknown feature 'temperature'")), alerts.toString());
            KeyValueStore<String, Model> models = fixture.driver.getKeyValueStore(TieringTopology.MODELS_STORE);
            assertEquals("eager-1", models.get("current").getVersion());
            assertNull(models.get("candidate"));

            fixture.datasets.pipeInput("m", TopologyFixture.dataset("m", "aws", "STANDARD_IA", GB), START);
            Placement placement = fixture.placementsFor("m").get(0);
            assertEquals("eager-1", placement.getExplanation().getModelVersion(), "the last good model decides");
            assertEquals(1 / (1 + Math.exp(-6.0)), placement.getExplanation().getPHotSoon(), 1e-12);
            assertTrue(fixture.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldResolveTheRefusalWhenAGoodModelReplacesTheRefusedOne(InMemoryRegistry.Url registry) {
        try (TopologyFixture fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS)
                .withStandardSites(false)) {
            fixture.models.pipeInput("current", EAGER, START);
            fixture.models.pipeInput("current", Model.newBuilder(EAGER).setVersion("overflow-2")
                    .setFeatures(List.of(ModelMappingTest.weight("heat", 1e303), ModelMappingTest.weight("count_1h",
                            -1e303))).build(), START);
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));

            Alert refused = catalogueAlerts(fixture).get(0);
            assertEquals("models/current", refused.getSubject());
            assertEquals(AlertState.FIRING, refused.getState());
            assertTrue(refused.getMessage().contains("not a probability"), refused.getMessage());
            KeyValueStore<String, Model> models = fixture.driver.getKeyValueStore(TieringTopology.MODELS_STORE);
            assertEquals("eager-1", models.get("current").getVersion(), "the last good model stays");

            fixture.models.pipeInput("current", Model.newBuilder(EAGER).setVersion("eager-2").build(), START);
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
            Alert resolved = catalogueAlerts(fixture).get(0);
            assertEquals("models/current", resolved.getSubject());
            assertEquals(AlertState.RESOLVED, resolved.getState());
            fixture.datasets.pipeInput("m", TopologyFixture.dataset("m", "aws", "STANDARD_IA", GB), START);
            assertEquals("eager-2", fixture.placementsFor("m").get(0).getExplanation().getModelVersion());
        }
    }

    private static List<Alert> catalogueAlerts(TopologyFixture fixture) {
        return fixture.alerts.readValuesToList().stream()
                .filter(a -> a != null && a.getId().startsWith(CatalogueAlertReporter.ALERT_PREFIX)).toList();
    }
}
