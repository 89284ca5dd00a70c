package io.tierflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.HeatPolicies;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.streams.TieringSettings;
import io.tierflow.streams.TieringTopology;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the API on two streams nodes of one application (different state directories and ports) over
 * the local stack's real broker and registry: each key is answered correctly through either node, lists gather
 * from both, writes produce what they say and need the token.
 */
class QueryApiIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String TOKEN = "it-token-not-a-secret";
    private static final String BURST_KEY = "it/burst/ds";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path dir;
    private static LocalStack stack;
    private static StreamsNode nodeA;
    private static StreamsNode nodeB;
    private static final List<String> KEYS = new ArrayList<>();

    @BeforeAll
    static void startTwoNodesAndLoadData() throws Exception {
        dir = Files.createTempDirectory("query-api-it");
        stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
        for (int i = 0; i < 40; i++) {
            KEYS.add(String.format("it/ds%03d", i));
        }
        KEYS.add("it/ünïcode and spaces/ø.parquet");
        KEYS.add(BURST_KEY);
        HeatPolicies.publishDefault(stack); // the burst's promotion by heat is what the reads below check
        nodeA = node("a");
        nodeB = node("b");
        awaitRunning(nodeA);
        awaitRunning(nodeB);

        Topics topics = stack.topics();
        Instant now = Instant.now();
        List<ProducerRecord<String, Dataset>> inventory = new ArrayList<>();
        for (String key : KEYS) {
            boolean burst = key.equals(BURST_KEY);
            inventory.add(new ProducerRecord<>(Topics.DATASETS, key, Dataset.newBuilder().setKey(key)
                    .setSizeBytes(burst ? 1_000_000_000L : 10_000_000L).setContentType("application/octet-stream")
                    .setOwner("it").setVersionToken("\"v1\"").setSha256("ab".repeat(32))
                    .setPrimarySite(burst ? "azure" : "aws").setStorageClass(burst ? "GLACIER_IR" : "STANDARD_IA")
                    .setUpdatedAt(now).build()));
        }
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.DATASETS, Serdes.String().serializer(),
                topics.datasets.valueSerde().serializer(), inventory);
        List<ProducerRecord<String, AccessEvent>> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(event(BURST_KEY, now.plusMillis(i), "burst-" + i, 100_000_000));
        }
        for (int i = 0; i < 3; i++) {
            events.add(event(KEYS.get(0), now.plusMillis(i), "zero-" + i, 1000));
        }
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.ACCESS_EVENTS, Serdes.String().serializer(),
                topics.accessEvents.valueSerde().serializer(), events);
        // Every dataset is known and the burst dataset has been decided on, through node A.
        for (String key : KEYS) {
            await(() -> get(nodeA, "/datasets/" + ReadHandlers.encodePath(key)).status == 200, "dataset " + key);
        }
        await(() -> get(nodeA, "/datasets/" + BURST_KEY).body.path("migration").isObject(), "a COPY for the burst");
    }

    @AfterAll
    static void stop() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
    }

    @Test
    void healthIsReadyWhileRunningAndNamesTheInstance() throws Exception {
        Reply reply = get(nodeA, "/health");
        assertEquals(200, reply.status);
        assertEquals("RUNNING", reply.body.get("streams").asText());
        assertEquals("127.0.0.1:" + nodeA.apiPort(), reply.body.get("instance").asText());
        assertEquals("127.0.0.1:" + nodeA.apiPort(), reply.instanceHeader);
    }

    @Test
    void everyKeyIsAnsweredByItsOwnerThroughEitherNode() throws Exception {
        KafkaStreams streams = nodeA.app().streams();
        Set<String> owners = new HashSet<>();
        for (String key : KEYS) {
            KeyQueryMetadata owner = streams.queryMetadataForKey(TieringTopology.DATASET_STATE_STORE, key,
                    Serdes.String().serializer());
            String ownerInstance = owner.activeHost().host() + ":" + owner.activeHost().port();
            owners.add(ownerInstance);
            Reply viaA = get(nodeA, "/datasets/" + ReadHandlers.encodePath(key));
            Reply viaB = get(nodeB, "/datasets/" + ReadHandlers.encodePath(key));
            assertEquals(200, viaA.status, key);
            assertEquals(200, viaB.status, key);
            assertEquals(key, viaA.body.get("key").asText());
            assertEquals(ownerInstance, viaA.body.get("instance").asText(), "answered by the owner: " + key);
            assertEquals(ownerInstance, viaB.body.get("instance").asText(), "answered by the owner: " + key);
            assertEquals(ownerInstance, viaB.instanceHeader);
            assertEquals(viaA.body, viaB.body, "both nodes give the same answer for " + key);
        }
        assertEquals(2, owners.size(), "the keys are spread over both nodes, so forwarding was exercised");
    }

    @Test
    void aDatasetShowsInventoryActivityTierAndPlacement() throws Exception {
        JsonNode zero = get(nodeB, "/datasets/" + KEYS.get(0)).body;
        assertEquals(10_000_000L, zero.get("inventory").get("sizeBytes").asLong());
        assertEquals(3, zero.get("activity").get("count1h").asLong());
        assertEquals(3, zero.get("activity").get("totalEvents").asLong());
        assertEquals("aws", zero.get("actual").get("primarySite").asText());

        JsonNode burst = get(nodeB, "/datasets/" + BURST_KEY).body;
        assertEquals("HOT", burst.get("tier").asText());
        assertEquals("azure", burst.get("actual").get("primarySite").asText(), "nothing moved yet: no migrator");
        assertFalse(burst.get("desired").get("primarySite").asText().equals("azure"));
        assertEquals("COPY", burst.get("migration").get("command").get("action").asText());
        assertEquals("ISSUED", burst.get("migration").get("phase").asText());

        JsonNode explain = get(nodeB, "/datasets/" + BURST_KEY + "/explain").body;
        JsonNode explanation = explain.get("decision").get("explanation");
        assertTrue(explanation.get("pHotSoon").asDouble() >= 0);
        assertFalse(explanation.get("modelVersion").asText().isEmpty());
        assertTrue(explanation.get("boostedHeat").asDouble() >= explanation.get("hotThreshold").asDouble());
    }

    @Test
    void unknownKeysAndBadParametersAreJsonErrors() throws Exception {
        for (StreamsNode via : List.of(nodeA, nodeB)) { // one of them forwards to the owner
            Reply missing = get(via, "/datasets/it/no-such-dataset");
            assertEquals(404, missing.status);
            assertEquals("no dataset 'it/no-such-dataset'", missing.body.get("message").asText());
        }
        assertEquals(400, get(nodeA, "/alerts?state=SLEEPY").status);
        assertEquals(400, get(nodeA, "/datasets?scope=local").status, "a share needs its partitions named");
        assertEquals(400, get(nodeA, "/datasets?limit=0").status);
        assertEquals(400, get(nodeA, "/datasets?limit=abc").status);
        Reply badTier = get(nodeA, "/datasets?tier=LUKEWARM");
        assertEquals(400, badTier.status);
        assertTrue(badTier.body.get("message").asText().contains("HOT"));
        assertEquals(400, get(nodeA, "/migrations?status=SLEEPING").status);
        Reply noRoute = get(nodeA, "/nothing-here");
        assertEquals(404, noRoute.status);
        assertNotNull(noRoute.body.get("message"));
    }

    @Test
    void listsGatherFromBothNodesInKeyOrderAcrossPages() throws Exception {
        for (StreamsNode via : List.of(nodeA, nodeB)) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Reply page = get(via, "/datasets?limit=7" + (cursor == null ? "" : "&cursor=" + enc(cursor)));
                assertEquals(200, page.status);
                page.body.get("items").forEach(item -> seen.add(item.get("key").asText()));
                cursor = page.body.get("nextCursor").isNull() ? null : page.body.get("nextCursor").asText();
                pages++;
            } while (cursor != null && pages < 20);
            assertEquals(new ArrayList<>(new TreeSet<>(KEYS)), seen, "every key once, in order");
        }
        JsonNode hot = get(nodeB, "/datasets?tier=HOT").body.get("items");
        assertEquals(1, hot.size());
        assertEquals(BURST_KEY, hot.get(0).get("key").asText());
        JsonNode onAzure = get(nodeA, "/datasets?site=azure").body.get("items");
        assertEquals(List.of(BURST_KEY), keys(onAzure));
        Reply unknownSite = get(nodeA, "/datasets?site=nowhere");
        assertEquals(404, unknownSite.status);
        assertTrue(unknownSite.body.get("message").asText().contains("no site 'nowhere'"), unknownSite.body.toString());
        // Cold datasets on a warm class get moves too: the list must agree with the datasets one by one.
        List<String> issued = keys(get(nodeA, "/migrations?status=ISSUED&limit=1000").body.get("items"));
        List<String> expected = new ArrayList<>();
        for (String key : new TreeSet<>(KEYS)) {
            JsonNode migration = get(nodeB, "/datasets/" + ReadHandlers.encodePath(key)).body.get("migration");
            if (migration.isObject() && migration.get("phase").asText().equals("ISSUED")) {
                expected.add(key);
            }
        }
        assertTrue(issued.contains(BURST_KEY));
        assertEquals(expected, issued);
        assertEquals(0, get(nodeA, "/migrations?status=FAILED").body.get("items").size());
    }

    @Test
    void statsAddUpBothNodes() throws Exception {
        JsonNode totals = get(nodeB, "/stats").body.get("totals");
        assertEquals(KEYS.size(), totals.get("datasets").asLong());
        long byTier = 0;
        for (JsonNode tier : totals.get("tiers")) {
            byTier += tier.get("datasets").asLong();
        }
        assertEquals(KEYS.size(), byTier);
        assertEquals(41 * 10_000_000L, totals.get("sites").get("aws").get("bytes").asLong());
        assertTrue(totals.get("sites").get("aws").get("monthlyStorageUsd").asDouble() > 0);
        assertTrue(totals.get("cost").has("savingsUsd"));
    }

    @Test
    void modelsAddUpTheLivePredictionsOfBothNodes() throws Exception {
        // Every dataset was evaluated, so the built-in model holds one prediction per dataset, split between the
        // nodes' tasks, waiting for its 24 h horizon: either node's answer sums both shares.
        for (StreamsNode node : List.of(nodeA, nodeB)) {
            await(() -> {
                JsonNode live = get(node, "/models/current").body.get("live");
                return live != null && live.path("pending").asLong() == KEYS.size();
            }, "both nodes' predictions summed through port " + node.apiPort());
        }
        JsonNode current = get(nodeB, "/models").body.get("items").get(0);
        assertEquals("current", current.get("role").asText());
        assertEquals("built-in-1", current.get("version").asText());
        assertEquals(0, current.get("live").get("predictions").asLong(), "no horizon has passed yet");
        assertEquals(404, get(nodeA, "/models/nowhere").status);
    }

    @Test
    void sitesAlertsAndMetricsAreServed() throws Exception {
        JsonNode sites = get(nodeA, "/sites").body.get("items");
        assertEquals(Set.of("aws", "azure", "gcp", "onprem"), new HashSet<>(names(sites)));
        assertEquals(200, get(nodeA, "/alerts").status);
        assertEquals(200, get(nodeA, "/datasets/" + BURST_KEY).status);
        assertEquals(200, get(nodeA, "/datasets/" + BURST_KEY + "/explain").status);
        // A dataset's answer is streamed into the response, yet goes out whole, with its length (not chunked).
        for (StreamsNode node : List.of(nodeA, nodeB)) {
            HttpResponse<byte[]> whole = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.apiPort() + "/datasets/" + BURST_KEY)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, whole.statusCode());
            assertEquals(String.valueOf(whole.body().length), whole.headers().firstValue("Content-Length").orElse(
                    "none"), "Content-Length of the answer through port " + node.apiPort());
            assertTrue(whole.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals(BURST_KEY, JSON.readTree(whole.body()).get("key").asText());
        }
        Reply metrics = getText(nodeA, "/metrics");
        assertEquals(200, metrics.status);
        assertTrue(metrics.text.contains("tierflow_api_requests_seconds_count"), "request metrics are exported");
        // A dataset and its explanation share a route in the server; the metrics still tell them apart.
        assertTrue(metrics.text.contains("route=\"/datasets/<key>\""), "datasets counted under their route");
        assertTrue(metrics.text.contains("route=\"/datasets/<key>/explain\""), "explanations under theirs");
    }

    @Test
    void aScopedPolicyDecidesItsDatasetsAndItsScopeIsNotTakenTwice() throws Exception {
        String key = KEYS.get(39); // it/ds039: the only key under the prefix
        String policy = """
                {"scope": {"prefix": "%s"}, "budgetShare": 0.25, "heatHalfLifeSeconds": 3600, "hotThreshold": 1e12,
                 "warmThreshold": 1e11, "hysteresis": 0.2, "defaultLatencySlaMs": 80,
                 "migrationBudgetBytesPerHour": 1000000000, "cooldownSeconds": 60}""".formatted(key);
        Reply accepted = send(nodeA, "PUT", "/policies/it-scoped", policy, TOKEN);
        assertEquals(202, accepted.status, accepted.text);

        // Through the other node: its global store, its catalogue and the evaluation all follow the topic.
        await(() -> "it-scoped".equals(get(nodeB, "/datasets/" + key + "/explain").body
                .path("decision").path("explanation").path("policyName").asText()), "the explanation names it-scoped");
        assertEquals(1e12, get(nodeB, "/datasets/" + key + "/explain").body.path("decision").path("explanation")
                .path("hotThreshold").asDouble(), "decided with the scoped policy's thresholds");
        assertFalse("it-scoped".equals(get(nodeB, "/datasets/" + KEYS.get(38) + "/explain").body
                .path("decision").path("explanation").path("policyName").asText()), "it/ds038 is outside the scope");
        JsonNode listed = null;
        for (JsonNode item : get(nodeB, "/policies").body.path("items")) {
            listed = item.path("name").asText().equals("it-scoped") ? item : listed;
        }
        assertNotNull(listed, "GET /policies lists it");
        assertEquals(key, listed.path("scope").path("prefix").asText());

        Reply taken = send(nodeB, "PUT", "/policies/it-scoped-again", policy.replace("0.25", "0.1"), TOKEN);
        assertEquals(400, taken.status, taken.text);
        assertEquals("scope", taken.body.path("field").asText());
        assertTrue(taken.body.path("message").asText().contains("collides with policy 'it-scoped'"), taken.text);
        Reply badPrefix = send(nodeB, "PUT", "/policies/it-bad", policy.replace("\"" + key + "\"", "\"/it/\""),
                TOKEN);
        assertEquals(400, badPrefix.status, badPrefix.text);
        assertTrue(badPrefix.body.path("message").asText().startsWith("scope.prefix is not canonical"), badPrefix.text);
    }

    @Test
    void writesNeedTheTokenAndProduceWhatTheySay() throws Exception {
        String policy = """
                {"heatHalfLifeSeconds": 3600, "hotThreshold": 20, "warmThreshold": 2, "hysteresis": 0.2,
                 "defaultLatencySlaMs": 80, "migrationBudgetBytesPerHour": 1000000000, "cooldownSeconds": 60}""";
        Reply noToken = send(nodeA, "PUT", "/policies/it-policy", policy, null);
        assertEquals(401, noToken.status);
        assertEquals("Bearer", noToken.wwwAuthenticate);
        // Everything under the write prefixes needs the token, even paths that serve nothing; reads do not.
        assertEquals(401, send(nodeA, "POST", "/control/nothing-here", "", null).status);
        assertEquals(401, send(nodeA, "GET", "/sites/aws", null, null).status);
        assertEquals(200, get(nodeA, "/sites").status);
        assertEquals(403, send(nodeA, "PUT", "/policies/it-policy", policy, "wrong").status);

        Reply accepted = send(nodeA, "PUT", "/policies/it-policy", policy, TOKEN);
        assertEquals(202, accepted.status, accepted.body.toString());
        Policy written = KafkaTestClients.consume(stack.bootstrapServers(), Topics.POLICIES,
                Serdes.String().deserializer(), stack.topics().policies.valueSerde().deserializer(),
                r -> "it-policy".equals(r.key()), 1, TIMEOUT).get(0).value();
        assertEquals(20.0, written.getHotThreshold());
        assertEquals(30.0, written.getHorizonDays(), "schema defaults fill absent fields");

        Reply inverted = send(nodeA, "PUT", "/policies/it-policy", policy.replace("\"hotThreshold\": 20",
                "\"hotThreshold\": 1"), TOKEN);
        assertEquals(400, inverted.status);
        assertTrue(inverted.body.get("message").asText().contains("hotThreshold"));
        Reply missingField = send(nodeA, "PUT", "/policies/it-policy", "{\"hotThreshold\": 20}", TOKEN);
        assertEquals(400, missingField.status);
        assertTrue(missingField.body.get("message").asText().contains("heatHalfLifeSeconds"));
        assertEquals(400, send(nodeA, "PUT", "/policies/it-policy", "{not json", TOKEN).status);
        // Bodies are bounded whatever their framing: with a Content-Length and chunked (no length to check up front).
        String huge = "{\"keys\": [\"" + "k".repeat(WriteHandlers.MAX_BODY_BYTES) + "\"]}";
        Reply sized = send(nodeA, "POST", "/control/reoptimize", huge, TOKEN);
        assertEquals(413, sized.status);
        Reply chunked = sendChunked(nodeA, "/control/reoptimize", huge, TOKEN);
        assertEquals(413, chunked.status);
        assertTrue(chunked.body.get("message").asText().contains("larger than"), chunked.text);
        List<String> manyKeys = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            manyKeys.add("\"k" + i + "\"");
        }
        assertEquals(400, sendChunked(nodeA, "/control/reoptimize", "{\"keys\": " + manyKeys + "}", TOKEN).status,
                "more than 10 000 keys");
        assertEquals(400, send(nodeA, "PUT", "/policies/other", "{\"name\": \"it-policy\"}", TOKEN).status);

        assertEquals(404, send(nodeA, "POST", "/control/sites/nowhere/down", "", TOKEN).status);
        assertEquals(202, send(nodeB, "POST", "/control/sites/gcp/down", "", TOKEN).status);
        Site gcp = KafkaTestClients.consume(stack.bootstrapServers(), Topics.SITES, Serdes.String().deserializer(),
                stack.topics().sites.valueSerde().deserializer(),
                r -> "gcp".equals(r.key()) && r.value() != null && !r.value().getUp(), 1, TIMEOUT).get(0).value();
        assertEquals("gcp", gcp.getName());
        await(() -> get(nodeA, "/sites").body.get("items").findValues("up").stream().anyMatch(up -> !up.asBoolean()),
                "the site catalogue shows gcp down");
        assertEquals(202, send(nodeB, "POST", "/control/sites/gcp/up", "", TOKEN).status);

        assertEquals(400, send(nodeA, "POST", "/control/burst", "{\"keys\": []}", TOKEN).status);
        assertEquals(400, send(nodeA, "POST", "/control/burst",
                "{\"keys\": [\"it/ds001\"], \"durationSeconds\": 10000000000}", TOKEN).status);
        assertEquals(202, send(nodeA, "POST", "/control/burst",
                "{\"keys\": [\"it/ds001\"], \"eventsPerSecond\": 10, \"durationSeconds\": 5}", TOKEN).status);
        assertEquals(202, send(nodeA, "POST", "/control/alerts/TRAFFIC_SPIKE:" + BURST_KEY + "/ack", "", TOKEN).status);
        Reply reoptimizeAll = send(nodeA, "POST", "/control/reoptimize", "", TOKEN);
        assertEquals(202, reoptimizeAll.status);
        assertEquals(LocalStack.PARTITIONS, reoptimizeAll.body.get("records").size(), "one record per partition");
        List<ControlCommand> control = KafkaTestClients.consume(stack.bootstrapServers(), Topics.CONTROL,
                Serdes.String().deserializer(), stack.topics().control.valueSerde().deserializer(),
                r -> r.value().getType() == ControlType.BURST || r.value().getType() == ControlType.SITE_DOWN
                        || r.value().getType() == ControlType.ACK_ALERT, 3, TIMEOUT).stream().map(r -> r.value()).toList();
        ControlCommand ack = control.stream().filter(c -> c.getType() == ControlType.ACK_ALERT).findFirst().orElseThrow();
        assertEquals("TRAFFIC_SPIKE:" + BURST_KEY, ack.getTarget(), "alert ids with slashes reach the topic whole");
        ControlCommand burst = control.stream().filter(c -> c.getType() == ControlType.BURST).findFirst().orElseThrow();
        assertEquals(List.of("it/ds001"), burst.getKeys());
        assertEquals("10", burst.getParameters().get("eventsPerSecond"));
    }

    private static StreamsNode node(String name) throws IOException {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-api-it");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + name).toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        TieringSettings settings = new TieringSettings(Duration.ofSeconds(1), 10_000, false, Duration.ofSeconds(1),
                Duration.ofHours(1));
        return StreamsNode.start(config, settings, ApiSettings.defaults().withPort(freePort()).withToken(TOKEN));
    }

    private static void awaitRunning(StreamsNode node) throws Exception {
        await(() -> node.app().streams().state() == KafkaStreams.State.RUNNING, "streams RUNNING");
    }

    private static ProducerRecord<String, AccessEvent> event(String key, Instant at, String id, long bytes) {
        return new ProducerRecord<>(Topics.ACCESS_EVENTS, key, AccessEvent.newBuilder().setKey(key).setOp(AccessOp.GET).setBytes(bytes).setServedFrom("aws")
                .setClientRegion("us-east").setLatencyMs(30).setEventTime(at).setEventId(id).build());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static List<String> keys(JsonNode items) {
        List<String> keys = new ArrayList<>();
        items.forEach(item -> keys.add(item.get("key").asText()));
        return keys;
    }

    private static List<String> names(JsonNode items) {
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.get("name").asText()));
        return names;
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }


    private static void await(Eventually.Condition condition, String what) throws Exception {
        Eventually.holds(TIMEOUT, what, condition);
    }

    record Reply(int status, JsonNode body, String text, String instanceHeader, String wwwAuthenticate) {
    }

    private static Reply get(StreamsNode node, String path) throws Exception {
        return send(node, "GET", path, null, null);
    }

    private static Reply getText(StreamsNode node, String path) throws Exception {
        return send(node, "GET", path, null, null);
    }

    /** A POST whose body is sent chunked (no Content-Length). */
    private static Reply sendChunked(StreamsNode node, String path, String body, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.apiPort() + path))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .header("Authorization", "Bearer " + token).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        JsonNode json = contentType.startsWith("application/json") ? JSON.readTree(response.body()) : null;
        return new Reply(response.statusCode(), json, response.body(), null, null);
    }

    private static Reply send(StreamsNode node, String method, String path, String body, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.apiPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        JsonNode json = contentType.startsWith("application/json") ? JSON.readTree(response.body()) : null;
        return new Reply(response.statusCode(), json, response.body(),
                response.headers().firstValue(QueryServer.INSTANCE_HEADER).orElse(null),
                response.headers().firstValue("WWW-Authenticate").orElse(null));
    }
}
