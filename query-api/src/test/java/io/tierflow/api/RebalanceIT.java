package io.tierflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.Dataset;
import io.tierflow.streams.TieringSettings;
import io.tierflow.topics.Topics;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import io.tierflow.streams.TieringTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a second node joins and leaves (two rebalances), every answer for a known key is either right or a 503
 * with Retry-After: never a 404, a 500, another key's data, or a list with keys missing.
 */
class RebalanceIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String APPLICATION_ID = "tierflow-rebalance-it";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void answersAreRightOrRetryLaterWhileNodesJoinAndLeave() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        List<String> keys = new ArrayList<>();
        List<ProducerRecord<String, Dataset>> inventory = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String key = String.format("rebalance/ds%02d", i);
            keys.add(key);
            inventory.add(new ProducerRecord<>(Topics.DATASETS, key, Dataset.newBuilder().setKey(key)
                    .setSizeBytes(1000 + i).setContentType("application/octet-stream").setOwner("it")
                    .setVersionToken("v").setSha256("ab".repeat(32)).setPrimarySite("aws")
                    .setStorageClass("STANDARD").setUpdatedAt(Instant.now()).build()));
        }
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.DATASETS, Serdes.String().serializer(),
                stack.topics().datasets.valueSerde().serializer(), inventory);
        try (StreamsNode a = node(stack, "a")) {
            awaitTrue(() -> status(a, "/datasets/" + keys.get(keys.size() - 1)) == 200, "node a serving");

            AtomicBoolean running = new AtomicBoolean(true);
            Map<String, Integer> outcomes = new ConcurrentHashMap<>();
            List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger listsChecked = new AtomicInteger();
            Thread reader = new Thread(() -> {
                int i = 0;
                while (running.get()) {
                    String key = keys.get(i++ % keys.size());
                    try {
                        check(a, "/datasets/" + key, body -> key.equals(body.path("key").asText())
                                && body.path("inventory").path("sizeBytes").asLong() == 1000 + keys.indexOf(key),
                                outcomes, wrong);
                        if (i % 10 == 0) {
                            check(a, "/datasets?limit=100", body -> listKeys(body).equals(new TreeSet<>(keys)),
                                    outcomes, wrong);
                            listsChecked.incrementAndGet();
                        }
                    } catch (Exception e) {
                        wrong.add(key + ": " + e);
                    }
                }
            }, "rebalance-reader");
            reader.start();
            try (StreamsNode b = node(stack, "b")) {
                awaitTrue(() -> b.app().streams().state() == KafkaStreams.State.RUNNING
                        && a.app().streams().state() == KafkaStreams.State.RUNNING
                        && b.app().streams().metadataForLocalThreads().stream()
                                .anyMatch(t -> !t.activeTasks().isEmpty()), "node b owning partitions");
                awaitTrue(() -> status(b, "/datasets/" + keys.get(0)) == 200, "node b serving");
                // The API keeps each partition's owner between rebalances: the answers must follow the move.
                awaitTrue(() -> answeredByOwner(a, keys), "every key answered by its new owner through a");
                awaitTrue(() -> answeredByOwner(b, keys), "every key answered by its new owner through b");
            }
            // b left the group as it closed, so a takes its partitions over now, not after b's session timeout.
            assertEquals(a.app().streams().metadataForLocalThreads().size(), groupMembers(stack),
                    "only a's stream threads are members of the group once b has closed");
            awaitTrue(() -> a.app().streams().state() == KafkaStreams.State.RUNNING
                    && status(a, "/datasets/" + keys.get(0)) == 200, "node a alone again");
            awaitTrue(() -> answeredByOwner(a, keys), "every key answered by a again once b has left");
            awaitTrue(() -> listsChecked.get() > 20, "lists read across both rebalances");
            running.set(false);
            reader.join();
            System.out.println("answers while two rebalances went on: " + outcomes);
            assertEquals(List.of(), wrong, "no wrong or silently partial answers");
            assertTrue(outcomes.getOrDefault("200", 0) > 0, "answers were given: " + outcomes);
            assertEquals(Map.of(), Map.copyOf(outcomes).entrySet().stream()
                    .filter(e -> !e.getKey().equals("200") && !e.getKey().equals("503"))
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                    "only 200 and 503 while rebalancing: " + outcomes);
        }
    }

    private static void check(StreamsNode node, String path, java.util.function.Predicate<JsonNode> right,
            Map<String, Integer> outcomes, List<String> wrong) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.apiPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        outcomes.merge(String.valueOf(response.statusCode()), 1, Integer::sum);
        if (response.statusCode() == 200 && !right.test(JSON.readTree(response.body()))) {
            wrong.add(path + " answered 200 with " + response.body());
        } else if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isEmpty()) {
            wrong.add(path + " answered 503 without Retry-After");
        } else if (response.statusCode() != 200 && response.statusCode() != 503) {
            wrong.add(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /**
     * Whether every key asked through this node answers 200 from the instance Kafka Streams names as its owner (both
     * nodes must agree on who owns what, so the check is repeated until they do).
     */
    private static boolean answeredByOwner(StreamsNode node, List<String> keys) throws Exception {
        for (String key : keys) {
            KeyQueryMetadata owner = node.app().streams().queryMetadataForKey(TieringTopology.DATASET_STATE_STORE, key,
                    Serdes.String().serializer());
            if (owner == null || owner.activeHost() == null || owner.activeHost().equals(HostInfo.unavailable())) {
                return false;
            }
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.apiPort() + "/datasets/" + key)).build(), HttpResponse.BodyHandlers.ofString());
            String instance = response.headers().firstValue(QueryServer.INSTANCE_HEADER).orElse("");
            if (response.statusCode() != 200
                    || !instance.equals(owner.activeHost().host() + ":" + owner.activeHost().port())) {
                return false;
            }
        }
        return true;
    }

    private static TreeSet<String> listKeys(JsonNode body) {
        TreeSet<String> keys = new TreeSet<>();
        body.path("items").forEach(item -> keys.add(item.path("key").asText()));
        return keys;
    }

    private StreamsNode node(LocalStack stack, String name) throws Exception {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + name).toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return StreamsNode.start(config, TieringSettings.DEFAULTS, ApiSettings.defaults().withPort(port));
    }

    private static int groupMembers(LocalStack stack) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            return admin.describeConsumerGroups(List.of(APPLICATION_ID)).all().get().get(APPLICATION_ID).members()
                    .size();
        }
    }

    private static int status(StreamsNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.apiPort() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }


    private static void awaitTrue(Eventually.Condition condition, String what) throws Exception {
        Eventually.holds(TIMEOUT, what, condition);
    }
}
