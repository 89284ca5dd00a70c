package io.tierflow.api;

import static io.tierflow.api.TestApi.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.JavalinTest;
import io.tierflow.schemas.FeatureWeight;
import io.tierflow.schemas.Model;
import io.tierflow.streams.TieringTopology;
import io.tierflow.streams.domain.LiveModelFigures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** {@code /models}: the published models with their live figures summed over every instance's tasks. */
class ModelHandlersTest {
    private static final int PARTITIONS = 3;
    private static final HostInfo PEER = new HostInfo("10.0.0.2", 7070);

    private final FakeCluster cluster = new FakeCluster(PARTITIONS);
    private final RecordingSink sink = new RecordingSink();

    private static Model model(String name, String version, Map<String, Double> metrics) {
        return Model.newBuilder().setName(name).setVersion(version).setIntercept(0)
                .setFeatures(List.of(FeatureWeight.newBuilder().setName("heat").setCoefficient(1).build()))
                .setMetrics(metrics).setTarget("read_within_horizon").setHorizonSeconds(86_400).setThreshold(0.4)
                .setTrainedAt(Instant.parse("2026-12-01T00:00:00Z")).build();
    }

    /** Figures with {@code labelled} predictions of which {@code positives} were followed by a read. */
    private static LiveModelFigures figures(String name, String version, long labelled, long positives,
            long predictedPositives, long truePositives, double sumPredicted, double sumSquaredError) {
        return new LiveModelFigures(name, version, 0.4, 0.1, 0.3, 0.05, 7, 0, labelled, positives,
                predictedPositives, truePositives, sumPredicted, sumSquaredError);
    }

    private void publish() {
        cluster.<Model>global(TieringTopology.MODELS_STORE)
                .put("current", model("current", "gbt-1", Map.of("brier", 0.1, "positive_rate", 0.3)))
                .put("candidate", model("candidate", "gbt-2", Map.of()))
                .put("archive", model("archive", "old-0", Map.of()));
    }

    @Test
    void shouldListEveryModelWithItsRoleAndLiveFiguresSummedOverTheInstances() {
        publish();
        cluster.liveModels.put(0, List.of(figures("current", "gbt-1", 60, 20, 25, 15, 21.0, 9.0),
                figures("candidate", "gbt-2", 10, 0, 0, 0, 1.0, 0.5)));
        cluster.liveModels.put(2, List.of(figures("current", "gbt-1", 40, 20, 15, 10, 19.0, 6.0)));
        byte[] peerShare = ("{\"items\":[" + ModelHandlers.figuresJson(figures("current", "gbt-1", 100, 20, 10, 5,
                30.0, 25.0)) + "]}").getBytes(StandardCharsets.UTF_8);
        cluster.peer(PEER, Set.of(1), path -> new Cluster.Forwarded(200, peerShare, "application/json",
                "10.0.0.2:7070"));
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = read(client.get("/models"));

            assertEquals(200, answer.status(), answer.raw());
            List<String> names = new ArrayList<>();
            List<String> roles = new ArrayList<>();
            answer.body().get("items").forEach(item -> {
                names.add(item.get("name").asText());
                roles.add(item.get("role").asText());
            });
            assertEquals(List.of("current", "archive", "candidate"), names, "current first, then by name");
            assertEquals(List.of("current", "idle", "shadow"), roles);
            assertEquals(List.of("/models?scope=local&partitions=1"), cluster.asked);

            JsonNode current = answer.body().get("items").get(0);
            assertEquals("gbt-1", current.get("version").asText());
            assertEquals(0.1, current.get("metrics").get("brier").asDouble(), "the training metrics");
            JsonNode live = current.get("live");
            assertEquals(200, live.get("predictions").asLong());
            assertEquals(60, live.get("positives").asLong());
            assertEquals(21, live.get("pending").asLong());
            assertEquals(30.0 / 50, live.get("precision").asDouble(), 1e-12, "(15 + 10 + 5) of (25 + 15 + 10)");
            assertEquals(40.0 / 200, live.get("brier").asDouble(), 1e-12);
            assertEquals(70.0 / 200, live.get("meanPredicted").asDouble(), 1e-12);
            assertEquals(0.3, live.get("observedRate").asDouble(), 1e-12);
            assertTrue(live.get("drift").asBoolean(), "Brier 0.2 is more than 0.05 from 0.1");
            assertEquals(1, live.get("driftReasons").size());
            assertTrue(live.get("driftReasons").get(0).asText().contains("Brier"), live.toString());

            JsonNode candidate = answer.body().get("items").get(2).get("live");
            assertTrue(candidate.get("precision").isNull(), "nothing predicted positive: no precision, not NaN");
            assertTrue(candidate.get("recall").isNull(), "no read came: no recall");
            assertTrue(answer.body().get("items").get(1).get("live").isNull());
        });
    }

    @Test
    void shouldAnswerOneModelAnd404ForAnUnknownOne() {
        publish();
        cluster.liveModels.put(0, List.of(figures("candidate", "gbt-2", 10, 5, 4, 3, 5.0, 2.0)));
        JavalinTest.test(TestApi.create(cluster, sink, 1), (server, client) -> {
            TestApi.Answer one = read(client.get("/models/candidate"));
            assertEquals(200, one.status(), one.raw());
            assertEquals("candidate", one.body().get("name").asText());
            assertEquals(0.75, one.body().get("live").get("precision").asDouble(), 1e-12);

            TestApi.Answer missing = read(client.get("/models/nope"));
            assertEquals(404, missing.status());
            assertEquals("no model 'nope'", missing.message());
        });
    }

    @Test
    void shouldListTheBuiltInModelUntilOneIsPublishedAsCurrent() {
        JavalinTest.test(TestApi.create(cluster, sink, 1), (server, client) -> {
            TestApi.Answer answer = read(client.get("/models"));
            assertEquals(200, answer.status(), answer.raw());
            JsonNode builtIn = answer.body().get("items").get(0);
            assertEquals("current", builtIn.get("name").asText());
            assertEquals("built-in-1", builtIn.get("version").asText());
            assertTrue(builtIn.get("builtIn").asBoolean());
            assertEquals(1, answer.body().get("items").size());
        });
    }

    @Test
    void shouldAnswer503WhenAnInstanceCannotGiveItsShare() {
        publish();
        byte[] busy = "{\"error\":\"Service Unavailable\",\"message\":\"rebalancing\"}".getBytes(StandardCharsets.UTF_8);
        cluster.peer(PEER, Set.of(1), path -> new Cluster.Forwarded(503, busy, "application/json", "10.0.0.2:7070"));
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = read(client.get("/models"));
            assertEquals(503, answer.status(), answer.raw());
            assertEquals("1", answer.header("Retry-After"));
            assertTrue(answer.message().contains("rebalancing"), answer.message());
        });
    }
}
