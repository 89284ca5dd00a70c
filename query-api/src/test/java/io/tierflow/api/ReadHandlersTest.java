package io.tierflow.api;

import static io.tierflow.api.TestApi.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.JavalinTest;
import io.tierflow.streams.store.KeyPartitions;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.Provider;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.schemas.Tier;
import io.tierflow.streams.TieringTopology;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** The read endpoints over a cluster held in memory: answers, forwarding, paging, escaping and JSON errors. */
class ReadHandlersTest {
    private static final int PARTITIONS = 3;
    private static final HostInfo PEER = new HostInfo("10.0.0.2", 7070);
    /** Keys that are paths, with characters that must be escaped in a URL, in HTML and in JSON. */
    private static final List<String> AWKWARD_KEYS = List.of("logs/2026/a b.parquet", "x/<script>&\"q\"'.csv",
            "données/été/ß?#%.csv", "a+b/c;d=e");

    private final FakeCluster cluster = new FakeCluster(PARTITIONS);
    private final RecordingSink sink = new RecordingSink();

    @Test
    void shouldAnswerADatasetWhoseKeyNeedsEscapingAndItsExplanation() {
        AWKWARD_KEYS.forEach(this::putDataset);
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            for (String key : AWKWARD_KEYS) {
                TestApi.Answer dataset = read(client.get("/datasets/" + ReadHandlers.encodePath(key)));
                assertEquals(200, dataset.status(), key + ": " + dataset.raw());
                assertEquals(key, dataset.body().get("key").asText());
                assertEquals("HOT", dataset.body().get("tier").asText());
                assertEquals("127.0.0.1:7070", dataset.header(QueryServer.INSTANCE_HEADER));
                assertEquals("127.0.0.1:7070", dataset.body().get("instance").asText());
                assertTrue(dataset.header("Content-Type").startsWith("application/json"), dataset.header("Content-Type"));

                TestApi.Answer explained = read(client.get("/datasets/" + ReadHandlers.encodePath(key) + "/explain"));
                assertEquals(200, explained.status(), explained.raw());
                assertEquals(key, explained.body().get("key").asText());
                assertTrue(explained.body().has("decision"), explained.raw());
                assertFalse(explained.body().has("inventory"), "the explanation shape, not the dataset's");
            }
        });
    }

    @Test
    void shouldAnswerAMissingDatasetAndAnUnknownEndpointWith404Json() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer missing = read(client.get("/datasets/" + ReadHandlers.encodePath("no/such <key>")));
            assertEquals(404, missing.status());
            assertEquals("Not Found", missing.body().get("error").asText());
            assertEquals("no dataset 'no/such <key>'", missing.message());
            assertEquals("127.0.0.1:7070", missing.body().get("instance").asText());

            TestApi.Answer nowhere = read(client.get("/nothing/here"));
            assertEquals(404, nowhere.status());
            assertEquals("no endpoint GET /nothing/here; see the README for the API", nowhere.message());

            TestApi.Answer wrongMethod = read(client.delete("/datasets"));
            assertEquals(404, wrongMethod.status(), wrongMethod.raw());
            assertEquals("no endpoint DELETE /datasets; see the README for the API", wrongMethod.message());
        });
    }

    @Test
    void shouldForwardAKeyOwnedByAPeerWithItsPathEscapedAndPassItsAnswerOn() {
        String key = "x/<script>&\"q\"'.csv";
        int partition = KeyPartitions.of(key, PARTITIONS);
        byte[] peerBody = "{\"key\":\"from the peer\",\"instance\":\"10.0.0.2:7070\"}".getBytes(StandardCharsets.UTF_8);
        cluster.peer(PEER, Set.of(partition), path -> new Cluster.Forwarded(200, peerBody, "application/json",
                "10.0.0.2:7070"));
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = read(client.get("/datasets/" + ReadHandlers.encodePath(key) + "/explain"));

            assertEquals(List.of("/datasets/x/%3Cscript%3E%26%22q%22%27.csv/explain"), cluster.asked);
            assertEquals(200, answer.status());
            assertEquals(new String(peerBody, StandardCharsets.UTF_8), answer.raw());
            assertEquals("10.0.0.2:7070", answer.header(QueryServer.INSTANCE_HEADER));
        });
    }

    @Test
    void shouldPassAPeersErrorOnAsItIsWithRetryAfterOn503() {
        String key = "busy/key";
        byte[] peerBody = "{\"error\":\"Service Unavailable\",\"message\":\"rebalancing\"}".getBytes(StandardCharsets.UTF_8);
        cluster.peer(PEER, Set.of(KeyPartitions.of(key, PARTITIONS)),
                path -> new Cluster.Forwarded(503, peerBody, "application/json", "10.0.0.2:7070"));
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = read(client.get("/datasets/" + key));
            assertEquals(503, answer.status());
            assertEquals("1", answer.header("Retry-After"));
            assertEquals("rebalancing", answer.message());
        });
    }

    @Test
    void shouldPageThroughEveryPartitionInKeyOrder() {
        List<String> keys = IntStream.range(0, 7).mapToObj(i -> String.format("page/ds%02d", i)).toList();
        keys.forEach(this::putDataset);
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                TestApi.Answer page = read(client.get("/datasets?limit=3"
                        + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8))));
                assertEquals(200, page.status(), page.raw());
                List<String> items = keysOf(page.body());
                assertTrue(items.size() <= 3, page.raw());
                seen.addAll(items);
                cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
                if (cursor != null) {
                    assertEquals(items.get(items.size() - 1), cursor, "the cursor is the page's last key");
                }
                pages++;
            } while (cursor != null && pages < 10);
            assertEquals(keys, seen);
            assertEquals(3, pages);

            TestApi.Answer warm = read(client.get("/datasets?tier=warm"));
            assertEquals(List.of(), keysOf(warm.body()), "every dataset here is hot");
            assertTrue(warm.body().get("nextCursor").isNull());
        });
    }

    @Test
    void shouldGatherAListFromPeersAskingForTheirShareWithTheClientsParameters() {
        putDataset("gather/mine"); // in whichever partition it falls, this instance answers it
        int mine = KeyPartitions.of("gather/mine", PARTITIONS);
        Set<Integer> theirs = Set.copyOf(IntStream.range(0, PARTITIONS).filter(p -> p != mine).boxed().toList());
        byte[] share = "{\"items\":[{\"key\":\"gather/theirs\"},{\"key\":\"gather/a\"}]}".getBytes(StandardCharsets.UTF_8);
        cluster.peer(PEER, theirs, path -> new Cluster.Forwarded(200, share, "application/json", "10.0.0.2:7070"));
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = read(client.get("/datasets?cursor=a%26b&limit=5"));

            assertEquals(200, answer.status(), answer.raw());
            assertEquals(List.of("gather/a", "gather/mine", "gather/theirs"), keysOf(answer.body()), "merged in key order");
            assertEquals(1, cluster.asked.size());
            String asked = cluster.asked.get(0);
            assertTrue(asked.startsWith("/datasets?"), asked);
            assertTrue(asked.contains("cursor=a%26b&"), "the client's parameter, escaped again: " + asked);
            assertTrue(asked.contains("limit=5&"), asked);
            String named = theirs.stream().sorted().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow();
            assertTrue(asked.endsWith("scope=local&partitions=" + named), asked);
        });
    }

    @Test
    void shouldRejectBadParametersWith400SayingWhatIsExpected() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer zero = read(client.get("/datasets?limit=0"));
            assertEquals(400, zero.status());
            assertEquals("limit must be an integer from 1 to 1000, not '0'", zero.message());
            assertEquals("Bad Request", zero.body().get("error").asText());
            assertEquals(400, read(client.get("/datasets?limit=1001")).status());
            assertEquals("limit must be an integer from 1 to 1000, not '<b>'",
                    read(client.get("/datasets?limit=%3Cb%3E")).message());
            assertTrue(read(client.get("/datasets?tier=scorching")).message().startsWith("tier must be one of [HOT"));
            assertTrue(read(client.get("/migrations?status=NOPE")).message().startsWith("status must be one of"));
            assertTrue(read(client.get("/alerts?state=x")).message().startsWith("state must be one of"));
            assertEquals("scope=local needs partitions=<p,...>", read(client.get("/datasets?scope=local")).message());
            assertEquals("partitions must be comma-separated partition numbers, not '1,x'",
                    read(client.get("/datasets?scope=local&partitions=1,x")).message());
        });
    }

    @Test
    void shouldAnswer503WhileAStoreRestoresButServeWhatItHas() {
        putDataset("restoring/present");
        String absent = "restoring/absent";
        cluster.restoring(TieringTopology.DATASET_STATE_STORE, KeyPartitions.of(absent, PARTITIONS));
        cluster.restoring(TieringTopology.DATASET_STATE_STORE, KeyPartitions.of("restoring/present", PARTITIONS));
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            assertEquals(200, read(client.get("/datasets/restoring/present")).status(), "a hit can be trusted");

            TestApi.Answer miss = read(client.get("/datasets/" + absent));
            assertEquals(503, miss.status(), "a miss in a restoring store is no answer: " + miss.raw());
            assertEquals("1", miss.header("Retry-After"));
            assertEquals("Service Unavailable", miss.body().get("error").asText());
        });
    }

    @Test
    void shouldSayWhetherTheNodeIsReady() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer ready = read(client.get("/health"));
            assertEquals(200, ready.status());
            assertEquals("ready", ready.body().get("status").asText());

            cluster.state = KafkaStreams.State.REBALANCING;
            TestApi.Answer rebalancing = read(client.get("/health"));
            assertEquals(503, rebalancing.status());
            assertEquals("REBALANCING", rebalancing.body().get("streams").asText());
            assertEquals("1", rebalancing.header("Retry-After"));
        });
    }

    @Test
    void shouldListTheSitesOfTheGlobalStore() {
        cluster.<Site>global(TieringTopology.SITES_STORE).put("aws", site("aws")).put("gcp", site("gcp"));
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer sites = read(client.get("/sites"));
            assertEquals(200, sites.status());
            List<String> names = new ArrayList<>();
            sites.body().get("items").forEach(item -> names.add(item.get("name").asText()));
            assertEquals(List.of("aws", "gcp"), names);
        });
    }

    @Test
    void shouldAnswerAnUnexpectedFailureWith500JsonAndNoStackTrace() {
        cluster.<Object>storeOf(TieringTopology.DATASET_ACTIVITY_STORE, "broken").put("broken", "not an activity");
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = read(client.get("/datasets/broken"));
            assertEquals(500, answer.status(), answer.raw());
            assertEquals("internal error (IllegalArgumentException); the server log has the details", answer.message());
            assertFalse(answer.raw().contains("at io.tierflow"), answer.raw());
            assertFalse(answer.raw().contains("not an activity"), answer.raw());
        });
    }

    private void putDataset(String key) {
        Dataset inventory = Dataset.newBuilder().setKey(key).setSizeBytes(1_000).setContentType("text/csv")
                .setOwner("team").setVersionToken("v1").setSha256("ab".repeat(32)).setPrimarySite("aws")
                .setStorageClass("STANDARD").setUpdatedAt(TestApi.NOW).build();
        DatasetState state = DatasetState.newBuilder().setKey(key).setInventory(inventory).setTier(Tier.HOT)
                .setPrimarySite("aws").setStorageClass("STANDARD").build();
        cluster.<DatasetState>storeOf(TieringTopology.DATASET_STATE_STORE, key).put(key, state);
    }

    static Site site(String name) {
        return Site.newBuilder().setName(name).setProvider(Provider.AWS).setRegion("us-east")
                .setEndpoint("http://127.0.0.1:1").setBucket("tierflow")
                .setStorageClasses(List.of(StorageClassPrice.newBuilder().setName("STANDARD").setTier(Tier.HOT)
                        .setStoragePricePerGbMonth(0.023).setRetrievalPricePerGb(0).setRequestPricePer1000(0.0004)
                        .setMinimumStorageDays(0).build()))
                .setP95LatencyMs(25).setEgressPricePerGb(0.09).setEncrypted(true).setCapacityBytes(Long.MAX_VALUE)
                .setUp(true).build();
    }

    private static List<String> keysOf(JsonNode body) {
        return StreamSupport.stream(body.get("items").spliterator(), false).map(item -> item.get("key").asText())
                .toList();
    }
}
