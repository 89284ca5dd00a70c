package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.api.ApiSettings;
import io.tierflow.api.StreamsNode;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.migrator.MigratorSettings;
import io.tierflow.migrator.MigratorWorker;
import io.tierflow.migrator.SiteStore;
import io.tierflow.migrator.SiteStores;
import io.tierflow.migrator.SiteTrust;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.streams.TieringSettings;
import io.tierflow.topics.Topics;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Quorum replication on the local stack (broker, registry, S3Proxy sites), a streams node with its API and a migrator:
 * three copies on three providers with a write quorum of two while gcp is marked down. The dataset becomes durable
 * with two verified copies and none on gcp; once gcp is marked up through the API, with no other request, its copy
 * appears with the same SHA-256 and the API shows three of three.
 */
class QuorumReplicationIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String KEY = "quorum/three-copies.bin";
    private static final String TOKEN = "t";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theThirdCopyAppearsWhenTheSiteThatWasDownIsMarkedUp() throws Exception {
        LocalStack stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
        Topics topics = stack.topics();
        Map<String, Site> sites = new HashMap<>();
        KafkaTestClients.consume(stack.bootstrapServers(), Topics.SITES, Serdes.String().deserializer(),
                topics.sites.valueSerde().deserializer(), 4, TIMEOUT).forEach(r -> sites.put(r.key(), r.value()));
        // Three sites on three providers: onprem leaves the catalogue, gcp is down before the node starts.
        publish(stack, Topics.SITES, LocalStackConfig.ONPREM_SITE, topics.sites.valueSerde().serializer(), null);
        publish(stack, Topics.SITES, "gcp", topics.sites.valueSerde().serializer(),
                Site.newBuilder(sites.get("gcp")).setUp(false).build());
        publish(stack, Topics.POLICIES, "default", topics.policies.valueSerde().serializer(), policy());

        byte[] bytes = new byte[1 << 20];
        new Random(11).nextBytes(bytes);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        String etag = stack.s3Client("azure").putObject(b -> b.bucket(LocalStack.BUCKET).key(KEY),
                RequestBody.fromBytes(bytes)).eTag();
        Dataset dataset = Dataset.newBuilder().setKey(KEY).setSizeBytes(bytes.length)
                .setContentType("application/octet-stream").setOwner("it").setVersionToken(etag).setSha256(sha256)
                .setPrimarySite("azure").setStorageClass("GLACIER_IR").setUpdatedAt(Instant.now()).build();

        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TIERFLOW_S3_ACCESS_KEY", stack.config().s3AccessKey());
        env.put("TIERFLOW_S3_SECRET_KEY", stack.config().s3SecretKey());
        Properties migratorConfig = new Properties();
        migratorConfig.put("bootstrap.servers", stack.bootstrapServers());
        migratorConfig.put("schema.registry.url", stack.schemaRegistryUrl());
        migratorConfig.putAll(MigratorSettings.pinning(stack.config().sitePlaces()));
        int apiPort = freePort();
        try (StreamsNode node = StreamsNode.start(streamsConfig(stack), fastSettings(),
                ApiSettings.defaults().withPort(apiPort).withToken(TOKEN));
                MigratorWorker migrator = new MigratorWorker(migratorConfig, env);
                SiteStores stores = new SiteStores(env, 64L << 20, 64L << 20)
                        .trust(SiteTrust.pinned(stack.config().sitePlaces()))) {
            migrator.start();
            sites.forEach(stores::update);
            publish(stack, Topics.DATASETS, KEY, topics.datasets.valueSerde().serializer(), dataset);

            JsonNode durable = await(apiPort, v -> v.path("replication").path("copiesVerified").asInt() == 2
                    && v.path("migration").isNull(), "two verified copies, nothing in flight");
            JsonNode replication = durable.path("replication");
            assertEquals(3, replication.path("copiesWanted").asInt());
            assertEquals(2, replication.path("writeQuorum").asInt());
            assertTrue(replication.path("durable").asBoolean(), replication.toString());
            assertEquals("1 copy missing: waiting for gcp (down) to be marked up",
                    replication.path("repair").asText());
            assertEquals(List.of("aws", "azure"), copies(durable.path("actual")));
            assertEquals(sha256, sha256Of(stores.store("aws").orElseThrow()), "the second copy, verified");
            assertTrue(stores.store("gcp").orElseThrow().head(KEY).isEmpty(), "nothing written to a site down");

            HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + apiPort + "/control/sites/gcp/up"))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, up.statusCode(), up.body());

            JsonNode repaired = await(apiPort, v -> v.path("replication").path("copiesVerified").asInt() == 3
                    && v.path("migration").isNull(), "three verified copies after gcp is back");
            assertTrue(repaired.path("replication").path("repair").isNull(), repaired.toString());
            assertEquals(List.of("aws", "azure", "gcp"), copies(repaired.path("actual")));
            assertEquals(sha256, sha256Of(stores.store("gcp").orElseThrow()), "the third copy, same bytes");
        }
    }

    private static Policy policy() {
        Policy policy = LocalCommand.demoPolicy(Instant.now());
        policy.setCopies(3);
        policy.setWriteQuorum(2);
        policy.setCooldownSeconds(1);
        return policy;
    }

    private static TieringSettings fastSettings() {
        return new TieringSettings(Duration.ofSeconds(1), 10_000, false, Duration.ofSeconds(1), Duration.ofHours(1));
    }

    private Properties streamsConfig(LocalStack stack) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-quorum-it");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return config;
    }

    private static <V> void publish(LocalStack stack, String topic, String key, Serializer<V> serializer, V value)
            throws Exception {
        KafkaTestClients.produce(stack.bootstrapServers(), topic, Serdes.String().serializer(), serializer,
                List.of(new ProducerRecord<>(topic, key, value)));
    }

    /** The sites holding a copy, primary included, in name order. */
    private static List<String> copies(JsonNode actual) {
        List<String> sites = new java.util.ArrayList<>();
        sites.add(actual.path("primarySite").asText());
        actual.path("replicaSites").forEach(n -> sites.add(n.asText()));
        return sites.stream().sorted().toList();
    }

    private static String sha256Of(SiteStore store) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = store.open(KEY, null).bytes()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static JsonNode await(int port, Predicate<JsonNode> condition, String what) throws Exception {
        JsonNode[] last = new JsonNode[1];
        Eventually.holds(TIMEOUT, () -> what + "; last answer: " + last[0], () -> {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/datasets/" + KEY)).build(),
                    HttpResponse.BodyHandlers.ofString());
            last[0] = JSON.readTree(response.body());
            return condition.test(last[0]);
        });
        return last[0];
    }
}
