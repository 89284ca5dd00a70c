package io.tierflow.api;

import static io.tierflow.api.TestApi.TOKEN;
import static io.tierflow.api.TestApi.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.tierflow.catalogue.SitePlace;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.streams.TieringTopology;
import io.tierflow.topics.Topics;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** The write endpoints over a recording sink: the token, the records they write, and JSON errors for bad input. */
class WriteHandlersTest {
    private static final int PARTITIONS = 3;
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    /** Every write endpoint, as method and path, with a body each would accept. */
    private static final List<String[]> WRITES = List.of(
            new String[] {"POST", "/control/alerts/a1/ack", ""},
            new String[] {"POST", "/control/sites/aws/down", ""},
            new String[] {"POST", "/control/sites/aws/up", ""},
            new String[] {"POST", "/control/burst", "{\"keys\":[\"k\"]}"},
            new String[] {"POST", "/control/reoptimize", ""},
            new String[] {"PUT", "/policies/default", policyBody().toString()},
            new String[] {"PUT", "/sites/aws", siteBody().toString()});

    private final FakeCluster cluster = new FakeCluster(PARTITIONS);
    private final RecordingSink sink = new RecordingSink();

    WriteHandlersTest() {
        cluster.<Site>global(TieringTopology.SITES_STORE).put("aws", ReadHandlersTest.site("aws"));
    }

    @Test
    void shouldAnswer401WithoutATokenAnd403WithAWrongOneOnEveryWriteEndpoint() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            for (String[] write : WRITES) {
                TestApi.Answer none = send(client, write[0], write[1], write[2], null);
                assertEquals(401, none.status(), write[1] + ": " + none.raw());
                assertEquals("Bearer", none.header("WWW-Authenticate"));
                assertTrue(none.message().startsWith("this endpoint needs 'Authorization: Bearer <token>'"), none.raw());

                TestApi.Answer wrong = send(client, write[0], write[1], write[2], TOKEN + "x");
                assertEquals(403, wrong.status(), write[1] + ": " + wrong.raw());
                assertEquals("the bearer token is not valid for this API", wrong.message());
            }
            assertEquals(List.of(), sink.sent, "nothing is written without the token");

