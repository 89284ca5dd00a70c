package io.tierflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.Dataset;
import io.tierflow.streams.TieringSettings;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's dataset table at the scale issue 22 asks for: 100 000 datasets (with the property below) in a real
 * node's stores, read the way
 * the table reads them ({@code GET /datasets} with a filter, a sort and a cursor), several pages deep. Each page must
 * be exactly the slice of the estate that order and filter give (computed here from the inventory the test wrote),
 * and the keyset cursor must carry on where the page ended; a dataset that changes afterwards must show in the order
 * within the index's refresh (it is kept seconds, not forever). The time of each request is printed (the figures of
 * the console's section of DESIGN.md), not asserted: this machine's load decides it, not the code. The first request
 * builds the node's index, so it carries one scan of the estate; the others look through the index. What the Overview
 * and Migrations pages poll ({@code /stats}, {@code /migrations}, firing alerts) is checked and timed first.
 */
class DatasetsAtScaleIT {
    /**
     * 10 000 in the test suite, whose time budget a 100 000-dataset load (about six minutes here) would take a quarter
     * of; the figures in DESIGN.md come from {@code -Dtierflow.scale.datasets=100000}. The assertions are the same.
     */
    private static final int DATASETS = Integer.getInteger("tierflow.scale.datasets", 10_000);
    private static final int OWNERS = 10;
    private static final int PREFIXES = 4;
    private static final int PAGE = 100;
    private static final int PAGES = 3;
    /** Requests of each of the pages' polls, timed one by one: the first may build the node's index. */
    private static final int REPEATS = 4;
    private static final String APPLICATION_ID = "tierflow-scale-it";
    private static final Duration LOADED = Duration.ofMinutes(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the test wrote: every dataset's key, owner and size. */
    private record Written(String key, String owner, long sizeBytes) {
    }

    private static Path dir;
    private static LocalStack stack;
    private static StreamsNode node;
    private static String base;
    private static final List<Written> WRITTEN = new ArrayList<>();

    @BeforeAll
    static void loadTheEstate() throws Exception {
        dir = Files.createTempDirectory("datasets-at-scale-it");
        stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
        node = node();
        base = "http://127.0.0.1:" + node.apiPort();
        Eventually.holds(Duration.ofSeconds(60), "streams RUNNING",
                () -> node.app().streams().state() == KafkaStreams.State.RUNNING);
        long started = System.nanoTime();
        try (KafkaProducer<String, Dataset> producer = producer()) {
            Instant now = Instant.now();
            for (int i = 0; i < DATASETS; i++) {
                // Sizes are a permutation of DATASETS distinct values, so a size order has no ties to break.
                Written dataset = new Written(String.format("scale/p%d/ds%06d", i % PREFIXES, i), "team-" + i % OWNERS,
                        1_000_000L + (i * 7919L) % DATASETS * 1_000);
                WRITTEN.add(dataset);
                producer.send(new ProducerRecord<>(Topics.DATASETS, dataset.key(), inventory(dataset, now)));
            }
            producer.flush();
        }
        System.out.printf("DatasetsAtScaleIT: %d datasets written in %d ms%n", DATASETS,
                (System.nanoTime() - started) / 1_000_000);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Eventually.holds(LOADED, "the node read all " + DATASETS + " datasets", () -> committed(admin) == DATASETS);
        }
        System.out.printf("DatasetsAtScaleIT: the node read them all %d ms after the first was written%n",
                (System.nanoTime() - started) / 1_000_000);
    }

