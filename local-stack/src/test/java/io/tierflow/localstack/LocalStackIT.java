package io.tierflow.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Site;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.serde.SchemaRegistryClient;
import io.tierflow.topics.TopicSpec;
import io.tierflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The local stack itself: every component answers, and everything it holds survives a restart. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void shouldStartEveryComponentWithTopicsAndSiteCatalogue() throws Exception {
        LocalStackConfig config = LocalStackConfig.onFreePorts(dataDir);
        try (LocalStack stack = LocalStack.start(config)) {
            // Topics: all of the catalogue, with the cleanup policy the catalogue asks for.
            try (Admin admin = admin(stack)) {
                Set<String> names = admin.listTopics().names().get();
                for (TopicSpec spec : Topics.SPECS) {
                    assertTrue(names.contains(spec.name()), "topic " + spec.name() + " was not created");
                    var resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                    var configs = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                    assertEquals(spec.compacted() ? "compact" : "delete", configs.get("cleanup.policy").value(),
                            spec.name());
                    assertEquals(LocalStack.PARTITIONS,
                            admin.describeTopics(List.of(spec.name())).allTopicNames().get().get(spec.name())
                                    .partitions().size());
                }
            }
            // The site catalogue is published and readable with our serde.
            Topics topics = stack.topics();
            List<ConsumerRecord<String, Site>> sites = KafkaTestClients.consume(stack.bootstrapServers(),
                    Topics.SITES, topics.sites.keySerde().deserializer(), topics.sites.valueSerde().deserializer(),
                    4, TIMEOUT);
            Map<String, Site> byName = sites.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value,
                    (a, b) -> b));
            assertEquals(Set.of("aws", "azure", "gcp", "onprem"), byName.keySet());
            assertEquals(stack.site("gcp").endpoint().toString(), byName.get("gcp").getEndpoint());
            // Every S3 site stores and returns bytes, and only with the right credentials.
            for (String name : LocalStackConfig.S3_SITES) {
                try (S3Client s3 = stack.s3Client(name)) {
                    s3.putObject(b -> b.bucket(LocalStack.BUCKET).key("probe/" + name), RequestBody.fromString(name));
                    assertEquals(name, s3.getObjectAsBytes(b -> b.bucket(LocalStack.BUCKET).key("probe/" + name))
                            .asUtf8String());
                }
            }
            try (S3Client s3 = S3Client.builder().endpointOverride(stack.site("aws").endpoint())
                    .region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(config.s3AccessKey(), "wrong-secret")))
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
                S3Exception denied = assertThrows(S3Exception.class,
                        () -> s3.getObjectAsBytes(b -> b.bucket(LocalStack.BUCKET).key("probe/aws")));
                assertEquals(403, denied.statusCode());
            }
            assertTrue(Files.isDirectory(stack.onPremDirectory()));
        }
    }

    @Test
    void shouldKeepRecordsSchemasTopicsAndObjectsAcrossARestart() throws Exception {
        LocalStackConfig config = LocalStackConfig.onFreePorts(dataDir);
        List<AccessEvent> written = List.of(SampleRecords.accessEvent("a", 1), SampleRecords.accessEvent("b", 2),
                SampleRecords.accessEvent("c", 3));
        byte[] objectBytes = "bytes that must survive".getBytes(StandardCharsets.UTF_8);
        int schemaId;
        try (LocalStack stack = LocalStack.start(config)) {
            Topics topics = stack.topics();
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.ACCESS_EVENTS,
                    topics.accessEvents.keySerde().serializer(), topics.accessEvents.valueSerde().serializer(),
                    written.stream().map(e -> new ProducerRecord<>(Topics.ACCESS_EVENTS, e.getKey(), e)).toList());
            schemaId = topics.registry().register(Topics.ACCESS_EVENTS + "-value", AccessEvent.getClassSchema());
            for (String name : LocalStackConfig.S3_SITES) {
                try (S3Client s3 = stack.s3Client(name)) {
                    s3.putObject(b -> b.bucket(LocalStack.BUCKET).key("kept/" + name), RequestBody.fromBytes(objectBytes));
                }
            }
            Files.write(stack.onPremDirectory().resolve("kept-onprem"), objectBytes);
        }
        assertFalse(Files.exists(dataDir.resolve("registry/registry.pid")), "the registry process was not stopped");

        try (LocalStack stack = LocalStack.start(config)) {
            // A fresh client: nothing cached from before the restart.
            SchemaRegistryClient fresh = AvroSerdeConfig.from(stack.serdeConfig()).newClient();
            assertEquals(AccessEvent.getClassSchema(), fresh.byId(schemaId));
            Topics topics = stack.topics();
            List<AccessEvent> read = KafkaTestClients.consume(stack.bootstrapServers(), Topics.ACCESS_EVENTS,
                    topics.accessEvents.keySerde().deserializer(), topics.accessEvents.valueSerde().deserializer(),
                    written.size(), TIMEOUT).stream().map(ConsumerRecord::value).sorted(
                            (x, y) -> x.getKey().compareTo(y.getKey())).toList();
            assertEquals(written, read);
            try (Admin admin = admin(stack)) {
                assertTrue(admin.listTopics().names().get().containsAll(
                        Topics.SPECS.stream().map(TopicSpec::name).toList()));
            }
            for (String name : LocalStackConfig.S3_SITES) {
                try (S3Client s3 = stack.s3Client(name)) {
                    assertArrayEquals(objectBytes,
                            s3.getObjectAsBytes(b -> b.bucket(LocalStack.BUCKET).key("kept/" + name)).asByteArray());
                }
            }
            assertArrayEquals(objectBytes, Files.readAllBytes(stack.onPremDirectory().resolve("kept-onprem")));
        }
    }

    /**
     * On the shared stack, and first: the other tests start stacks of their own, which stop the shared one, while the
     * test classes before this one (in failsafe's alphabetical order) leave it running.
     */
    @Test
    @Order(1)
    void shouldStopAndRestartOneSiteWithoutLosingItsObjects() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        try (S3Client s3 = stack.s3Client("azure")) {
            s3.putObject(b -> b.bucket(LocalStack.BUCKET).key("k"), RequestBody.fromString("v"));
            stack.stopSite("azure");
            assertFalse(stack.isSiteRunning("azure"));
            assertThrows(Exception.class, () -> s3.headObject(b -> b.bucket(LocalStack.BUCKET).key("k")));
            stack.startSite("azure");
            assertTrue(stack.isSiteRunning("azure"));
            assertEquals("v", s3.getObjectAsBytes(b -> b.bucket(LocalStack.BUCKET).key("k")).asUtf8String());
        }
    }

    private static Admin admin(LocalStack stack) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        return Admin.create(props);
    }
}
