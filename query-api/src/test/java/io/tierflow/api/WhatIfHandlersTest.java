package io.tierflow.api;

import static io.tierflow.api.TestApi.NOW;
import static io.tierflow.api.TestApi.TOKEN;
import static io.tierflow.api.TestApi.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.schemas.Policy;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.serde.InMemorySchemaRegistry;
import io.tierflow.streams.TieringTopology;
import io.tierflow.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/**
 * The what-if endpoints over a runner of our own that records what it is asked and answers what it is told: the
 * token, the policies and range a request resolves to, field errors, one run at a time, unknown runs, no runner.
 */
class WhatIfHandlersTest {
    private static final int PARTITIONS = 3;
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final FakeCluster cluster = new FakeCluster(PARTITIONS);
    private final RecordingSink sink = new RecordingSink();
    private final RecordingRunner runner = new RecordingRunner();

    @Test
    void shouldAnswer401WithoutTheTokenAnd403WithAWrongOneAndStartNothing() {
        JavalinTest.test(api(runner), (server, client) -> {
            TestApi.Answer none = post(client, "{\"live\": true}", null);
            assertEquals(401, none.status(), none.raw());
            assertEquals("Bearer", none.header("WWW-Authenticate"));
            TestApi.Answer wrong = post(client, "{\"live\": true}", TOKEN + "x");
            assertEquals(403, wrong.status(), wrong.raw());
            assertEquals(List.of(), runner.started);

            assertEquals(200, read(client.get("/whatif")).status(), "the reads need no token");
        });
    }

    @Test
    void shouldStartARunWithTheLiveStoredAndPastedPoliciesOverTheLastDayByDefault() {
        Policy live = policy("default", 30);
        Policy archive = policy("archive", 80);
        cluster.<Policy>global(TieringTopology.POLICIES_STORE).put("default", live);
        cluster.<Policy>global(TieringTopology.POLICIES_STORE).put("archive", archive);
        JavalinTest.test(api(runner), (server, client) -> {
            ObjectNode pasted = WriteHandlersTest.policyBody().put("name", "lazy <b>&\"x\"").put("hotThreshold", 500.0);
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("live", true);
            body.putArray("stored").add("archive");
            body.putArray("policies").add(pasted);

            TestApi.Answer answer = post(client, body.toString(), TOKEN);

            assertEquals(202, answer.status(), answer.raw());
            String id = answer.body().get("id").asText();
            assertEquals("/whatif/runs/" + id, answer.header("Location"));
            assertEquals(1, runner.started.size());
            WhatIfRunner.Request request = runner.started.get(0);
            assertEquals(NOW.minus(Duration.ofDays(1)), request.from());
            assertEquals(NOW, request.to());
            assertEquals(List.of("live", "archive", "lazy <b>&\"x\""),
                    request.candidates().stream().map(WhatIfRunner.Candidate::name).toList());
            assertEquals(live, request.candidates().get(0).policy());
            assertEquals(archive, request.candidates().get(1).policy());
            assertEquals(500.0, request.candidates().get(2).policy().getHotThreshold());
            assertEquals(Instant.EPOCH, request.candidates().get(2).policy().getUpdatedAt(),
                    "a pasted policy is not stamped with the clock: the same paste replays the same");
            assertEquals(List.of(), sink.sent, "a what-if writes nothing");
        });
    }

    @Test
    void shouldReplayTheBuiltInPolicyAsTheLiveOneUntilADefaultIsPublished() {
        JavalinTest.test(api(runner), (server, client) -> {
            String range = "{\"live\": true, \"from\": \"2026-11-01T00:00:00Z\", \"to\": \"2026-11-02T00:00:00Z\"}";
            assertEquals(202, post(client, range, TOKEN).status());
            WhatIfRunner.Request request = runner.started.get(0);
            assertEquals(CatalogueReadHandlers.builtInPolicy(), request.candidates().get(0).policy());
            assertEquals(Instant.parse("2026-11-01T00:00:00Z"), request.from());
            assertEquals(Instant.parse("2026-11-02T00:00:00Z"), request.to());
        });
    }

