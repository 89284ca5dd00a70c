package io.tierflow.api;

import static io.tierflow.api.TestApi.TOKEN;
import static io.tierflow.api.TestApi.read;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Provider;
import io.tierflow.schemas.Site;
import io.tierflow.streams.TieringTopology;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** {@code PUT /policies/{name}} with copies and a write quorum, against the sites' providers. */
class QuorumPolicyHandlersTest {
    private static final int PARTITIONS = 3;
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final FakeCluster cluster = new FakeCluster(PARTITIONS);
    private final RecordingSink sink = new RecordingSink();

    QuorumPolicyHandlersTest() {
        // Three sites on two providers, one of them down.
        Site awsDown = Site.newBuilder(ReadHandlersTest.site("aws")).setUp(false).build();
        Site aws2 = Site.newBuilder(ReadHandlersTest.site("aws-2")).setName("aws-2").build();
        Site gcp = Site.newBuilder(ReadHandlersTest.site("gcp")).setName("gcp").setProvider(Provider.GCP).build();
        cluster.<Site>global(TieringTopology.SITES_STORE).put("aws", awsDown).put("aws-2", aws2).put("gcp", gcp);
    }

    @Test
    void shouldPublishCopiesAndAQuorumTheProvidersCanHold() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = put(client, quorum(2, 1));

            assertEquals(202, answer.status(), answer.raw());
            Policy policy = (Policy) sink.sent.get(0).value();
            assertEquals(2, policy.getCopies());
            assertEquals(1, policy.getWriteQuorum());
        });
    }

    @Test
    void shouldRefuseMoreCopiesThanProvidersNamingTheField() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = put(client, quorum(3, 2));

            assertEquals(400, answer.status(), answer.raw());
            assertEquals("copies", answer.body().path("field").asText());
            assertEquals("copies 3 needs 3 distinct providers (each copy on its own), but the catalogue's sites are on "
                    + "2 (AWS, GCP); add sites on other providers first, or ask for at most 2 copies", answer.message());
            assertEquals(List.of(), sink.sent);
        });
    }

    @Test
    void shouldRefuseAQuorumAboveTheCopiesNamingTheField() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = put(client, quorum(2, 3));

            assertEquals(400, answer.status(), answer.raw());
            assertEquals("writeQuorum", answer.body().path("field").asText());
            assertEquals("writeQuorum 3 exceeds copies 2: a quorum larger than the copies kept could never be met",
                    answer.message());
            assertEquals(List.of(), sink.sent);
        });
    }

    private static ObjectNode quorum(int copies, int writeQuorum) {
        ObjectNode body = WriteHandlersTest.policyBody();
        body.put("copies", copies);
        body.put("writeQuorum", writeQuorum);
        return body;
    }

    private static TestApi.Answer put(HttpClient client, ObjectNode body) {
        return read(client.request("/policies/default", request -> {
            request.method("PUT", RequestBody.create(body.toString(), JSON_TYPE));
            request.header("Authorization", "Bearer " + TOKEN);
        }));
    }
}