    /** How many records of the inventory topic the node has processed and committed. */
    private static long committed(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(APPLICATION_ID)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(Topics.DATASETS)
                && e.getValue() != null).mapToLong(e -> e.getValue().offset()).sum();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void shouldPageTheWholeEstateSortedAndFilteredSliceBySlice() throws Exception {
        // First, while every dataset is as written (the end of this test grows one).
        overviewAndMigrationsAnswer();
        Comparator<Written> bySizeAscending = Comparator.comparingLong(Written::sizeBytes);
        Comparator<Written> byKey = Comparator.comparing(Written::key);
        // Every dataset is as cold as the others (no traffic): a heat order is the key order, reversed when descending.
        pages("sort=sizeBytes&order=desc", bySizeAscending.reversed(), d -> true);
        pages("sort=sizeBytes&order=asc&owner=team-3", bySizeAscending, d -> d.owner().equals("team-3"));
        pages("sort=heat&order=desc&prefix=" + enc("scale/p1/"), byKey.reversed(), d -> d.key().startsWith("scale/p1/"));
        pages("sort=sizeBytes&order=desc&prefix=" + enc("scale/p2/") + "&owner=team-6", bySizeAscending.reversed(),
                d -> d.key().startsWith("scale/p2/") && d.owner().equals("team-6"));
        pages("owner=team-7", byKey, d -> d.owner().equals("team-7"));
        pages("prefix=" + enc("scale/p3/ds09"), byKey, d -> d.key().startsWith("scale/p3/ds09"));
        // A filter nothing matches: the worst case of a filtered page, every dataset looked at for none.
        pages("sort=sizeBytes&order=desc&owner=nobody", bySizeAscending.reversed(), d -> false);

        // The order is kept a few seconds, not forever: a dataset grown to the largest tops the size order soon.
        Written grown = new Written(WRITTEN.get(DATASETS / 2).key(), "team-0", 1L << 40);
        try (KafkaProducer<String, Dataset> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.DATASETS, grown.key(), inventory(grown, Instant.now()))).get();
        }
        long started = System.nanoTime();
        Eventually.holds(Duration.ofSeconds(60), "the grown dataset first by size", () -> {
            JsonNode first = get("/datasets?sort=sizeBytes&order=desc&limit=1").get("items").get(0);
            return first.get("key").asText().equals(grown.key()) && first.get("sizeBytes").asLong() == 1L << 40;
        });
        System.out.printf("DatasetsAtScaleIT: a grown dataset first by size %d ms after it was written%n",
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * What the Overview and Migrations pages poll every few seconds ({@code overview.js}, {@code migrations.js},
     * {@code alerts.js}): {@code /stats} must count exactly what was written, and each migrations list must be one
     * bounded page of datasets in the phase asked for, in key order.
     */
    private static void overviewAndMigrationsAnswer() throws Exception {
        long writtenBytes = WRITTEN.stream().mapToLong(Written::sizeBytes).sum();
        List<Long> statsMillis = new ArrayList<>();
        JsonNode totals = null;
        for (int i = 0; i < REPEATS; i++) {
            long started = System.nanoTime();
            totals = get("/stats").get("totals");
            statsMillis.add((System.nanoTime() - started) / 1_000_000);
            assertEquals(DATASETS, totals.get("datasets").asLong(), totals.toString());
            long bytes = 0;
            long datasets = 0;
            for (JsonNode tier : totals.get("tiers")) {
                bytes += tier.get("bytes").asLong();
                datasets += tier.get("datasets").asLong();
            }
            assertEquals(writtenBytes, bytes, "bytes over the tiers: " + totals);
            assertEquals(DATASETS, datasets, "datasets over the tiers: " + totals);
            assertEquals(writtenBytes, totals.at("/sites/aws/bytes").asLong(), "every primary copy is on aws");
        }
        System.out.printf("DatasetsAtScaleIT: GET /stats over %d datasets: %s ms%n", DATASETS, statsMillis);
        JsonNode backlog = totals.get("migrations");
        for (String status : List.of("", "ISSUED", "COPYING", "FAILED")) {
            String path = "/migrations?limit=" + PAGE + (status.isEmpty() ? "" : "&status=" + status);
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < REPEATS; i++) {
                long started = System.nanoTime();
                JsonNode items = get(path).get("items");
                millis.add((System.nanoTime() - started) / 1_000_000);
                assertTrue(items.size() <= PAGE, path + ": one page at most");
                String previous = "";
                for (JsonNode item : items) {
                    String key = item.get("key").asText();
                    assertTrue(key.compareTo(previous) > 0, path + ": in key order, each once");
                    previous = key;
                    if (!status.isEmpty()) {
                        assertEquals(status, item.get("phase").asText(), path);
                    }
                }
            }
            System.out.printf("DatasetsAtScaleIT: GET %s (%s of them by /stats): %s ms%n", path,
                    status.isEmpty() ? backlog : backlog.path(status).asLong(0), millis);
        }
        List<Long> alertMillis = new ArrayList<>();
        for (int i = 0; i < REPEATS; i++) {
            long started = System.nanoTime();
            assertTrue(get("/alerts?state=FIRING&limit=100").get("items").size() <= 100);
            alertMillis.add((System.nanoTime() - started) / 1_000_000);
        }
        System.out.printf("DatasetsAtScaleIT: GET /alerts?state=FIRING&limit=100: %s ms%n", alertMillis);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), path + ": " + answer.body());
        return JSON.readTree(answer.body());
    }

    private static KafkaProducer<String, Dataset> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        return new KafkaProducer<>(config, Serdes.String().serializer(), stack.topics().datasets.valueSerde().serializer());
    }

    private static Dataset inventory(Written dataset, Instant at) {
        return Dataset.newBuilder().setKey(dataset.key()).setSizeBytes(dataset.sizeBytes())
                .setContentType("application/octet-stream").setOwner(dataset.owner()).setVersionToken("\"v1\"")
                .setSha256("ab".repeat(32)).setPrimarySite("aws").setStorageClass("GLACIER_IR").setUpdatedAt(at)
                .build();
    }

    /** Pages through one query and checks each page is the next slice of what the test wrote, in that order. */
    private static void pages(String query, Comparator<Written> order, Predicate<Written> filter) throws Exception {
        List<String> expected = WRITTEN.stream().filter(filter).sorted(order).map(Written::key).toList();
        String cursor = null;
        List<Long> millis = new ArrayList<>();
        for (int page = 0; page < PAGES; page++) {
            String path = "/datasets?" + query + "&limit=" + PAGE + (cursor == null ? "" : "&cursor=" + enc(cursor));
            long started = System.nanoTime();
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            millis.add((System.nanoTime() - started) / 1_000_000);
            assertEquals(200, answer.statusCode(), path + ": " + answer.body());
            JsonNode body = JSON.readTree(answer.body());
            List<String> keys = new ArrayList<>();
            body.get("items").forEach(item -> keys.add(item.get("key").asText()));
            List<String> slice = expected.subList(Math.min(expected.size(), page * PAGE),
                    Math.min(expected.size(), (page + 1) * PAGE));
            assertEquals(slice, keys, path);
            boolean more = expected.size() > (page + 1) * PAGE;
            assertEquals(more, !body.get("nextCursor").isNull(), path + ": a cursor exactly when more follow");
            if (!more) {
                break;
            }
            cursor = body.get("nextCursor").asText();
        }
        assertTrue(!millis.isEmpty());
        System.out.printf("DatasetsAtScaleIT: GET /datasets?%s&limit=%d, %d matching of %d: pages in %s ms%n", query,
                PAGE, expected.size(), DATASETS, millis);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static StreamsNode node() throws IOException {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return StreamsNode.start(config, TieringSettings.DEFAULTS,
                ApiSettings.defaults().withPort(freePort()).withToken("scale-it-token"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
