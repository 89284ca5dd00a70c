package io.tierflow.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.Model;
import io.tierflow.streams.RecordMapping;
import io.tierflow.streams.domain.ScoringModel;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tierflow train --from-topics --publish candidate} on a real local stack: it learns the planted rule from the
 * recorded datasets and access-events topics, and the models topic then holds each run's model under the name, which
 * the streams app's own mapping loads.
 */
class TrainIT {
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
    void shouldPublishTheChosenModelWhichTheStreamsAppLoads(@TempDir Path dir) throws Exception {
        record();

        String firstRun = train(dir.resolve("first"));
        String secondRun = train(dir.resolve("second"));

        List<Model> published = publishedUnder("candidate");
        assertEquals(2, published.size(), "each run's model is a version in the topic's history");
        Model latest = published.get(1);
        assertTrue(firstRun.contains(published.get(0).getVersion()), firstRun);
        assertTrue(secondRun.contains(latest.getVersion()), secondRun);
        assertNotEquals(published.get(0).getVersion(), latest.getVersion());
        assertEquals("read_within_horizon", latest.getTarget());
        assertEquals(12 * 3600, latest.getHorizonSeconds());
        assertTrue(latest.getMetrics().get("auc") >= 0.9, "the planted rule: " + latest.getMetrics());
        assertTrue(latest.getMetrics().containsKey("brier") && latest.getMetrics().containsKey("positive_rate"));
        ScoringModel loaded = RecordMapping.scoringModel("candidate", latest);
        assertEquals(latest.getVersion(), loaded.version());
        assertEquals(latest.getThreshold(), loaded.threshold());
    }

    private static String train(Path out) {
        StringWriter stdout = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new TrainCommand()).setOut(new PrintWriter(stdout)).setErr(new PrintWriter(err))
                .execute("--from-topics", "--horizon", "12h", "--every", "2h", "--out", out.toString(),
                        "--publish", "candidate", "--bootstrap-servers", stack.bootstrapServers(),
                        "--schema-registry-url", stack.schemaRegistryUrl());
        assertEquals(0, exit, err.toString() + stdout);
        return stdout.toString();
    }

    /**
     * The planted rule over the last five days (within the broker's retention): "periodic" datasets read every few
     * hours, "once" datasets read once.
     */
    private static void record() throws Exception {
        Topics topics = stack.topics();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        long start = Instant.now().minus(Duration.ofDays(5)).toEpochMilli();
        List<PlantedTrace.Request> requests = PlantedTrace.generate(20, 300, 5, 8);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(props,
                topics.datasets.keySerde().serializer(), (topic, value) -> topic.equals(Topics.DATASETS)
                        ? topics.datasets.valueSerde().serializer().serialize(topic, (Dataset) value)
                        : topics.accessEvents.valueSerde().serializer().serialize(topic, (AccessEvent) value))) {
            java.util.Set<String> registered = new java.util.HashSet<>();
            int n = 0;
            for (PlantedTrace.Request r : requests) {
                Instant at = Instant.ofEpochMilli(start + r.timeMs());
                if (registered.add(r.key())) {
                    Dataset dataset = Dataset.newBuilder().setKey(r.key()).setSizeBytes(r.size())
                            .setContentType("application/octet-stream").setOwner("it").setVersionToken("\"v1\"")
                            .setSha256(SHA).setPrimarySite("aws").setStorageClass("STANDARD").setUpdatedAt(at)
                            .build();
                    producer.send(new ProducerRecord<>(Topics.DATASETS, null, at.toEpochMilli(), r.key(), dataset));
                }
                AccessEvent event = new AccessEvent(r.key(), AccessOp.GET, r.size(), "aws", "us-east", 20.0, at,
                        "it-" + n++);
                producer.send(new ProducerRecord<>(Topics.ACCESS_EVENTS, null, at.toEpochMilli(), r.key(), event));
            }
            producer.flush();
        }
    }

    /** Every record under {@code name} in the models topic, oldest first. */
    private static List<Model> publishedUnder(String name) {
        Topics topics = stack.topics();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        List<Model> models = new ArrayList<>();
        try (KafkaConsumer<String, Model> consumer = new KafkaConsumer<>(props, topics.models.keySerde().deserializer(),
                topics.models.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.MODELS, TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertTrue(System.nanoTime() < deadline, "the models topic could not be read");
                for (ConsumerRecord<String, Model> record : consumer.poll(Duration.ofMillis(200))) {
                    if (name.equals(record.key())) {
                        models.add(record.value());
                    }
                }
            }
        }
        return models;
    }
}
