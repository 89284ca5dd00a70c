package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.api.ApiSettings;
import io.tierflow.api.StreamsNode;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.migrator.MigratorSettings;
import io.tierflow.migrator.MigratorWorker;
import io.tierflow.migrator.SiteStore;
import io.tierflow.migrator.SiteStores;
import io.tierflow.migrator.SiteTrust;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The whole loop on the local stack: a streams node with its API and a migrator. A burst on a cold dataset makes it
 * hot; its placement changes, the object is copied to the new site with the same SHA-256, the switch happens, the
 * old copy is retired after the grace period, and the API reports the new placement.
 */
class WholeLoopIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String KEY = "loop/cold-then-hot.bin";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aBurstOnAColdDatasetMovesItsBytesAndTheApiShowsTheNewPlacement() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        Topics topics = stack.topics();
        publish(stack, Topics.POLICIES, "default", topics.policies.valueSerde().serializer(), policy());
        Map<String, Site> sites = new HashMap<>();
        KafkaTestClients.consume(stack.bootstrapServers(), Topics.SITES, Serdes.String().deserializer(),
                topics.sites.valueSerde().deserializer(), 4, TIMEOUT).forEach(r -> sites.put(r.key(), r.value()));

        // A 3 MiB object on azure's cold class, registered with its real checksum and ETag.
        byte[] bytes = new byte[3 << 20];
        new Random(7).nextBytes(bytes);
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
                ApiSettings.defaults().withPort(apiPort).withToken("t"));
                MigratorWorker migrator = new MigratorWorker(migratorConfig, env);
                SiteStores stores = new SiteStores(env, 64L << 20, 64L << 20)
                        .trust(SiteTrust.pinned(stack.config().sitePlaces()))) {
            migrator.start();
            sites.forEach(stores::update);
            publish(stack, Topics.DATASETS, KEY, topics.datasets.valueSerde().serializer(), dataset);

            // Cold: wherever the optimiser puts a cold dataset, it settles with nothing in flight.
            JsonNode cold = await(apiPort, v -> v.path("tier").asText().equals("COLD")
                    && v.path("migration").isNull() && !v.path("desired").isNull()
                    && v.path("actual").path("primarySite").asText()
                            .equals(v.path("desired").path("primarySite").asText()), "a settled cold dataset");
            String coldSite = cold.path("actual").path("primarySite").asText();

            List<ProducerRecord<String, AccessEvent>> burst = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = 0; i < 60; i++) {
                burst.add(new ProducerRecord<>(Topics.ACCESS_EVENTS, KEY, AccessEvent.newBuilder().setKey(KEY)
                        .setOp(AccessOp.GET).setBytes(bytes.length).setServedFrom(coldSite)
                        .setClientRegion("us-east").setLatencyMs(120).setEventTime(now.plusMillis(i))
                        .setEventId("burst-" + i).build()));
            }
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.ACCESS_EVENTS, Serdes.String().serializer(),
                    topics.accessEvents.valueSerde().serializer(), burst);

            JsonNode hot = await(apiPort, v -> v.path("tier").asText().equals("HOT")
                    && v.path("migration").isNull()
                    && v.path("actual").path("primarySite").asText()
                            .equals(v.path("desired").path("primarySite").asText())
                    && !v.path("actual").path("primarySite").asText().equals(coldSite), "the hot placement");
            String hotSite = hot.path("actual").path("primarySite").asText();
            assertNotEquals(coldSite, hotSite);
            assertTrue(sites.get(hotSite).getP95LatencyMs() <= 50, "the SLA binds the hot primary");
            assertEquals(sha256, sha256Of(stores.store(hotSite).orElseThrow()), "same bytes on the new site");

            // The old copy is retired once the grace period has passed, unless it stays as a replica.
            List<String> replicas = new ArrayList<>();
            hot.path("actual").path("replicaSites").forEach(r -> replicas.add(r.asText()));
            if (!replicas.contains(coldSite)) {
                SiteStore old = stores.store(coldSite).orElseThrow();
                awaitTrue(() -> old.head(KEY).isEmpty(), "the old copy on " + coldSite + " retired");
            }
            JsonNode explain = get(apiPort, "/datasets/" + KEY + "/explain");
            assertEquals(hotSite, explain.path("decision").path("primarySite").asText());
            assertEquals("HOT", explain.path("decision").path("tier").asText());
        }
    }

    private static Policy policy() {
        // The local demo policy, with a retire grace of seconds so the test sees the old copy go.
        Policy policy = LocalCommand.demoPolicy(Instant.now());
        policy.setReplicationHot(1);
        policy.setCooldownSeconds(1);
        policy.setRetireGraceSeconds(3);
        return policy;
    }

    private static TieringSettings fastSettings() {
        return new TieringSettings(Duration.ofSeconds(1), 10_000, false, Duration.ofSeconds(1), Duration.ofHours(1));
    }

    private Properties streamsConfig(LocalStack stack) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-loop-it");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return config;
    }

    private static <V> void publish(LocalStack stack, String topic, String key,
            org.apache.kafka.common.serialization.Serializer<V> serializer, V value) throws Exception {
        KafkaTestClients.produce(stack.bootstrapServers(), topic, Serdes.String().serializer(), serializer,
                List.of(new ProducerRecord<>(topic, key, value)));
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

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }


    private static JsonNode await(int port, java.util.function.Predicate<JsonNode> condition, String what)
            throws Exception {
        JsonNode[] last = new JsonNode[1];
        Eventually.holds(TIMEOUT, () -> what + "; last answer: " + last[0],
                () -> condition.test(last[0] = get(port, "/datasets/" + KEY)));
        return last[0];
    }

    private static void awaitTrue(Eventually.Condition condition, String what) throws Exception {
        Eventually.holds(TIMEOUT, what, condition);
    }
}
