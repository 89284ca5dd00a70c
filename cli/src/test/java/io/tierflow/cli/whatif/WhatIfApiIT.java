package io.tierflow.cli.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tierflow.api.ApiSettings;
import io.tierflow.api.StreamsNode;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.Policy;
import io.tierflow.streams.TieringSettings;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.io.Writer;
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
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's what-if on a real local stack: a streams node wired as {@code tierflow streams} wires it (with the
 * {@link TopicWhatIfRunner}) compares the live policy and a pasted one over recorded access events through
 * {@code POST /whatif/runs}, and the live topics it reads are unchanged afterwards.
 */
class WhatIfApiIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final String TOKEN = "whatif-it-token";
    private static final String SHA = "ab".repeat(32);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The topics the what-if reads; the node itself writes none of them, so any change would be the what-if's. */
    private static final List<String> LIVE_INPUTS = List.of(Topics.DATASETS, Topics.ACCESS_EVENTS, Topics.POLICIES,
            Topics.SITES, Topics.MODELS, Topics.CONTROL, Topics.MIGRATION_STATUS);

    @TempDir
    static Path dataDir;
    static LocalStack stack;
    static Instant recordedFrom;
    static List<Instant> readTimes;

    @BeforeAll
    static void startStackAndRecord() throws Exception {
        stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
        recordedFrom = Instant.now().minus(Duration.ofHours(6));
        readTimes = record(stack, recordedFrom);
    }

    @Test
    void shouldCompareTheLiveAndAPastedPolicyThroughTheApiAndWriteNothing() throws Exception {
        Properties config = streamsConfig(stack, dataDir.resolve("state"));
        int port = freePort();
        try (StreamsNode node = StreamsNode.start(config, TieringSettings.DEFAULTS,
                ApiSettings.defaults().withPort(port).withToken(TOKEN),
                TopicWhatIfRunner.forNode(config, TieringSettings.DEFAULTS))) {
            // The live policy is the published default once the node's global store has it.
            Eventually.holds(TIMEOUT, "the node to serve the published default policy", () -> {
                HttpResponse<String> policies = request(port, "/policies");
                return policies.statusCode() == 200 && JSON.readTree(policies.body()).path("items").findValues("name")
                        .stream().anyMatch(n -> n.asText().equals("default"))
                        && !policies.body().contains("\"builtIn\"");
            });
            Map<String, Long> before = endOffsets(LIVE_INPUTS);
            ObjectNode lazy = JSON.createObjectNode().put("name", "lazy").put("heatHalfLifeSeconds", 3600)
                    .put("hotThreshold", 500).put("warmThreshold", 50).put("hysteresis", 0.25)
                    .put("replicationHot", 1).put("replicationWarm", 1).put("replicationCold", 1)
                    .put("defaultLatencySlaMs", 50).put("migrationBudgetBytesPerHour", 1_000_000_000_000L)
                    .put("cooldownSeconds", 60);
            ObjectNode body = JSON.createObjectNode().put("live", true)
                    .put("from", recordedFrom.minus(Duration.ofMinutes(5)).toString());
            body.putArray("policies").add(lazy);

            HttpResponse<String> started = post(port, body.toString());
            assertEquals(202, started.statusCode(), started.body());
            String id = JSON.readTree(started.body()).get("id").asText();

            JsonNode[] status = new JsonNode[1];
            Eventually.holds(TIMEOUT, () -> "the run to end; last status " + status[0], () -> {
                status[0] = get(port, "/whatif/runs/" + id);
                return !status[0].path("state").asText().equals("RUNNING");
            });
            assertEquals("SUCCEEDED", status[0].get("state").asText(), status[0].toString());

            JsonNode result = status[0].get("result");
            List<String> names = new ArrayList<>();
            result.get("rows").forEach(row -> names.add(row.get("name").asText()));
            assertEquals(List.of("live", "lazy"), names.subList(0, 2), names.toString());
            for (String baseline : List.of("all-hot", "intelligent-tiering", "lifecycle-by-age")) {
                assertTrue(names.stream().anyMatch(n -> n.startsWith(baseline + " @")), baseline + " in " + names);
            }
            JsonNode optimumRow = result.get("rows").get(names.size() - 1);
            assertEquals("OPTIMUM", optimumRow.get("kind").asText());
            double optimum = result.get("optimumUsd").asDouble();
            assertEquals(optimum, optimumRow.get("totalUsd").asDouble());
            assertTrue(optimum > 0, result.toString());
            for (JsonNode row : result.get("rows")) {
                assertTrue(optimum <= row.get("totalUsd").asDouble() * (1 + 1e-9), "nothing beats the optimum: " + row);
                assertEquals(row.get("totalUsd").asDouble() / optimum, row.get("costVsOptimum").asDouble(), 1e-9);
            }
            for (JsonNode row : List.of(result.get("rows").get(0), result.get("rows").get(1))) {
                assertEquals("POLICY", row.get("kind").asText());
                long gets = row.at("/getsByTier/HOT").asLong() + row.at("/getsByTier/WARM").asLong()
                        + row.at("/getsByTier/COLD").asLong();
                assertEquals(readTimes.size(), gets, "every recorded read replayed once: " + row);
                JsonNode cumulative = row.get("cumulative");
                assertTrue(cumulative.size() > 1, row.toString());
                assertEquals(row.get("totalUsd").asDouble(), cumulative.get(cumulative.size() - 1).get(1).asDouble(),
                        1e-9, "the chart ends at the row's total");
            }
            assertEquals(id, get(port, "/whatif").get("latest").asText());
            assertEquals(before, endOffsets(LIVE_INPUTS), "the what-if wrote to none of the live topics it read");
        }
    }

    @Test
    void shouldReplayOnlyTheLatestEventsOfARangeHoldingMoreThanTheBound() throws Exception {
        long bound = 500;
        TopicReplaySource source = new TopicReplaySource(stack.bootstrapServers(), stack.topics(), Topics.DATASETS,
                Topics.ACCESS_EVENTS, null, recordedFrom.minusSeconds(60), Instant.now(), bound,
                Duration.ofSeconds(30), new PrintWriter(Writer.nullWriter()), "whatif-api-it");
        List<Long> replayed = new ArrayList<>();
        int[] inventory = {0};
        source.replay(input -> {
            if (input instanceof ReplayInput.Access access) {
                replayed.add(access.timeMs());
            } else if (input instanceof ReplayInput.Inventory) {
                inventory[0]++;
            }
        });

        Instant readFrom = source.readFrom();
        assertTrue(readFrom.isAfter(recordedFrom), "narrowed: " + readFrom);
        long expected = readTimes.stream().filter(t -> !t.isBefore(readFrom)).count();
        assertEquals(expected, replayed.size(), "exactly the recorded reads from " + readFrom + " on");
        assertTrue(replayed.size() <= bound, replayed.size() + " > " + bound);
        assertTrue(replayed.size() > bound - 10, "at most one instant's reads (10) short of the bound: "
                + replayed.size());
        assertEquals(10, inventory[0], "the whole inventory, whatever the range");
        assertFalse(replayed.stream().anyMatch(t -> t < readFrom.toEpochMilli()));
    }

    /**
     * A live run's record: the default policy, ten datasets on aws and reads of them over the six hours from
     * {@code start}; returns the reads' times.
     */
    static List<Instant> record(LocalStack stack, Instant start) throws Exception {
        Topics topics = stack.topics();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        List<Instant> reads = new ArrayList<>();
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(props,
                topics.datasets.keySerde().serializer(), (topic, value) -> topic.equals(Topics.POLICIES)
                        ? topics.policies.valueSerde().serializer().serialize(topic, (Policy) value)
                        : topic.equals(Topics.DATASETS)
                        ? topics.datasets.valueSerde().serializer().serialize(topic, (Dataset) value)
                        : topics.accessEvents.valueSerde().serializer().serialize(topic, (AccessEvent) value))) {
            producer.send(new ProducerRecord<>(Topics.POLICIES, "default", ReplayScenario.policy(20))).get();
            for (int i = 0; i < 10; i++) {
                String key = "it/ds-" + i;
                Dataset dataset = Dataset.newBuilder().setKey(key).setSizeBytes(50_000_000L)
                        .setContentType("application/octet-stream").setOwner("it").setVersionToken("\"v1\"")
                        .setSha256(SHA).setPrimarySite("aws").setStorageClass("STANDARD").setUpdatedAt(start).build();
                producer.send(new ProducerRecord<>(Topics.DATASETS, null, start.toEpochMilli(), key, dataset));
            }
            for (int minute = 1; minute < 6 * 60; minute++) {
                for (int i = 0; i < 10; i += 1 + (minute % 3 == 0 ? 0 : 4)) {
                    Instant at = start.plus(Duration.ofMinutes(minute));
                    String key = "it/ds-" + i;
                    AccessEvent event = new AccessEvent(key, AccessOp.GET, 1_000_000L, "aws", "us-east", 20.0, at,
                            "it-" + minute + "-" + i);
                    producer.send(new ProducerRecord<>(Topics.ACCESS_EVENTS, null, at.toEpochMilli(), key, event));
                    reads.add(at);
                }
            }
            producer.flush();
        }
        return reads;
    }

    static Properties streamsConfig(LocalStack stack, Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-whatif-api-it");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return config;
    }

    private static Map<String, Long> endOffsets(List<String> topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            Map<String, Long> offsets = new TreeMap<>();
            consumer.endOffsets(partitions, Duration.ofSeconds(30)).forEach((p, o) -> offsets.put(p.toString(), o));
            assertTrue(offsets.keySet().stream().anyMatch(p -> p.startsWith(Topics.ACCESS_EVENTS)), offsets.toString());
            return offsets;
        }
    }

    private static HttpResponse<String> post(int port, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/whatif/runs"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> request(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = request(port, path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
