package io.tierflow.api;

import static io.tierflow.api.TestApi.TOKEN;
import static io.tierflow.api.TestApi.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.PolicyScope;
import io.tierflow.streams.TieringTopology;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** {@code PUT /policies/{name}} with a scope and a budget share, against the policies already published. */
class PolicyScopeHandlersTest {
    private static final int PARTITIONS = 3;
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final FakeCluster cluster = new FakeCluster(PARTITIONS);
    private final RecordingSink sink = new RecordingSink();

    PolicyScopeHandlersTest() {
        // Published already: logs/ with a third of the budget.
        cluster.<Policy>global(TieringTopology.POLICIES_STORE).put("logs", published("logs", "logs/", null, 0.3));
    }

    @Test
    void shouldPublishAScopedPolicyWithItsBudgetShare() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = put(client, "models", body("{\"prefix\": \"models/\", \"owner\": \"ml\"}", 0.5));

            assertEquals(202, answer.status(), answer.raw());
            Policy policy = (Policy) sink.sent.get(0).value();
            assertEquals(PolicyScope.newBuilder().setPrefix("models/").setOwner("ml").build(), policy.getScope());
            assertEquals(0.5, policy.getBudgetShare());
        });
    }

    @Test
    void shouldRefuseTheScopeOfAnotherPolicyNamingThatPolicy() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer answer = put(client, "more-logs", body("{\"prefix\": \"logs/\"}", null));

            assertEquals(400, answer.status(), answer.raw());
            assertEquals("scope", answer.body().path("field").asText());
            assertEquals("scope (prefix 'logs/') collides with policy 'logs', which has the same scope: neither would "
                    + "be more specific, so they cannot be ordered; change the scope, or change policy 'logs' instead",
                    answer.message());
            assertEquals(List.of(), sink.sent);
        });
    }

    @Test
    void shouldLetAPolicyChangeItsOwnScopeAndAcceptOneThatCanBeOrdered() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            assertEquals(202, put(client, "logs", body("{\"prefix\": \"logs/\"}", 0.4)).status(), "its own scope");
            assertEquals(202, put(client, "json-logs", body(
                    "{\"prefix\": \"logs/\", \"contentType\": \"application/json\"}", null)).status(),
                    "one condition more: more specific");
            assertEquals(202, put(client, "app-logs", body("{\"prefix\": \"logs/app/\"}", null)).status(),
                    "a longer prefix: more specific");
        });
    }

    @Test
    void shouldRefuseAnInvalidScopeNamingTheProblem() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            assertScopeRefused(client, "{\"prefix\": \"/logs/\"}",
                    "scope.prefix is not canonical like a key: the prefix is absolute (starts with '/')");
            assertScopeRefused(client, "{\"prefix\": \"logs//x\"}",
                    "scope.prefix is not canonical like a key: the prefix has an empty segment ('//') at index 5");
            assertScopeRefused(client, "{\"owner\": \"  \"}",
                    "scope.owner must not be blank, nor start or end with white space, when given");
            assertScopeRefused(client, "{\"contentType\": \"Text/CSV\"}", "scope.contentType must be a media type in "
                    + "lower case without parameters, e.g. application/json; got 'Text/CSV'");
            assertScopeRefused(client, "{}", "scope must give at least one of prefix, owner and contentType (a policy "
                    + "for every dataset is 'default', with no scope)");
            assertScopeRefused(client, "{\"prefix\": 7}", "'scope.prefix' must be a string");
            assertScopeRefused(client, "{\"tags\": \"x\"}", "unknown field 'scope.tags'; known fields: "
                    + "[prefix, owner, contentType]");

            TestApi.Answer onDefault = put(client, "default", body("{\"prefix\": \"x/\"}", null));
            assertEquals(400, onDefault.status());
            assertTrue(onDefault.message().startsWith("scope: 'default' is the catch-all"), onDefault.raw());
            assertEquals(List.of(), sink.sent);
        });
    }

    @Test
    void shouldRefuseBudgetSharesOverTheWholeBudget() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer over = put(client, "models", body("{\"prefix\": \"models/\"}", 0.8));
            assertEquals(400, over.status());
            assertEquals("budgetShare", over.body().path("field").asText());
            assertEquals("budgetShare: the policies' budget shares would add up to 1.1 ('models' 0.8, 'logs' 0.3), "
                    + "over 1", over.message());

            TestApi.Answer zero = put(client, "models", body("{\"prefix\": \"models/\"}", 0.0));
            assertEquals(400, zero.status());
            assertEquals("budgetShare must be a fraction above 0 and at most 1, or null (no share kept)",
                    zero.message());
            assertEquals(List.of(), sink.sent);

            assertEquals(202, put(client, "models", body("{\"prefix\": \"models/\"}", 0.7)).status(), "exactly 1");
        });
    }

    @Test
    void shouldListEachPolicyWithItsScope() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            JsonNode items = read(client.get("/policies")).body().path("items");

            assertEquals("default", items.get(0).path("name").asText(), "the built-in catch-all first");
            assertTrue(items.get(0).path("scope").isNull());
            JsonNode logs = items.get(1);
            assertEquals("logs", logs.path("name").asText());
            assertEquals("logs/", logs.path("scope").path("prefix").asText());
            assertTrue(logs.path("scope").path("owner").isNull());
            assertEquals(0.3, logs.path("budgetShare").asDouble());
        });
    }

    private void assertScopeRefused(HttpClient client, String scope, String message) {
        TestApi.Answer answer = put(client, "p", body(scope, null));
        assertEquals(400, answer.status(), answer.raw());
        assertEquals(message, answer.message());
        assertEquals("scope", answer.body().path("field").asText(), answer.raw());
        assertFalse(answer.raw().contains("Exception"), "no stack trace: " + answer.raw());
    }

    private static ObjectNode body(String scopeJson, Double budgetShare) {
        ObjectNode body = WriteHandlersTest.policyBody();
        try {
            body.set("scope", new com.fasterxml.jackson.databind.ObjectMapper().readTree(scopeJson));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
        if (budgetShare != null) {
            body.put("budgetShare", budgetShare);
        }
        return body;
    }

    private static Policy published(String name, String prefix, String owner, Double budgetShare) {
        ObjectNode body = WriteHandlersTest.policyBody();
        body.put("name", name);
        body.put("updatedAt", TestApi.NOW.toString());
        Policy policy = AvroJson.fromJson(body, Policy.class);
        policy.setScope(PolicyScope.newBuilder().setPrefix(prefix).setOwner(owner).build());
        policy.setBudgetShare(budgetShare);
        return policy;
    }

    private static TestApi.Answer put(HttpClient client, String name, ObjectNode body) {
        return read(client.request("/policies/" + name, request -> {
            request.method("PUT", RequestBody.create(body.toString(), JSON_TYPE));
            request.header("Authorization", "Bearer " + TOKEN);
        }));
    }
}
