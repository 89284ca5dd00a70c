package io.tierflow.api;

import static io.tierflow.api.TestApi.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Tier;
import io.tierflow.streams.TieringTopology;
import io.tierflow.streams.domain.TieringPolicy;
import io.tierflow.streams.store.KeyPartitions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/**
 * What the console needs of the API: its files served from the jar, the dataset list filtered, sorted and paged over
 * every partition, the migration backlog and ingest figures in {@code /stats}, the policies, and a rejected policy
 * naming its field.
 */
class ConsoleApiTest {
    private static final int PARTITIONS = 3;
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    /** The console's own links: a script or stylesheet in the page, an import in a module. */
    private static final Pattern PAGE_LINK = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"");
    private static final Pattern MODULE_IMPORT = Pattern.compile("from '(\\.{1,2}/[^']+)'");

    private final FakeCluster cluster = new FakeCluster(PARTITIONS);
    private final RecordingSink sink = new RecordingSink();

    @Test
    void shouldServeTheConsoleAndEveryFileItLoadsFromTheJarWithoutTheToken() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            Response page = client.get("/");
            String html = page.body().string();
            assertEquals(200, page.code(), html);
            assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
            assertTrue(page.header("Content-Security-Policy").contains("default-src 'self'"));
            assertTrue(html.contains("<title>Tierflow console</title>"), html);
            assertFalse(html.contains("${"), "the uPlot version is filled in at build time");

            // Every file the page loads, and every module those modules import, is there (a WebJar version that
            // does not match the pom's, or a renamed module, fails here rather than in a browser).
            Set<String> files = new LinkedHashSet<>();
            Matcher links = PAGE_LINK.matcher(html);
            while (links.find()) {
                files.add(links.group(1));
            }
            assertTrue(files.stream().anyMatch(f -> f.startsWith("/webjars/uplot/")), files.toString());
            List<String> modules = new ArrayList<>(List.of("/ui/app.js"));
            for (int i = 0; i < modules.size(); i++) {
                String module = modules.get(i);
                Response answer = client.get(module);
                String source = answer.body().string();
                assertEquals(200, answer.code(), module);
                assertTrue(answer.header("Content-Type").contains("javascript"), module + ": " + answer.header("Content-Type"));
                assertFalse(source.contains(TestApi.TOKEN), module);
                assertFalse(source.contains("innerHTML"), module + " builds the page from text nodes only");
                Matcher imports = MODULE_IMPORT.matcher(source);
                while (imports.find()) {
                    String resolved = java.net.URI.create("http://x" + module).resolve(imports.group(1)).getPath();
                    if (!modules.contains(resolved)) {
                        modules.add(resolved);
                    }
                }
            }
            assertTrue(modules.size() >= 10, "the router, its helpers and every page: " + modules);
            for (String file : files) {
                Response answer = client.get(file);
                assertEquals(200, answer.code(), file);
                answer.close();
            }
            assertFalse(html.contains(TestApi.TOKEN));
        });
    }

    @Test
    void shouldFilterSortAndPageTheWholeEstateAsABruteForceSortWould() {
        List<DatasetState> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // Sizes repeat (ties are broken by key) and some keys need escaping everywhere they go.
            String key = (i % 3 == 0 ? "logs/" : "data/") + (i % 5 == 0 ? "<b>&\"q\" " : "") + String.format("ds%02d", i);
            Tier tier = i % 7 == 0 ? null : Tier.values()[i % 3];
            all.add(put(key, (i % 6) * 1000L, i % 2 == 0 ? "team-a" : "team-b", tier, null, null));
        }
        Map<String, Function<DatasetState, Double>> values = Map.of(
                "sizeBytes", s -> (double) s.getInventory().getSizeBytes(),
                "tier", s -> s.getTier() == null ? 0.0 : 3.0 - s.getTier().ordinal(),
                "key", s -> 0.0);
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            for (String sort : values.keySet()) {
                for (String order : List.of("asc", "desc")) {
                    for (String filter : List.of("", "&prefix=logs/", "&owner=team-a", "&tier=hot&prefix=data/")) {
                        Comparator<DatasetState> expectedOrder = Comparator.<DatasetState, Double>comparing(
                                values.get(sort)).thenComparing(DatasetState::getKey);
                        List<String> expected = all.stream().filter(s -> matches(s, filter))
                                .sorted(order.equals("desc") ? expectedOrder.reversed() : expectedOrder)
                                .map(DatasetState::getKey).toList();
                        List<String> seen = pageThrough(client, "/datasets?sort=" + sort + "&order=" + order + filter);
                        assertEquals(expected, seen, sort + " " + order + filter);
                    }
                }
            }
        });
    }

    @Test
    void shouldMergeASortedShareFromAPeerAndAskItForTheSameOrder() {
        put("mine/big", 5000, "o", Tier.HOT, null, null);
        int mine = KeyPartitions.of("mine/big", PARTITIONS);
        Set<Integer> theirs = Set.copyOf(IntStream.range(0, PARTITIONS).filter(p -> p != mine).boxed().toList());
        byte[] share = ("{\"items\":[{\"key\":\"theirs/biggest\",\"sizeBytes\":9000},"
                + "{\"key\":\"theirs/small\",\"sizeBytes\":10}]}").getBytes(StandardCharsets.UTF_8);
        cluster.peer(new HostInfo("10.0.0.2", 7070), theirs,
                path -> new Cluster.Forwarded(200, share, "application/json", "10.0.0.2:7070"));
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = read(client.get("/datasets?sort=sizeBytes&order=desc&limit=2"));
            assertEquals(200, answer.status(), answer.raw());
            assertEquals(List.of("theirs/biggest", "mine/big"), keys(answer.body()));
            assertTrue(cluster.asked.get(0).contains("sort=sizeBytes&"), cluster.asked.get(0));
            assertTrue(cluster.asked.get(0).contains("order=desc&"), cluster.asked.get(0));
            assertEquals(new DatasetSort.Position(5000, "mine/big"),
                    DatasetSort.parseCursor(answer.body().get("nextCursor").asText()));
        });
    }

    @Test
    void shouldRejectAnUnknownSortOrderOrCursorWith400() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer sort = read(client.get("/datasets?sort=colour"));
            assertEquals(400, sort.status());
            assertEquals("sort must be one of [key, sizeBytes, heat, count24h, tier], not 'colour'", sort.message());
            TestApi.Answer order = read(client.get("/datasets?sort=heat&order=sideways"));
            assertEquals(400, order.status());
            assertEquals("order must be asc or desc, not 'sideways'", order.message());
            TestApi.Answer cursor = read(client.get("/datasets?sort=heat&cursor=%3Cnot-ours%3E"));
            assertEquals(400, cursor.status());
            assertTrue(cursor.message().startsWith("cursor is not one this API gave out"), cursor.message());
        });
    }

    @Test
    void shouldCountTheMigrationBacklogByPhaseAndReportIngestAndLag() {
        put("m/queued", 10, "o", Tier.HOT, MigrationPhase.QUEUED, null);
        put("m/copying-1", 10, "o", Tier.HOT, MigrationPhase.COPYING, null);
        put("m/copying-2", 10, "o", Tier.HOT, MigrationPhase.COPYING, null);
        put("m/issued", 10, "o", Tier.HOT, null, command("m/issued"));
        put("m/failed", 10, "o", Tier.COLD, null, null).setLastFailure("checksum_mismatch");
        put("m/settled", 10, "o", Tier.COLD, null, null);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder(IngestFigures.ACCESS_EVENTS_METER).tag("outcome", "counted").register(metrics).increment(40);
        Counter.builder(IngestFigures.ACCESS_EVENTS_METER).tag("outcome", "duplicate").register(metrics).increment(2);
        Gauge.builder(IngestFigures.RECORDS_LAG_METER, () -> 7).tags("topic", "access-events", "partition", "0")
                .register(metrics);
        Gauge.builder(IngestFigures.RECORDS_LAG_METER, () -> 1000).tags("topic", "app-dataset-state-changelog",
                "partition", "0").register(metrics);
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS, ApiSettings.defaults().withToken(TestApi.TOKEN),
                metrics), (server, client) -> {
            TestApi.Answer stats = read(client.get("/stats"));
            assertEquals(200, stats.status(), stats.raw());
            JsonNode totals = stats.body().get("totals");
            assertEquals(Map.of("QUEUED", 1, "COPYING", 2, "ISSUED", 1, "FAILED", 1),
                    Map.of("QUEUED", totals.at("/migrations/QUEUED").asInt(), "COPYING",
                            totals.at("/migrations/COPYING").asInt(), "ISSUED", totals.at("/migrations/ISSUED").asInt(),
                            "FAILED", totals.at("/migrations/FAILED").asInt()), totals.toString());
            assertEquals(5, totals.get("migrations").size(), "no phase without datasets (and the moves waiting "
                    + "for the budget): " + totals);
            assertEquals(0, totals.at("/migrations/waitingForBudget/moves").asInt());
            assertEquals(42, totals.at("/ingest/accessEvents").asLong());
            assertEquals(7, totals.at("/ingest/lagRecords").asLong(), "a changelog's restore is no input lag");
            assertTrue(totals.get("countedAt").asText().endsWith("Z"), "says when the datasets were counted: " + totals);

            // The lists agree with the backlog, page after page over every partition, in key order.
            List<String> listed = new ArrayList<>();
            String cursor = null;
            do {
                TestApi.Answer page = read(client.get("/migrations?limit=2"
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))));
                assertEquals(200, page.status(), page.raw());
                assertTrue(page.body().get("items").size() <= 2);
                page.body().get("items").forEach(item -> listed.add(item.get("key").asText()));
                cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
            } while (cursor != null);
            assertEquals(List.of("m/copying-1", "m/copying-2", "m/failed", "m/issued", "m/queued"), listed);
            JsonNode copying = read(client.get("/migrations?status=COPYING")).body().get("items");
            assertEquals(List.of("m/copying-1", "m/copying-2"), List.of(copying.get(0).get("key").asText(),
                    copying.get(1).get("key").asText()));
            assertEquals(2, copying.size());
            JsonNode failed = read(client.get("/migrations?status=FAILED")).body().get("items");
            assertEquals(1, failed.size());
            assertEquals("checksum_mismatch", failed.get(0).get("lastFailure").asText());
        });
    }

    @Test
    void shouldListThePoliciesOfTheGlobalStoreAndTheBuiltInOneUntilADefaultIsPublished() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer builtIn = read(client.get("/policies"));
            assertEquals(200, builtIn.status(), builtIn.raw());
            assertEquals(1, builtIn.body().get("items").size(), builtIn.raw());
            JsonNode shown = builtIn.body().at("/items/0");
            assertTrue(shown.get("builtIn").asBoolean());
            assertEquals("default", shown.get("name").asText());
            assertEquals(TieringPolicy.BUILT_IN.hotThreshold(), shown.get("hotThreshold").asDouble());
            assertEquals(TieringPolicy.BUILT_IN.halfLifeMs() / 1000, shown.get("heatHalfLifeSeconds").asLong());
            // What the editor sends back (without the marker) is a policy the API takes.
            ObjectNode edited = ((ObjectNode) shown).deepCopy();
            edited.remove(List.of("builtIn", "name", "updatedAt"));
            assertEquals(202, put(client, "/policies/default", edited.toString()).status());
        });

        ObjectNode body = WriteHandlersTest.policyBody();
        body.put("name", "default");
        body.put("updatedAt", TestApi.NOW.toString());
        cluster.<Policy>global(TieringTopology.POLICIES_STORE).put("default", AvroJson.fromJson(body, Policy.class));
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer published = read(client.get("/policies"));
            assertEquals(1, published.body().get("items").size(), published.raw());
            assertEquals("default", published.body().at("/items/0/name").asText());
            assertEquals(20.0, published.body().at("/items/0/hotThreshold").asDouble());
            assertFalse(published.body().at("/items/0").has("builtIn"));
        });
    }

    @Test
    void shouldNameTheFieldARejectedPolicyIsAboutSoAFormCanShowItThere() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            ObjectNode inverted = WriteHandlersTest.policyBody().put("hotThreshold", 1.0);
            TestApi.Answer rule = put(client, "/policies/default", inverted.toString());
            assertEquals(400, rule.status(), rule.raw());
            assertEquals("hotThreshold", rule.body().get("field").asText());
            assertEquals("hotThreshold must be a number above warmThreshold", rule.message());

            ObjectNode notANumber = WriteHandlersTest.policyBody().put("cooldownSeconds", "soon");
            TestApi.Answer type = put(client, "/policies/default", notANumber.toString());
            assertEquals(400, type.status(), type.raw());
            assertEquals("cooldownSeconds", type.body().get("field").asText(), type.raw());

            ObjectNode unknown = WriteHandlersTest.policyBody().put("colour", "blue");
            TestApi.Answer stranger = put(client, "/policies/default", unknown.toString());
            assertEquals(400, stranger.status(), stranger.raw());
            assertNull(stranger.body().get("field"), "a field the policy does not have is the form's, not a field's: "
                    + stranger.raw());
            assertTrue(sink.sent.isEmpty(), "nothing rejected was written");
        });
    }

    private boolean matches(DatasetState s, String filter) {
        return (!filter.contains("prefix=logs/") || s.getKey().startsWith("logs/"))
                && (!filter.contains("prefix=data/") || s.getKey().startsWith("data/"))
                && (!filter.contains("owner=team-a") || s.getInventory().getOwner().equals("team-a"))
                && (!filter.contains("tier=hot") || s.getTier() == Tier.HOT);
    }

    private static List<String> pageThrough(HttpClient client, String query) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        AtomicInteger pages = new AtomicInteger();
        do {
            TestApi.Answer page = read(client.get(query + "&limit=7"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))));
            assertEquals(200, page.status(), page.raw());
            assertTrue(page.body().get("items").size() <= 7);
            seen.addAll(keys(page.body()));
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
        } while (cursor != null && pages.incrementAndGet() < 20);
        return seen;
    }

    private DatasetState put(String key, long size, String owner, Tier tier, MigrationPhase phase,
            MigrationCommand issued) {
        Dataset inventory = Dataset.newBuilder().setKey(key).setSizeBytes(size).setContentType("text/csv")
                .setOwner(owner).setVersionToken("v1").setSha256("ab".repeat(32)).setPrimarySite("aws")
                .setStorageClass("STANDARD").setUpdatedAt(TestApi.NOW).build();
        DatasetState state = DatasetState.newBuilder().setKey(key).setInventory(inventory).setTier(tier)
                .setPrimarySite("aws").setStorageClass("STANDARD").build();
        if (phase != null) {
            state.setInFlight(command(key));
            state.setInFlightPhase(phase);
        } else if (issued != null) {
            state.setInFlight(issued);
        }
        cluster.<DatasetState>storeOf(TieringTopology.DATASET_STATE_STORE, key).put(key, state);
        return state;
    }

    private static MigrationCommand command(String key) {
        return MigrationCommand.newBuilder().setId("c-" + key).setKey(key).setAction(MigrationAction.COPY)
                .setSourceSite("aws").setDestinationSite("gcp").setStorageClass("STANDARD")
                .setExpectedVersionToken("v1").setExpectedSha256("ab".repeat(32)).setSizeBytes(10)
                .setIssuedAt(TestApi.NOW).build();
    }

    private static TestApi.Answer put(HttpClient client, String path, String body) {
        return read(client.request(path, request -> request.put(RequestBody.create(body, JSON_TYPE))
                .header("Authorization", "Bearer " + TestApi.TOKEN)));
    }

    private static List<String> keys(JsonNode body) {
        List<String> keys = new ArrayList<>();
        body.get("items").forEach(item -> keys.add(item.get("key").asText()));
        return keys;
    }
}
