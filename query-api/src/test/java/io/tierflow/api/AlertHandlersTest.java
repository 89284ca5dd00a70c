package io.tierflow.api;

import static io.tierflow.api.TestApi.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.JavalinTest;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertExample;
import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.Severity;
import io.tierflow.streams.AlertMembers;
import io.tierflow.streams.TieringTopology;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code /alerts} and {@code /alerts/{id}/members} over a cluster held in memory: paging, filters, errors. */
class AlertHandlersTest {
    private static final int PARTITIONS = 3;
    private static final String GROUP = "TRAFFIC_SPIKE:policy=default";
    private static final Instant AT = Instant.parse("2026-11-21T11:00:00Z");

    private final FakeCluster cluster = new FakeCluster(PARTITIONS);
    private final RecordingSink sink = new RecordingSink();

    @Test
    void shouldPageThroughEveryAlertOfEveryPartitionInIdOrder() {
        List<String> ids = new ArrayList<>(List.of(GROUP, "LATENCY_SLA:site=aws", "SITE_DOWN:azure",
                "MIGRATION_BACKLOG:global", "OTHER:invalid-record:sites/x"));
        IntStream.range(0, 6).forEach(i -> ids.add("COST_SPIKE:site=s" + i));
        ids.forEach(id -> putAlert(id, id.startsWith("SITE") ? AlertState.RESOLVED : AlertState.FIRING, 1));
        assertTrue(ids.stream().map(id -> io.tierflow.streams.store.KeyPartitions.of(id, PARTITIONS)).distinct().count()
                > 1, "the alerts lie in more than one partition");
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                TestApi.Answer page = read(client.get("/alerts?limit=4" + (cursor == null ? "" : "&cursor=" + enc(cursor))));
                assertEquals(200, page.status(), page.raw());
                page.body().get("items").forEach(a -> seen.add(a.get("id").asText()));
                assertTrue(page.body().get("items").size() <= 4);
                cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
                pages++;
            } while (cursor != null);
            assertEquals(List.copyOf(new TreeSet<>(ids)), seen, "every alert once, in id order");
            assertEquals(3, pages);

            TestApi.Answer resolved = read(client.get("/alerts?state=resolved"));
            assertEquals(List.of("SITE_DOWN:azure"), ids(resolved.body()));
            TestApi.Answer costs = read(client.get("/alerts?type=COST_SPIKE&state=FIRING&limit=5"));
            assertEquals(5, costs.body().get("items").size());
            assertEquals("COST_SPIKE:site=s4", costs.body().get("nextCursor").asText());

            assertEquals(400, read(client.get("/alerts?limit=0")).status());
            assertTrue(read(client.get("/alerts?type=nope")).message().startsWith("type must be one of"));
        });
    }

    @Test
    void shouldAnswerAGroupWithItsCountAndExamplesAndPageThroughItsMembers() {
        List<String> members = List.of("logs/2026/a b.parquet", "x/<script>&\"q\"'.csv", "données/été.csv", "a+b/c",
                "z/last");
        putAlert(GROUP, AlertState.ACKNOWLEDGED, members.size());
        putAlert("TRAFFIC_SPIKE:policy=defaults", AlertState.FIRING, 1); // shares a prefix, has no members
        members.forEach(key -> cluster.<AlertSignal>storeOf(TieringTopology.ALERT_MEMBERS_STORE, GROUP)
                .put(AlertMembers.key(GROUP, key), member(key)));
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            JsonNode group = read(client.get("/alerts?type=TRAFFIC_SPIKE&limit=1")).body().get("items").get(0);
            assertEquals(GROUP, group.get("id").asText());
            assertEquals(members.size(), group.get("count").asLong());
            assertEquals("ACKNOWLEDGED", group.get("state").asText());
            assertEquals("z/last", group.get("examples").get(0).get("subject").asText());

            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                TestApi.Answer page = read(client.get("/alerts/" + ReadHandlers.encodePath(GROUP) + "/members?limit=2"
                        + (cursor == null ? "" : "&cursor=" + enc(cursor))));
                assertEquals(200, page.status(), page.raw());
                assertEquals(GROUP, page.body().get("alert").get("id").asText());
                page.body().get("items").forEach(m -> {
                    seen.add(m.get("subject").asText());
                    // Written as the alert's own timestamps are (both AT here).
                    assertEquals(group.get("raisedAt").asText(), m.get("since").asText());
                });
                cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
            } while (cursor != null);
            assertEquals(List.copyOf(new TreeSet<>(members)), seen, "every member once, in key order");

            TestApi.Answer alone = read(client.get("/alerts/" + ReadHandlers.encodePath("TRAFFIC_SPIKE:policy=defaults")
                    + "/members"));
            assertEquals(0, alone.body().get("items").size(), "another group's members are not this one's");

            TestApi.Answer missing = read(client.get("/alerts/NOPE:x/members"));
            assertEquals(404, missing.status());
            assertEquals("no alert 'NOPE:x'", missing.message());
        });
    }

    @Test
    void shouldAcknowledgeAWholeGroupThroughTheControlPath() {
        JavalinTest.test(TestApi.create(cluster, sink, PARTITIONS), (server, client) -> {
            TestApi.Answer ack = read(client.request("/control/alerts/" + ReadHandlers.encodePath(GROUP) + "/ack",
                    request -> request.post(okhttp3.RequestBody.create("", okhttp3.MediaType.get("application/json")))
                            .header("Authorization", "Bearer " + TestApi.TOKEN)));
            assertEquals(202, ack.status(), ack.raw());
            assertEquals(GROUP, sink.sent.get(0).key());
            assertEquals(GROUP, ((io.tierflow.schemas.ControlCommand) sink.sent.get(0).value()).getTarget());
        });
    }

    private void putAlert(String id, AlertState state, long count) {
        List<AlertExample> examples = count > 1 ? List.of(AlertExample.newBuilder().setSubject("z/last").setValue(400)
                .setMessage("400 accesses").build()) : List.of();
        Alert alert = Alert.newBuilder().setId(id).setType(AlertType.valueOf(id.substring(0, id.indexOf(':'))))
                .setSeverity(Severity.WARNING).setState(state).setSubject(id.substring(id.indexOf(':') + 1))
                .setMessage("m").setValue(1).setThreshold(1).setRaisedAt(AT).setUpdatedAt(AT).setCount(count)
                .setExamples(examples).build();
        cluster.<Alert>storeOf(TieringTopology.ALERTS_STORE, id).put(id, alert);
    }

    private static AlertSignal member(String key) {
        return AlertSignal.newBuilder().setAlertId("TRAFFIC_SPIKE:" + key).setGroup(GROUP)
                .setType(AlertType.TRAFFIC_SPIKE).setSeverity(Severity.WARNING).setSubject(key).setFiring(true)
                .setValue(60).setThreshold(5).setMessage("60 accesses").setAt(AT.toEpochMilli()).build();
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.get("items").forEach(a -> ids.add(a.get("id").asText()));
        return ids;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
