package io.tierflow.cli.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.localstack.SiteEndpoint;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Dataset;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * {@code tierflow whatif --from-topics --live-policy} on a real local stack: it reads the recorded topics and the
 * live policy, and afterwards every topic's end offsets and every site's objects are what they were.
 */
class WhatIfIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String SHA = "ab".repeat(32);

    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
    }

    @AfterAll
    static void stopStack() {
    }

    @Test
    void shouldReadTheRecordedTopicsAndChangeNothing(@TempDir Path dir) throws Exception {
        int reads = record();
        Map<String, Long> offsetsBefore = endOffsetsOfEveryTopic();
        Map<String, List<String>> objectsBefore = objectsOfEverySite();
        Files.writeString(dir.resolve("lazy.json"), """
                {"heatHalfLifeSeconds": 3600, "hotThreshold": 500, "warmThreshold": 50, "hysteresis": 0.25,
                 "replicationHot": 1, "replicationWarm": 1, "replicationCold": 1, "defaultLatencySlaMs": 50,
                 "migrationBudgetBytesPerHour": 1000000000000, "cooldownSeconds": 60}
                """);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new WhatIfCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("--from-topics", "--live-policy", "--policy", dir.resolve("lazy.json").toString(),
                        "--out", dir.resolve("report").toString(), "--bootstrap-servers", stack.bootstrapServers(),
                        "--schema-registry-url", stack.schemaRegistryUrl());

        assertEquals(0, exit, err.toString() + out);
        JsonNode report = new ObjectMapper().readTree(dir.resolve("report/whatif.json").toFile());
        assertEquals(6, report.get("policies").size(), "two policies, three baselines and the optimum");
        assertEquals("live", report.get("policies").get(0).get("policy").asText());
        for (JsonNode row : List.of(report.get("policies").get(0), report.get("policies").get(1))) {
            assertTrue(row.get("cost_vs_optimum").asDouble() >= 1 - 1e-9, "nothing beats the optimum: " + row);
            assertEquals(reads, row.get("gets_hot").asLong() + row.get("gets_warm").asLong()
                    + row.get("gets_cold").asLong(), "every recorded read replayed once: " + row);
        }
        assertEquals(offsetsBefore, endOffsetsOfEveryTopic(), "no topic written, internal ones included");
        assertEquals(objectsBefore, objectsOfEverySite(), "no object written or deleted");
    }

    /** A live run's record: a policy, ten datasets on aws, reads of them over the last hours. */
    private static int record() throws Exception {
        Topics topics = stack.topics();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        Instant start = Instant.now().minus(Duration.ofHours(6));
        int reads = 0;
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(props,
                topics.datasets.keySerde().serializer(), (topic, value) -> topic.equals(Topics.POLICIES)
                        ? topics.policies.valueSerde().serializer().serialize(topic, (io.tierflow.schemas.Policy) value)
                        : topic.equals(Topics.DATASETS)
                        ? topics.datasets.valueSerde().serializer().serialize(topic, (Dataset) value)
                        : topics.accessEvents.valueSerde().serializer().serialize(topic, (AccessEvent) value))) {
            producer.send(new ProducerRecord<>(Topics.POLICIES, "default",
                    io.tierflow.cli.whatif.ReplayScenario.policy(20))).get();
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
                    reads++;
                }
            }
            producer.flush();
        }
        return reads;
    }

    private static Map<String, Long> endOffsetsOfEveryTopic() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        List<TopicPartition> partitions = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            var names = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get();
            admin.describeTopics(names).allTopicNames().get().forEach((name, description) -> description.partitions()
                    .forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        }
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Map<String, Long> offsets = new TreeMap<>();
            consumer.endOffsets(partitions, TIMEOUT).forEach((p, offset) -> offsets.put(p.toString(), offset));
            assertFalse(offsets.isEmpty());
            return offsets;
        }
    }

    private static Map<String, List<String>> objectsOfEverySite() throws Exception {
        Map<String, List<String>> objects = new TreeMap<>();
        for (SiteEndpoint site : stack.sites()) {
            if (site.isS3()) {
                objects.put(site.name(), stack.s3Client(site.name()).listObjectsV2(ListObjectsV2Request.builder()
                        .bucket(site.bucket()).build()).contents().stream()
                        .map(o -> o.key() + "@" + o.eTag()).sorted().toList());
            } else {
                try (var files = Files.walk(stack.onPremDirectory())) {
                    objects.put(site.name(), files.map(Path::toString).sorted().toList());
                }
            }
        }
        assertTrue(objects.size() >= 2, objects.toString());
        return objects;
    }
}
