package io.tierflow.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Dataset;
import io.tierflow.topics.Topic;
import io.tierflow.topics.Topics;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tierflow import-trace} against a real local stack: an S3 access log fixture (gzip, quoted fields, '-'
 * values, a bad line) goes into a what-if topic pair, is read back with Tierflow's serdes, and the live topics are
 * left exactly as they were.
 */
class ImportTraceIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
    }

    @AfterAll
    static void stopStack() {
    }

    @Test
    void shouldImportAnS3LogIntoItsOwnTopicsAndLeaveTheLiveOnesAlone(@TempDir Path dir) throws Exception {
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        String log = String.join("\r\n",
                S3AccessLogTraceTest.record("06/Feb/2019:00:00:38 +0000", "REST.PUT.OBJECT", "img/a%20b.jpg", 200,
                        "-", "3000", "12", "aws-cli/2.0 \\\"q\\\""),
                S3AccessLogTraceTest.record("06/Feb/2019:00:00:39 +0000", "REST.GET.OBJECT", "img/a%20b.jpg", 200,
                        "3000", "3000", "7", "curl/8"),
                S3AccessLogTraceTest.record("06/Feb/2019:00:00:40 +0000", "REST.GET.BUCKET", "-", 200, "100", "-",
                        "1", "curl/8"),
                "not a log line",
                S3AccessLogTraceTest.record("06/Feb/2019:00:00:41 +0000", "REST.HEAD.OBJECT", "img/c.jpg", 200, "-",
                        "90000", "-", "curl/8")) + "\r\n";
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(logs.resolve("2019-02-06-00.gz")))) {
            gz.write(log.getBytes(StandardCharsets.UTF_8));
        }
        Topics topics = stack.topics();
        Map<TopicPartition, Long> liveBefore = endOffsets(List.of(Topics.ACCESS_EVENTS, Topics.DATASETS));

        Run run = importTrace("--format", "s3-log", "--name", "photos", "--site", "gcp", "--time-scale", "10",
                "--start", "2026-01-05T00:00:00Z", logs.toString());

        assertEquals(0, run.exit, run.toString());
        assertTrue(run.out.contains("3 requests from 1 file as 3 events over 2 datasets"), run.out);
        assertTrue(run.out.contains(":4: expected at least 15 fields"), "the bad line, by number: " + run.out);
        String eventsTopic = "whatif-photos-access-events";
        String datasetsTopic = "whatif-photos-datasets";

        List<ConsumerRecord<String, AccessEvent>> events = readAll(eventsTopic, topics.accessEvents);
        assertEquals(List.of(AccessOp.PUT, AccessOp.GET, AccessOp.HEAD),
                events.stream().map(r -> r.value().getOp()).toList());
        ConsumerRecord<String, AccessEvent> get = events.stream().filter(r -> r.value().getOp() == AccessOp.GET)
                .findFirst().orElseThrow();
        assertEquals("photos/img/a b.jpg", get.key());
        assertEquals(Instant.parse("2026-01-05T00:00:10Z"), get.value().getEventTime(), "1 s of trace x 10");
        assertEquals(get.value().getEventTime().toEpochMilli(), get.timestamp(), "record time is event time");
        assertEquals("gcp", get.value().getServedFrom());
        assertEquals(3000, get.value().getBytes());

        Map<String, ConsumerRecord<String, Dataset>> datasets = readAll(datasetsTopic, topics.datasets).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));
        assertEquals(Set.of("photos/img/a b.jpg", "photos/img/c.jpg"), datasets.keySet());
        assertEquals(90000, datasets.get("photos/img/c.jpg").value().getSizeBytes());
        assertEquals("gcp", datasets.get("photos/img/c.jpg").value().getPrimarySite());
        assertTrue(datasets.get("photos/img/a b.jpg").timestamp() < events.get(0).timestamp(),
                "inventory before the first event in event time");

        // Created like the live topics, and the live topics untouched.
        try (Admin admin = admin()) {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(eventsTopic, datasetsTopic,
                    Topics.ACCESS_EVENTS)).allTopicNames().get();
            int livePartitions = described.get(Topics.ACCESS_EVENTS).partitions().size();
            assertEquals(livePartitions, described.get(eventsTopic).partitions().size());
            assertEquals(livePartitions, described.get(datasetsTopic).partitions().size());
            var configs = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, datasetsTopic))).all().get();
            assertEquals("compact", configs.values().iterator().next().get("cleanup.policy").value());
        }
        assertEquals(liveBefore, endOffsets(List.of(Topics.ACCESS_EVENTS, Topics.DATASETS)),
                "the live topics' end offsets are unchanged");

        // A re-import writes the same event ids again, so the topology would count each access once.
        Run again = importTrace("--format", "s3-log", "--name", "photos", "--site", "gcp", "--time-scale", "10",
                "--start", "2026-01-05T00:00:00Z", logs.toString());
        assertEquals(0, again.exit, again.toString());
        List<String> ids = readAll(eventsTopic, topics.accessEvents).stream().map(r -> r.value().getEventId())
                .sorted().toList();
        assertEquals(List.of("trace:photos:1", "trace:photos:1", "trace:photos:2", "trace:photos:2",
                "trace:photos:3", "trace:photos:3"), ids);
    }

    @Test
    void shouldPutTheObjectsOnTheBaselineSiteByDefault(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("blocks.csv");
        Files.writeString(trace, "version,time,op,size,lbn\n1,100,28,512,7\n1,101,2a,4096,2049\n");

        Run run = importTrace("--format", "libcachesim-csv", "--extent-bytes", "1MiB", trace.toString());

        assertEquals(0, run.exit, run.toString());
        List<ConsumerRecord<String, Dataset>> datasets = readAll("whatif-blocks-datasets", stack.topics().datasets);
        assertEquals(List.of("blocks/extent-0", "blocks/extent-1"), datasets.stream().map(ConsumerRecord::key)
                .sorted().toList());
        String site = datasets.get(0).value().getPrimarySite();
        assertTrue(run.out.contains("objects on " + site + " "), run.out);
        assertTrue(stack.sites().stream().anyMatch(s -> s.name().equals(site)), site);
        assertEquals(TraceImporter.DEFAULT_START.plusSeconds(1),
                readAll("whatif-blocks-access-events", stack.topics().accessEvents).stream()
                        .map(r -> r.value().getEventTime()).max(Instant::compareTo).orElseThrow());
    }

    @Test
    void shouldImportTheRealCdnSampleAsTheReadmeSays() throws Exception {
        Path cdn = RealTraceTest.trace("cachelib_cdn_first_half.csv"); // skipped, saying so, without the traces

        Run run = importTrace("--format", "csv", "--name", "cdn", "--time-scale", "7200", "--columns",
                "time=timestamp,key=cacheKey,size=objectSize,range-start=rangeStart,range-end=rangeEnd,op=OpType,"
                        + "response-size=responseSize,response-header-size=responseHeaderSize", cdn.toString());

        assertEquals(0, run.exit, run.toString());
        List<ConsumerRecord<String, AccessEvent>> events = readAll("whatif-cdn-access-events",
                stack.topics().accessEvents);
        assertEquals(4_999, events.size());
        assertEquals(4_999, events.stream().map(r -> r.value().getEventId()).distinct().count());
        Set<String> keys = events.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
        assertEquals(keys, readAll("whatif-cdn-datasets", stack.topics().datasets).stream().map(ConsumerRecord::key)
                .collect(Collectors.toSet()), "every dataset with events is in the inventory");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run importTrace(String... options) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl()));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new ImportTraceCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        return Admin.create(props);
    }

    private static Map<TopicPartition, Long> endOffsets(List<String> topicNames) {
        try (KafkaConsumer<String, String> consumer = consumer(new org.apache.kafka.common.serialization
                .StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String name : topicNames) {
                consumer.partitionsFor(name).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            return consumer.endOffsets(partitions);
        }
    }

    private static <V> KafkaConsumer<String, V> consumer(Deserializer<V> values) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new org.apache.kafka.common.serialization.StringDeserializer(), values);
    }

    /** Every record in a topic now, read with the catalogue topic's serdes. */
    private static <V> List<ConsumerRecord<String, V>> readAll(String name, Topic<String, V> like) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = consumer(like.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(name).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + name + " to " + end + " within " + TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort(java.util.Comparator.comparingLong(ConsumerRecord::timestamp));
        return records;
    }
}
