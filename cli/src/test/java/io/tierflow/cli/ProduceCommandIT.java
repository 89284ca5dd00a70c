package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.migrator.FileSiteStore;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import io.tierflow.topics.Topic;
import io.tierflow.topics.Topics;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * {@code tierflow produce} run in-process against a real local stack (broker, registry, S3Proxy sites): what it
 * writes is read back with Tierflow's serdes, and the objects it uploads are read back from the site.
 * The tests share one stack and tell their output apart by site (each uploads to a different one).
 */
class ProduceCommandIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    /**
     * The tests register the same keys on different sites of one stack. Following where the datasets are, the second
     * run would serve them from the first registration's site, as the topology would keep them there; these tests are
     * about registering and uploading, so each run serves reads from its own site (ProduceFollowsMovesIT follows).
     */
    private static final String NOT_FOLLOWING = "--no-follow-placements";

    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
    }

    @AfterAll
    static void stopStack() {
    }

    @Test
    void shouldUploadRegisterAndProduceZipfTrafficToTheLocalStack() throws Exception {
        Run run = produce("--datasets", "50", "--events", "2000", "--unthrottled", "--start", START.toString(),
                "--max-object-bytes", "1MiB", "--upload-to", "aws", NOT_FOLLOWING,
                "--site-port", "aws=" + stack.config().sitePorts().get("aws"));

        assertEquals(0, run.exit, run.toString());
        assertTrue(run.out.contains("2,000 events to access-events"), run.out);
        Topics topics = stack.topics();

        // Exactly the 50 datasets, all on aws, readable with our serde.
        Map<String, Dataset> datasets = readAll(topics.datasets).stream().map(ConsumerRecord::value)
                .filter(d -> d.getPrimarySite().equals("aws"))
                .collect(Collectors.toMap(Dataset::getKey, Function.identity()));
        Set<String> expectedKeys = IntStream.rangeClosed(1, 50).mapToObj(i -> String.format("datasets/d%06d", i))
                .collect(Collectors.toSet());
        assertEquals(expectedKeys, datasets.keySet());

        // 2000 events, each for one of them, time-stamped with its event time, ids unique.
        List<ConsumerRecord<String, AccessEvent>> events = readAll(topics.accessEvents).stream()
                .filter(r -> r.value().getServedFrom().equals("aws")).toList();
        assertEquals(2000, events.size());
        Map<String, Integer> perKey = new HashMap<>();
        for (ConsumerRecord<String, AccessEvent> record : events) {
            AccessEvent event = record.value();
            assertEquals(record.key(), event.getKey());
            assertTrue(datasets.containsKey(event.getKey()), event.getKey());
            assertEquals(event.getEventTime().toEpochMilli(), record.timestamp());
            assertFalse(event.getEventTime().isBefore(START), event.getEventTime().toString());
            perKey.merge(event.getKey(), 1, Integer::sum);
        }
        assertEquals(2000, events.stream().map(r -> r.value().getEventId()).distinct().count());
        // Zipf: rank 1 has about a quarter of the traffic, rank 40 well under 1%.
        int top = perKey.getOrDefault("datasets/d000001", 0);
        int low = perKey.getOrDefault("datasets/d000040", 0);
        assertTrue(top > 5 * Math.max(low, 1) && top > 300, "rank 1: " + top + " events, rank 40: " + low);

        // Every dataset is a real object on aws whose bytes match its inventory record.
        try (S3Client s3 = stack.s3Client("aws")) {
            for (Dataset dataset : datasets.values()) {
                try (ResponseInputStream<GetObjectResponse> object =
                        s3.getObject(b -> b.bucket(LocalStack.BUCKET).key(dataset.getKey()))) {
                    Hashed hashed = sha256(object);
                    assertEquals(dataset.getSha256(), hashed.sha256, dataset.getKey());
                    assertEquals(dataset.getSizeBytes(), hashed.size, dataset.getKey());
                    assertEquals(dataset.getVersionToken(), object.response().eTag(), dataset.getKey());
                    assertEquals(dataset.getContentType(), object.response().contentType(), dataset.getKey());
                }
            }
        }
    }

    @Test
    void shouldWriteDatasetsAsFilesToTheOnPremSite() throws Exception {
        Run run = produce("--datasets", "5", "--events", "20", "--unthrottled", "--seed", "7",
                "--max-object-bytes", "256KiB", "--upload-to", "onprem", "--data-dir", stack.dataDir().toString(),
                NOT_FOLLOWING);

        assertEquals(0, run.exit, run.toString());
        List<Dataset> datasets = readAll(stack.topics().datasets).stream().map(ConsumerRecord::value)
                .filter(d -> d.getPrimarySite().equals("onprem")).toList();
        assertEquals(5, datasets.size());
        for (Dataset dataset : datasets) {
            Path file = stack.onPremDirectory().resolve(dataset.getKey());
            try (InputStream in = Files.newInputStream(file)) {
                Hashed hashed = sha256(in);
                assertEquals(dataset.getSha256(), hashed.sha256, dataset.getKey());
                assertEquals(dataset.getSizeBytes(), hashed.size, dataset.getKey());
            }
            // The token the migrator's file store reports, so a move off onprem finds the registered version.
            assertEquals(new FileSiteStore("onprem", stack.onPremDirectory()).head(dataset.getKey()).orElseThrow()
                    .versionToken(), dataset.getVersionToken(), dataset.getKey());
        }
        long onPremEvents = readAll(stack.topics().accessEvents).stream()
                .filter(r -> r.value().getServedFrom().equals("onprem")).count();
        assertEquals(20, onPremEvents);
    }

    @Test
    void shouldFailInOneLineWhenKafkaIsUnreachable() {
        String nowhere = LocalStackConfig.HOST + ":" + LocalStackConfig.freePort();
        Run run = run("produce", "--bootstrap-servers", nowhere, "--schema-registry-url", stack.schemaRegistryUrl(),
                "--events", "10", "--connect-timeout", "2s");

        assertEquals(1, run.exit, run.toString());
        assertTrue(run.err.startsWith("tierflow produce: cannot reach Kafka at " + nowhere), run.err);
        assertEquals(1, run.err.lines().count(), "one line, no stack trace: " + run.err);
    }

    @Test
    void shouldExplainInOneLineWhenTheBrokerRejectsEventTimesFromTheFuture() {
        Instant tooLate = Instant.now().plus(Duration.ofHours(3));
        Run run = produce("--datasets", "5", "--events", "50", "--unthrottled", "--no-register-datasets",
                "--start", tooLate.toString());

        assertEquals(1, run.exit, run.toString());
        List<String> lines = run.err.lines().toList();
        assertEquals(2, lines.size(), "a warning up front, then the error, no stack trace: " + run.err);
        assertTrue(lines.get(0).startsWith("tierflow produce: warning: event time may reach"), run.err);
        assertTrue(lines.get(1).startsWith("tierflow produce: the broker rejected records for topic access-events: "
                + "Timestamp"), run.err);
        assertTrue(lines.get(1).contains("use an earlier --start"), run.err);
        assertTrue(run.out.startsWith("tierflow produce: failed after "), run.out);
    }

    private static Run produce(String... options) {
        List<String> args = new ArrayList<>(List.of("produce", "--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl()));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = TierflowCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private record Run(int exit, String out, String err) {
    }

    private record Hashed(String sha256, long size) {
    }

    private static Hashed sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long size = 0;
        try (DigestInputStream hashing = new DigestInputStream(in, digest)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = hashing.read(buffer)) != -1) {
                size += n;
            }
        }
        return new Hashed(HexFormat.of().formatHex(digest.digest()), size);
    }

    /** Every record in the topic now: reads each partition from the beginning to its current end offset. */
    private static <V> List<ConsumerRecord<String, V>> readAll(Topic<String, V> topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic.name() + " to " + end + " within " + TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