    @Test
    void shouldAnswer400NamingTheFieldOfAnInvalidRequest() {
        cluster.<Policy>global(TieringTopology.POLICIES_STORE).put("archive", policy("archive", 80));
        JavalinTest.test(api(runner), (server, client) -> {
            ObjectNode inverted = WriteHandlersTest.policyBody().put("hotThreshold", 1.0);
            assertRejected(client, "{\"stored\": [\"archive\"], \"policies\": [{}, " + inverted + "]}",
                    "policies[0].heatHalfLifeSeconds", "policies[0]: missing required field 'heatHalfLifeSeconds'");
            ObjectNode valid = WriteHandlersTest.policyBody();
            assertRejected(client, "{\"policies\": [" + valid + ", " + inverted + "]}", "policies[1].hotThreshold",
                    "policies[1]: hotThreshold must be a number above warmThreshold");
            ObjectNode notANumber = WriteHandlersTest.policyBody().put("cooldownSeconds", "soon");
            TestApi.Answer type = post(client, "{\"policies\": [" + notANumber + "]}", TOKEN);
            assertEquals(400, type.status(), type.raw());
            assertEquals("policies[0].cooldownSeconds", type.body().get("field").asText(), type.raw());

            assertRejected(client, "{\"live\": false}", "policies",
                    "choose at least one policy: the live one, one of the catalogue or a pasted one");
            assertRejected(client, "{\"stored\": [\"nope<&>\"]}", "stored", "no policy 'nope<&>' in the catalogue");
            assertRejected(client, "{\"live\": true, \"from\": \"yesterday\"}", "from",
                    "'from' must be an instant such as 2026-12-01T00:00:00Z, not 'yesterday'");
            assertRejected(client, "{\"live\": true, \"from\": \"2026-11-02T00:00:00Z\", \"to\": "
                    + "\"2026-11-01T00:00:00Z\"}", "from",
                    "'from' (2026-11-02T00:00:00Z) must be before 'to' (2026-11-01T00:00:00Z)");
            TestApi.Answer notJson = post(client, "{live", TOKEN);
            assertEquals(400, notJson.status(), notJson.raw());
            assertTrue(notJson.message().startsWith("the body is not valid JSON"), notJson.raw());
            assertEquals(List.of(), runner.started, "nothing rejected is started");
        });
    }

    @Test
    void shouldAnswer409WithAJsonMessageWhileARunIsGoing() {
        runner.busyWith = "run-1";
        JavalinTest.test(api(runner), (server, client) -> {
            TestApi.Answer answer = post(client, "{\"live\": true}", TOKEN);
            assertEquals(409, answer.status(), answer.raw());
            assertEquals("a what-if (run run-1) is still running on this node: one at a time; see "
                    + "/whatif/runs/run-1", answer.message());
            assertTrue(answer.response().header("Content-Type").startsWith("application/json"));
        });
    }

    @Test
    void shouldAnswerARunsProgressThenItsRowsAndSamplesAnd404ForAnUnknownRun() {
        JavalinTest.test(api(runner), (server, client) -> {
            runner.statuses.put("r1", new WhatIfRunner.Status("r1", WhatIfRunner.State.RUNNING, NOW, null,
                    new WhatIfRunner.Progress("replaying 2 policies", 120, 400), null, null));
            JsonNode running = read(client.get("/whatif/runs/r1")).body();
            assertEquals("RUNNING", running.get("state").asText());
            assertEquals(120, running.at("/progress/inputsRead").asLong());
            assertEquals(400, running.at("/progress/inputsExpected").asLong());
            assertTrue(running.get("result").isNull());

            WhatIfRunner.Row policy = new WhatIfRunner.Row("lazy", WhatIfRunner.RowKind.POLICY, 3.0, 1.0, 0.5, 0.25,
                    0.125, 1.0, 0.125, 0, Map.of("HOT", 7L, "WARM", 2L, "COLD", 1L), 3L, 4L, 4_000_000L, 1.5,
                    List.of(new WhatIfRunner.Sample(1_000, 1.0), new WhatIfRunner.Sample(2_000, 3.0)));
            WhatIfRunner.Row optimum = new WhatIfRunner.Row("offline-optimum @aws", WhatIfRunner.RowKind.OPTIMUM, 2.0,
                    2.0, 0, 0, 0, 0, 0, 0, null, null, null, null, 1.0, List.of());
            runner.statuses.put("r1", new WhatIfRunner.Status("r1", WhatIfRunner.State.SUCCEEDED, NOW,
                    NOW.plusSeconds(30), new WhatIfRunner.Progress("done", 400, 400), null,
                    new WhatIfRunner.Result("topics datasets + access-events", NOW.minusSeconds(86_400), NOW,
                            "narrowed", 2.0, List.of(policy, optimum))));
            TestApi.Answer done = read(client.get("/whatif/runs/r1"));
            assertEquals(200, done.status(), done.raw());
            JsonNode result = done.body().get("result");
            assertEquals("SUCCEEDED", done.body().get("state").asText());
            assertEquals(NOW.plusSeconds(30).toString(), done.body().get("finishedAt").asText());
            assertEquals(2.0, result.get("optimumUsd").asDouble());
            assertEquals("narrowed", result.get("note").asText());
            JsonNode first = result.at("/rows/0");
            assertEquals("POLICY", first.get("kind").asText());
            assertEquals(0.125, first.at("/costUsd/earlyDeletion").asDouble());
            assertEquals(0.125, first.at("/costUsd/egress").asDouble());
            assertEquals(7, first.at("/getsByTier/HOT").asLong());
            assertEquals(4_000_000, first.get("bytesMoved").asLong());
            assertEquals(1.5, first.get("costVsOptimum").asDouble());
            assertEquals(3.0, first.at("/cumulative/1/1").asDouble());
            assertEquals(2_000, first.at("/cumulative/1/0").asLong());
            JsonNode last = result.at("/rows/1");
            assertEquals("OPTIMUM", last.get("kind").asText());
            assertTrue(last.get("getsByTier").isNull(), "a priced row has no reads of its own");
            assertTrue(last.get("moves").isNull());

            TestApi.Answer unknown = read(client.get("/whatif/runs/nope%3Cx%3E"));
            assertEquals(404, unknown.status(), unknown.raw());
            assertTrue(unknown.message().startsWith("no what-if run 'nope<x>' on this node"), unknown.raw());
        });
    }

