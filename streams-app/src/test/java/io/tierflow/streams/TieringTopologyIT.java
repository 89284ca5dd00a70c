package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.HeatPolicies;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.DeadLetter;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.Tier;
import io.tierflow.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole topology, exactly-once, on the local stack's real broker and registry. */
class TieringTopologyIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    /** Waits for the census (every 500 ms here) to show {@code expected}. */
    private static void awaitGauge(PrometheusMeterRegistry registry, String name, double expected, String... tags)
            throws Exception {
        Eventually.holds(TIMEOUT, () -> name + " " + String.join(",", tags) + " = " + expected + ", was "
                + gaugeValue(registry, name, tags), () -> gaugeValue(registry, name, tags) == expected);
    }

    private static double gaugeValue(PrometheusMeterRegistry registry, String name, String... tags) {
        var gauge = registry.find(name).tags(tags).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    @Test
    void shouldPromoteABurstDatasetDeadLetterABadRecordAndCommitExactlyOnce() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        Topics topics = stack.topics();
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-it");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HeatPolicies.publishDefault(stack);
        try (TieringApp app = new TieringApp(config, TieringSettings.DEFAULTS, registry, Duration.ofMillis(500))) {
            app.start();
            Instant now = Instant.now();
            Dataset dataset = Dataset.newBuilder().setKey("it/ds").setSizeBytes(1_000_000_000L)
                    .setContentType("application/octet-stream").setOwner("it").setVersionToken("\"v1\"")
                    .setSha256("ab".repeat(32)).setPrimarySite("azure").setStorageClass("GLACIER_IR")
                    .setUpdatedAt(now).build();
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.DATASETS, Serdes.String().serializer(),
                    topics.datasets.valueSerde().serializer(),
                    List.of(new ProducerRecord<>(Topics.DATASETS, dataset.getKey(), dataset)));
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.ACCESS_EVENTS, Serdes.String().serializer(),
                    Serdes.ByteArray().serializer(),
                    List.of(new ProducerRecord<>(Topics.ACCESS_EVENTS, "it/ds", new byte[] {1, 2, 3})));
            List<ProducerRecord<String, AccessEvent>> burst = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                AccessEvent event = AccessEvent.newBuilder().setKey("it/ds").setOp(AccessOp.GET)
                        .setBytes(100_000_000).setServedFrom("azure").setClientRegion("us-east").setLatencyMs(30)
                        .setEventTime(now.plusSeconds(i)).setEventId("it-" + i).build();
                burst.add(new ProducerRecord<>(Topics.ACCESS_EVENTS, event.getKey(), event));
            }
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.ACCESS_EVENTS, Serdes.String().serializer(),
                    topics.accessEvents.valueSerde().serializer(), burst);

            List<Placement> hot = KafkaTestClients.consume(stack.bootstrapServers(), Topics.PLACEMENTS,
                    Serdes.String().deserializer(), topics.placements.valueSerde().deserializer(),
                    r -> r.value() != null && r.value().getTier() == Tier.HOT, 1, TIMEOUT)
                    .stream().map(ConsumerRecord::value).toList();
            MigrationCommand copy = KafkaTestClients.consume(stack.bootstrapServers(), Topics.MIGRATION_COMMANDS,
                    Serdes.String().deserializer(), topics.migrationCommands.valueSerde().deserializer(), 1, TIMEOUT)
                    .get(0).value();
            assertEquals(MigrationAction.COPY, copy.getAction());
            assertEquals("azure", copy.getSourceSite());
            // The first look (one read: cold) already moves it off azure towards its readers' cheapest copy; with one
            // command in flight at a time, the COPY is that placement's, whichever tier was decided first.
            List<String> placedOn = KafkaTestClients.consume(stack.bootstrapServers(), Topics.PLACEMENTS,
                    Serdes.String().deserializer(), topics.placements.valueSerde().deserializer(), r -> true, 1,
                    TIMEOUT).stream().map(r -> r.value().getPrimarySite()).toList();
            assertEquals(placedOn.get(0), copy.getDestinationSite());
            // Hot, it is placed where its us-east readers are served within the SLA (onprem is 83 ms away).
            assertEquals("aws", hot.get(0).getPrimarySite());
            assertEquals(dataset.getSha256(), copy.getExpectedSha256());

            DeadLetter letter = KafkaTestClients.consume(stack.bootstrapServers(), Topics.DEAD_LETTERS,
                    Serdes.ByteArray().deserializer(), topics.deadLetters.valueSerde().deserializer(), 1, TIMEOUT)
                    .get(0).value();
            assertEquals(Topics.ACCESS_EVENTS, letter.getSourceTopic());
            assertEquals("deserialization", letter.getStage());
            assertEquals("tierflow-it", letter.getApplication());
            assertEquals(KafkaStreams.State.RUNNING, app.streams().state(), "bad input did not stop the app");
            assertTrue(letter.getSourceOffset() >= 0);

            assertSame(registry, app.meterRegistry());
            assertEquals(40, registry.get("tierflow.access.events").tag("outcome", "counted").counter().count());
            assertEquals(1, registry.get("tierflow.dead.letters").tag("stage", "deserialization").counter().count());
            assertEquals(1, registry.get("tierflow.migration.commands.issued").tag("action", "copy").counter()
                    .count());
            // The census: the dataset is hot, its one copy still on azure while the copy to the new site runs.
            awaitGauge(registry, "tierflow.datasets", 1.0, "tier", "hot");
            awaitGauge(registry, "tierflow.stored", 1e9, "site", "azure", "tier", "hot");
            awaitGauge(registry, "tierflow.migrations.in.flight", 1.0);
            assertTrue(registry.get("tierflow.storage.cost.usd.per.month").tag("site", "azure").gauge().value() > 0);
            String scrape = registry.scrape();
            for (String exported : List.of("tierflow_access_events_total{", "tierflow_placement_evaluations_total{",
                    "tierflow_placement_evaluation_seconds_bucket{", "tierflow_dataset_heat_bucket{",
                    "tierflow_datasets{", "tierflow_stored_bytes{", "tierflow_alerts_active{",
                    "tierflow_streams_state{state=\"running\"} 1", "kafka_stream_thread_process_total{",
                    "jvm_memory_used_bytes{", "process_cpu_usage")) {
                assertTrue(scrape.contains(exported), "/metrics exports " + exported);
            }
            assertTrue(scrape.lines().anyMatch(l -> l.startsWith("kafka_consumer_fetch_manager_records_lag{")
                    && l.contains("topic=\"access-events\"")), "consumer lag per input partition");
        }
    }

    /**
     * The activity store holds values as objects between commits and writes them to its changelog at the commit
     * (WriteBehindStore): a node that starts with an empty state directory must restore every counted event from
     * that changelog, and go on counting from there without counting a redelivered event twice.
     */
    @Test
    void shouldRestoreFromTheChangelogsIntoAnEmptyStateDirectoryAndRebuildTheDueIndex() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        Topics topics = stack.topics();
        Instant now = Instant.now();
        Dataset inventory = Dataset.newBuilder().setKey("it/restore").setSizeBytes(1_000_000L)
                .setContentType("application/octet-stream").setOwner("it").setVersionToken("\"v1\"")
                .setSha256("cd".repeat(32)).setPrimarySite("azure").setStorageClass("GLACIER_IR")
                .setUpdatedAt(now).build();
        // A second dataset, never read: cold, so nothing makes it due while the first node runs.
        Dataset idle = Dataset.newBuilder(inventory).setKey("it/idle").build();
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.DATASETS, Serdes.String().serializer(),
                topics.datasets.valueSerde().serializer(),
                List.of(new ProducerRecord<>(Topics.DATASETS, inventory.getKey(), inventory),
                        new ProducerRecord<>(Topics.DATASETS, idle.getKey(), idle)));
        produceAccesses(stack, topics, now, 0, 25);
        HeatPolicies.publishDefault(stack);
        try (TieringApp first = new TieringApp(restoreConfig(stack, "state-first"), TieringSettings.DEFAULTS)) {
            first.start();
            Eventually.holds(TIMEOUT, "25 events counted by the first node", () -> eventsCounted(first) == 25);
            Eventually.holds(TIMEOUT, "the idle dataset decided", () -> store(first,
                    TieringTopology.DATASET_STATE_STORE).get("it/idle") != null);
            assertEquals(1.0, scheduled(first), "only the dataset that was read is due some time");
        } // a clean close: its last commit writes what the store holds

        try (TieringApp second = new TieringApp(restoreConfig(stack, "state-second"), TieringSettings.DEFAULTS)) {
            second.start();
            Eventually.holds(TIMEOUT, "the second node restored 25 events", () -> eventsCounted(second) == 25);
            produceAccesses(stack, topics, now, 20, 30); // events 20-24 again (redelivered), then 25-29
            Eventually.holds(TIMEOUT, "30 events counted after the restore",
                    () -> eventsCounted(second) == 30);
            assertEquals(30, eventsCounted(second), "a redelivered event counted twice");
            // The due index has no changelog: the restored node rebuilt it from the dataset records.
            DatasetState restored = (DatasetState) store(second, TieringTopology.DATASET_STATE_STORE)
                    .get("it/restore");
            long dueAt = restored.getDueAt();
            assertTrue(dueAt > 0, "the dataset was decided, so it is due again some time");
            DatasetState idleRecord = (DatasetState) store(second, TieringTopology.DATASET_STATE_STORE)
                    .get("it/idle");
            assertEquals(-1, idleRecord.getDueAt(), "its record says nothing is due");
            assertEquals(2.0, scheduled(second), "both restored datasets are in the rebuilt due index: the idle "
                    + "one due within the hour of its last look, for what the first node knew and did not write");
        }
    }

    private static double scheduled(TieringApp app) {
        return app.meterRegistry().get("tierflow.datasets.scheduled").gauge().value();
    }

    private Properties restoreConfig(LocalStack stack, String stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-restore-it");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(stateDir).toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return config;
    }

    private static void produceAccesses(LocalStack stack, Topics topics, Instant start, int from, int to)
            throws Exception {
        List<ProducerRecord<String, AccessEvent>> events = new ArrayList<>();
        for (int i = from; i < to; i++) {
            AccessEvent event = AccessEvent.newBuilder().setKey("it/restore").setOp(AccessOp.GET).setBytes(1_000)
                    .setServedFrom("aws").setClientRegion("eu-west").setLatencyMs(20)
                    .setEventTime(start.plusSeconds(i)).setEventId("restore-" + i).build();
            events.add(new ProducerRecord<>(Topics.ACCESS_EVENTS, event.getKey(), event));
        }
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.ACCESS_EVENTS, Serdes.String().serializer(),
                topics.accessEvents.valueSerde().serializer(), events);
    }

    private static ReadOnlyKeyValueStore<String, Object> store(TieringApp app, String name) {
        return app.streams().store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }

    /** Events counted for the test's dataset, read through interactive queries; -1 while the store is not readable. */
    private static long eventsCounted(TieringApp app) {
        try {
            ReadOnlyKeyValueStore<String, DatasetActivity> store = app.streams().store(StoreQueryParameters
                    .fromNameAndType(TieringTopology.DATASET_ACTIVITY_STORE, QueryableStoreTypes.keyValueStore()));
            DatasetActivity activity = store.get("it/restore");
            return activity == null ? 0 : activity.activity.totalEvents();
        } catch (InvalidStateStoreException e) {
            return -1; // starting, restoring or rebalancing
        }
    }
}
