package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.FeatureWeight;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.Tree;
import io.tierflow.schemas.TreeNode;
import io.tierflow.streams.domain.LiveModelFigures;
import io.tierflow.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models published straight to the {@code models} topic of the local stack's real broker: a good one decides, a broken
 * one or one that cannot be read is refused with an alert while the good one goes on scoring, and a candidate scores
 * in shadow.
 */
class ModelRolloutIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void shouldRefuseABrokenModelWithAnAlertAndKeepScoringWithTheGoodOne() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        Topics topics = stack.topics();
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-models-it");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        Instant now = Instant.now();
        Model good = Model.newBuilder().setName("current").setVersion("good-1").setIntercept(-1.0)
                .setFeatures(List.of(FeatureWeight.newBuilder().setName("count_1h").setCoefficient(0.5).build()))
                .setTarget("read_within_horizon").setHorizonSeconds(3_600).setTrainedAt(now).build();
        Model cyclic = Model.newBuilder(good).setVersion("cyclic-2").setKind(StateMapper.GRADIENT_BOOSTED_TREES)
                .setTrees(List.of(Tree.newBuilder().setNodes(List.of(
                        TreeNode.newBuilder().setFeature("heat").setThreshold(1).setLeft(1).setRight(0).build(),
                        TreeNode.newBuilder().setValue(0.5).build())).build()))
                .build();
        Model candidate = Model.newBuilder(good).setName("candidate").setVersion("candidate-1")
                .setIntercept(2.0).build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (TieringApp app = new TieringApp(config, TieringSettings.DEFAULTS, registry, Duration.ofMillis(500))) {
            app.start();
            publishModels(stack, topics, Map.of("current", good, "candidate", candidate));
            // The catalogue is looked at on the punctuation: wait until the good model is in force.
            Eventually.holds(TIMEOUT, "the good model and the candidate in force", () -> versions(app)
                    .containsAll(List.of("good-1", "candidate-1")));
            publishDataset(stack, topics, "it/before", now);
            assertEquals("good-1", placementOf(stack, topics, "it/before").getExplanation().getModelVersion());

            publishModels(stack, topics, Map.of("current", cyclic));
            Alert alert = KafkaTestClients.consume(stack.bootstrapServers(), Topics.ALERTS,
                    Serdes.String().deserializer(), topics.alerts.valueSerde().deserializer(),
                    r -> r.value() != null && r.value().getId().equals(CatalogueAlertReporter.ALERT_PREFIX
                            + "models/current"), 1, TIMEOUT).get(0).value();
            assertEquals(AlertState.FIRING, alert.getState());
            assertTrue(alert.getMessage().contains("leads to node 0 again"), alert.getMessage());
            assertTrue(alert.getMessage().contains("the last good record stays in force"), alert.getMessage());

            // Bytes that are no Model at all, under the candidate's name: refused too, the candidate stays.
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.MODELS, Serdes.String().serializer(),
                    Serdes.ByteArray().serializer(),
                    List.of(new ProducerRecord<>(Topics.MODELS, "candidate", new byte[] {0, 0, 0, 0, 42, 1})));
            Alert unreadable = KafkaTestClients.consume(stack.bootstrapServers(), Topics.ALERTS,
                    Serdes.String().deserializer(), topics.alerts.valueSerde().deserializer(),
                    r -> r.value() != null && r.value().getId().equals(CatalogueAlertReporter.ALERT_PREFIX
                            + "models/candidate"), 1, TIMEOUT).get(0).value();
            assertEquals(AlertState.FIRING, unreadable.getState());
            assertTrue(unreadable.getMessage().contains("cannot be read"), unreadable.getMessage());

            publishDataset(stack, topics, "it/after", now);
            Placement after = placementOf(stack, topics, "it/after");
            assertEquals("good-1", after.getExplanation().getModelVersion(), "the refused model decides nothing");
            assertEquals(1 / (1 + Math.exp(1.0)), after.getExplanation().getPHotSoon(), 1e-9);
            Eventually.holds(TIMEOUT, "both datasets' predictions remembered for the good model and the candidate",
                    () -> pending(app, "good-1") == 2 && pending(app, "candidate-1") == 2);
            assertEquals(1.0, registry.get("tierflow.records.rejected").tag("topic", Topics.MODELS).counter()
                    .count());
            assertTrue(registry.scrape().contains("tierflow_model_live_pending{model=\"candidate\"} 2.0"),
                    "the live figures are exported");
        }
    }

    private static List<String> versions(TieringApp app) {
        return figures(app).stream().map(LiveModelFigures::version).toList();
    }

    private static long pending(TieringApp app, String version) {
        return figures(app).stream().filter(f -> f.version().equals(version)).mapToLong(LiveModelFigures::pending)
                .sum();
    }

    private static List<LiveModelFigures> figures(TieringApp app) {
        return app.modelScoreboard().figures(IntStream.range(0, 16).boxed().toList());
    }

    private static void publishModels(LocalStack stack, Topics topics, Map<String, Model> models) throws Exception {
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.MODELS, Serdes.String().serializer(),
                topics.models.valueSerde().serializer(), models.entrySet().stream()
                        .map(e -> new ProducerRecord<>(Topics.MODELS, e.getKey(), e.getValue())).toList());
    }

    private static void publishDataset(LocalStack stack, Topics topics, String key, Instant at) throws Exception {
        Dataset dataset = Dataset.newBuilder().setKey(key).setSizeBytes(1_000_000_000L)
                .setContentType("application/octet-stream").setOwner("it").setVersionToken("\"v1\"")
                .setSha256("ab".repeat(32)).setPrimarySite("azure").setStorageClass("GLACIER_IR").setUpdatedAt(at)
                .build();
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.DATASETS, Serdes.String().serializer(),
                topics.datasets.valueSerde().serializer(), List.of(new ProducerRecord<>(Topics.DATASETS, key, dataset)));
    }

    private static Placement placementOf(LocalStack stack, Topics topics, String key) {
        return KafkaTestClients.consume(stack.bootstrapServers(), Topics.PLACEMENTS, Serdes.String().deserializer(),
                topics.placements.valueSerde().deserializer(), r -> key.equals(r.key()) && r.value() != null, 1,
                TIMEOUT).stream().map(ConsumerRecord::value).findFirst().orElseThrow();
    }
}