            for (String[] write : WRITES) {
                assertEquals(202, send(client, write[0], write[1], write[2], TOKEN).status(), write[1]);
            }
        });
    }

    @Test
    void shouldRefuseEveryWriteWhenNoTokenIsConfigured() {
        ApiSettings noToken = ApiSettings.defaults();
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS, noToken), (server, client) -> {
            for (String[] write : WRITES) {
                TestApi.Answer answer = send(client, write[0], write[1], write[2], "anything");
                assertEquals(403, answer.status(), write[1]);
                assertTrue(answer.message().startsWith("writes are disabled"), answer.raw());
            }
            assertEquals(List.of(), sink.sent);
        });
    }

    @Test
    void shouldMarkASiteDownInTheCatalogueAndTellTheMigrators() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = send(client, "POST", "/control/sites/aws/down", "", TOKEN);

            assertEquals(202, answer.status(), answer.raw());
            assertEquals(2, sink.sent.size());
            RecordingSink.Sent site = sink.sent.get(0);
            assertEquals(Topics.SITES, site.topic());
            assertEquals("aws", site.key());
            assertEquals(Site.newBuilder(ReadHandlersTest.site("aws")).setUp(false).build(), site.value());
            RecordingSink.Sent control = sink.sent.get(1);
            assertEquals(Topics.CONTROL, control.topic());
            ControlCommand command = (ControlCommand) control.value();
            assertEquals(ControlType.SITE_DOWN, command.getType());
            assertEquals("aws", command.getTarget());
            assertEquals("api", command.getOperator());
            assertEquals(TestApi.NOW, command.getIssuedAt());
            assertTrue(answer.body().get("accepted").asBoolean());
            for (int i = 0; i < 2; i++) {
                RecordSink.Written written = sink.sent.get(i).written();
                assertEquals(written.topic(), answer.body().get("records").get(i).get("topic").asText());
                assertEquals(written.offset(), answer.body().get("records").get(i).get("offset").asLong());
            }
        });
    }

    @Test
    void shouldAnswer404ForASiteNotInTheCatalogue() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = send(client, "POST", "/control/sites/a%26b%3C/up", "", TOKEN);
            assertEquals(404, answer.status());
            assertEquals("no site 'a&b<' in the catalogue", answer.message());
            assertEquals(List.of(), sink.sent);
        });
    }

    @Test
    void shouldTakeEscapedNamesAndIdsFromThePath() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            assertEquals(202, send(client, "POST", "/control/alerts/datasets/a%20b%22c%22/ack", "", TOKEN).status());
            ControlCommand ack = (ControlCommand) sink.sent.get(0).value();
            assertEquals(ControlType.ACK_ALERT, ack.getType());
            assertEquals("datasets/a b\"c\"", ack.getTarget(), "alert ids may hold slashes");

            ObjectNode body = siteBody();
            TestApi.Answer put = send(client, "PUT", "/sites/my%26site%3Cx%3E", body.toString(), TOKEN);
            assertEquals(202, put.status(), put.raw());
            assertEquals("my&site<x>", sink.sent.get(1).key());
            assertEquals("my&site<x>", ((Site) sink.sent.get(1).value()).getName());

            body.put("name", "other");
            TestApi.Answer mismatch = send(client, "PUT", "/sites/my%26site", body.toString(), TOKEN);
            assertEquals(400, mismatch.status());
            assertEquals("'name' in the body (other) differs from the name in the path (my&site)", mismatch.message());
        });
    }

    @Test
    void shouldRefuseToMoveASiteOfTheCatalogueElsewhereWith409() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            ObjectNode elsewhere = siteBody();
            elsewhere.put("endpoint", "http://attacker.example:9000");
            TestApi.Answer moved = send(client, "PUT", "/sites/aws", elsewhere.toString(), TOKEN);
            assertEquals(409, moved.status(), moved.raw());
            assertEquals("Conflict", moved.body().get("error").asText());
            assertTrue(moved.message().startsWith("site 'aws' is at http://127.0.0.1:1 bucket tierflow; a catalogue "
                    + "write does not move it to http://attacker.example:9000 bucket tierflow"), moved.raw());

            ObjectNode otherBucket = siteBody();
            otherBucket.put("bucket", "someone-elses");
            assertEquals(409, send(client, "PUT", "/sites/aws", otherBucket.toString(), TOKEN).status());
            assertEquals(List.of(), sink.sent, "nothing written");

            ObjectNode repriced = siteBody();
            repriced.put("egressPricePerGb", 0.05);
            assertEquals(202, send(client, "PUT", "/sites/aws", repriced.toString(), TOKEN).status(),
                    "the same place with new prices is a normal update");
            assertEquals(202, send(client, "PUT", "/sites/new-site", elsewhere.toString(), TOKEN).status(),
                    "a site not in the catalogue yet may be anywhere");
        });
    }

    @Test
    void shouldPlaceAPinnedSiteOnlyWhereTheApisConfigurationPinsIt() {
        SitePlace pin = new SitePlace("https://s3.eu-west-1.amazonaws.com", "tierflow-prod");
        ApiSettings pinned = ApiSettings.defaults().withToken(TOKEN).withSitePins(Map.of("aws", pin, "gcp", pin));
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS, pinned), (server, client) -> {
            ObjectNode moved = siteBody();
            moved.put("endpoint", pin.endpoint());
            moved.put("bucket", pin.bucket());
            assertEquals(202, send(client, "PUT", "/sites/aws", moved.toString(), TOKEN).status(),
                    "the operator's configuration agrees with the move");
            assertEquals(pin.endpoint(), ((Site) sink.sent.get(0).value()).getEndpoint());

            TestApi.Answer unpinnedPlace = send(client, "PUT", "/sites/gcp", siteBody().toString(), TOKEN);
            assertEquals(409, unpinnedPlace.status(), "even a new site goes only where it is pinned");
            assertEquals("site 'gcp' is pinned at https://s3.eu-west-1.amazonaws.com bucket tierflow-prod by this "
                    + "API's configuration (tierflow.api.site.gcp.endpoint / .bucket); a write cannot place it at "
                    + "http://127.0.0.1:1 bucket tierflow", unpinnedPlace.message());
            assertEquals(1, sink.sent.size());
        });
    }

    @Test
    void shouldRejectBadBodiesWith400AndWriteNothing() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer notJson = send(client, "POST", "/control/burst", "{\"keys\": [", TOKEN);
            assertEquals(400, notJson.status());
            assertTrue(notJson.message().startsWith("the body is not valid JSON"), notJson.raw());
            assertFalse(notJson.raw().contains("at com.fasterxml"), "no stack trace: " + notJson.raw());

            assertEquals(400, send(client, "POST", "/control/burst", "{}", TOKEN).status());
            assertEquals("'eventsPerSecond' must be an integer from 1 to 10000", send(client, "POST", "/control/burst",
                    "{\"keys\":[\"k\"],\"eventsPerSecond\":0}", TOKEN).message());
            assertEquals("every entry of 'keys' must be a non-empty string",
                    send(client, "POST", "/control/reoptimize", "{\"keys\":[\"\"]}", TOKEN).message());
            assertEquals("the body must be a JSON object",
                    send(client, "PUT", "/policies/default", "[1]", TOKEN).message());

            ObjectNode policy = policyBody();
            policy.put("hysteresis", 1.5);
            assertEquals("hysteresis must be a fraction from 0 to below 1",
                    send(client, "PUT", "/policies/default", policy.toString(), TOKEN).message());
            ObjectNode site = siteBody();
            site.put("endpoint", "ftp://x");
            assertEquals("endpoint must be an http(s):// S3 endpoint or a file:// directory",
                    send(client, "PUT", "/sites/aws", site.toString(), TOKEN).message());
            assertEquals(List.of(), sink.sent);
        });
    }

    @Test
    void shouldBurstAndReoptimizeAsTheTopologyExpects() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            assertEquals(202, send(client, "POST", "/control/burst",
                    "{\"keys\":[\"a/b\",\"c\"],\"eventsPerSecond\":5,\"durationSeconds\":7}", TOKEN).status());
            ControlCommand burst = (ControlCommand) sink.sent.get(0).value();
            assertEquals(ControlType.BURST, burst.getType());
            assertEquals(List.of("a/b", "c"), burst.getKeys());
            assertEquals(Map.of("eventsPerSecond", "5", "durationSeconds", "7"), burst.getParameters());

            sink.sent.clear();
            assertEquals(202, send(client, "POST", "/control/reoptimize", "", TOKEN).status());
            assertEquals(PARTITIONS, sink.sent.size(), "everything: one record per partition");
            for (int partition = 0; partition < PARTITIONS; partition++) {
                assertEquals(partition, sink.sent.get(partition).partition());
                assertEquals(ControlType.REOPTIMIZE, ((ControlCommand) sink.sent.get(partition).value()).getType());
            }

            sink.sent.clear();
            assertEquals(202, send(client, "POST", "/control/reoptimize", "{\"keys\":[\"x/1\",\"x/2\"]}", TOKEN)
                    .status());
            assertEquals(List.of("x/1", "x/2"), sink.sent.stream().map(RecordingSink.Sent::key).toList());
            assertTrue(sink.sent.stream().allMatch(sent -> sent.partition() == null), "placed by their keys");
        });
    }

    @Test
    void shouldNameThePolicyFromThePathAndStampItWhenTheBodyDoesNot() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = send(client, "PUT", "/policies/strict%20one", policyBody().toString(), TOKEN);
            assertEquals(202, answer.status(), answer.raw());
            Policy policy = (Policy) sink.sent.get(0).value();
            assertEquals("strict one", policy.getName());
            assertEquals("strict one", sink.sent.get(0).key());
            assertEquals(TestApi.NOW, policy.getUpdatedAt());
        });
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheWriteIsNotStored() {
        sink.unavailable = true;
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = send(client, "POST", "/control/alerts/a1/ack", "", TOKEN);
            assertEquals(503, answer.status());
            assertEquals("1", answer.header("Retry-After"));
            assertEquals("Service Unavailable", answer.body().get("error").asText());
            assertTrue(answer.message().startsWith("Kafka did not accept the write to control"), answer.raw());
        });
    }

    private static TestApi.Answer send(HttpClient client, String method, String path, String body, String token) {
        return read(client.request(path, request -> {
            request.method(method, RequestBody.create(body, JSON_TYPE));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
        }));
    }

    /** A valid policy as a client would PUT it: no name (the path has it) and no update time. */
    static ObjectNode policyBody() {
        Policy policy = Policy.newBuilder().setName("default").setHeatHalfLifeSeconds(3600).setOpWeights(Map.of())
                .setHotThreshold(20).setWarmThreshold(2).setHysteresis(0.25).setScoreBoost(0).setReplicationHot(1)
                .setReplicationWarm(1).setReplicationCold(1).setDefaultLatencySlaMs(50).setEncryptedOnly(false)
                .setMigrationBudgetBytesPerHour(Long.MAX_VALUE).setCooldownSeconds(60).setHorizonDays(30)
                .setRetireGraceSeconds(600).setLatenessSeconds(300).setUpdatedAt(TestApi.NOW.minusSeconds(3600)).build();
        ObjectNode body = (ObjectNode) AvroJson.toJson(policy);
        body.remove("name");
        body.remove("updatedAt");
        return body;
    }

    private static ObjectNode siteBody() {
        ObjectNode body = (ObjectNode) AvroJson.toJson(ReadHandlersTest.site("aws"));
        body.remove("name");
        return body;
    }
}