    @Test
    void shouldSayWhetherThisNodeRunsWhatIfsAndItsLatestRun() {
        runner.statuses.put("r7", new WhatIfRunner.Status("r7", WhatIfRunner.State.RUNNING, NOW, null,
                new WhatIfRunner.Progress("replaying", 0, 0), null, null));
        JavalinTest.test(api(runner), (server, client) -> {
            TestApi.Answer about = read(client.get("/whatif"));
            assertEquals(200, about.status(), about.raw());
            assertTrue(about.body().get("available").asBoolean());
            assertEquals(RecordingRunner.MAX_EVENTS, about.body().get("maxEvents").asLong());
            assertEquals("r7", about.body().get("latest").asText());
        });
    }

    @Test
    void shouldAnswer503OnEveryWhatIfEndpointOfANodeWithoutARunner() {
        JavalinTest.test(api(null), (server, client) -> {
            List<TestApi.Answer> answers = List.of(read(client.get("/whatif")), read(client.get("/whatif/runs/r1")),
                    post(client, "{\"live\": true}", TOKEN));
            for (TestApi.Answer answer : answers) {
                assertEquals(503, answer.status(), answer.raw());
                assertEquals(WhatIfHandlers.NO_RUNNER, answer.message());
                assertNull(answer.header("Retry-After"), "trying again will not help: the console says so at once");
            }
            assertEquals(401, post(client, "{\"live\": true}", null).status(), "the token is still checked first");
        });
    }

    private void assertRejected(HttpClient client, String body, String field, String message) {
        TestApi.Answer answer = post(client, body, TOKEN);
        assertEquals(400, answer.status(), answer.raw());
        assertEquals(field, answer.body().path("field").asText(null), answer.raw());
        assertEquals(message, answer.message());
        assertFalse(answer.raw().contains("Exception"), answer.raw());
    }

    private Javalin api(WhatIfRunner whatIf) {
        Topics topics = Topics.using(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                InMemorySchemaRegistry.URL_PREFIX + "whatif-" + UUID.randomUUID()));
        return QueryApi.create(cluster, topics, sink, PARTITIONS, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                ApiSettings.defaults().withToken(TOKEN).withPort(0), Clock.fixed(NOW, ZoneOffset.UTC), whatIf);
    }

    private static TestApi.Answer post(HttpClient client, String body, String token) {
        return read(client.request("/whatif/runs", request -> {
            request.post(RequestBody.create(body, JSON_TYPE));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
        }));
    }

    private static Policy policy(String name, double hotThreshold) {
        return AvroJson.fromJson(WriteHandlersTest.policyBody().put("name", name).put("hotThreshold", hotThreshold)
                .put("updatedAt", NOW.toString()), Policy.class);
    }

    /** Records the requests it is given; busy when told; answers the statuses put in. */
    private static final class RecordingRunner implements WhatIfRunner {
        static final long MAX_EVENTS = 1234;
        final List<Request> started = new ArrayList<>();
        final Map<String, Status> statuses = new LinkedHashMap<>();
        String busyWith;

        @Override
        public String start(Request request) {
            if (busyWith != null) {
                throw new Busy(busyWith);
            }
            started.add(request);
            return "run-" + started.size();
        }

        @Override
        public Optional<Status> status(String id) {
            return Optional.ofNullable(statuses.get(id));
        }

        @Override
        public Optional<String> latest() {
            return statuses.keySet().stream().reduce((a, b) -> b);
        }

        @Override
        public long maxEvents() {
            return MAX_EVENTS;
        }

        @Override
        public void close() {
        }
    }
}
