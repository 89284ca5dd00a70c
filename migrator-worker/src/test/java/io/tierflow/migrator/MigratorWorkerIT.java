package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.DeadLetter;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The whole pool on the local stack: commands in, statuses out, offsets committed after terminal statuses. */
class MigratorWorkerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** How long the waiting RETIRE's grace period runs after it is produced: the restart test waits it out. */
    private static final Duration RETIRE_GRACE = Duration.ofSeconds(10);

    @Test
    void shouldExecuteCommandsFromTheTopicAndReportEveryPhase() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        try {
            CommandExecutorIT.stack = stack; // reuse its seeding helpers against this stack
            byte[] bytes = CommandExecutorIT.randomBytes(200_000);
            CommandExecutorIT.Seeded seeded = CommandExecutorIT.seed("aws", "pool/" + UUID.randomUUID(), bytes);
            MigrationCommand copy = CommandExecutorIT.copyCommand(seeded, "aws", "azure", "STANDARD");
            MigrationCommand duplicate = MigrationCommand.newBuilder(copy).build();
            MigrationCommand missing = CommandExecutorIT.copyCommand(new CommandExecutorIT.Seeded(
                    "pool/missing-" + UUID.randomUUID(), "abc", new byte[1]), "aws", "gcp", "STANDARD");
            Topics topics = stack.topics();
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.MIGRATION_COMMANDS,
                    topics.migrationCommands.keySerde().serializer(),
                    topics.migrationCommands.valueSerde().serializer(),
                    List.of(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, copy.getKey(), copy),
                            new ProducerRecord<>(Topics.MIGRATION_COMMANDS, duplicate.getKey(), duplicate),
                            new ProducerRecord<>(Topics.MIGRATION_COMMANDS, missing.getKey(), missing)));
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.MIGRATION_COMMANDS, new StringSerializer(),
                    new ByteArraySerializer(), List.of(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, "poison",
                            "not avro".getBytes(StandardCharsets.UTF_8))));

            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
            config.put(MigratorSettings.CONCURRENCY, "2");
            config.put(MigratorSettings.WORKER_ID, "it-worker");
            config.putAll(MigratorSettings.pinning(stack.config().sitePlaces()));
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (AutoCloseable jvm = MigratorMetrics.bindJvmMeters(registry);
                    MetricsEndpoint endpoint = MetricsEndpoint.start(registry, "127.0.0.1", 0);
                    MigratorWorker worker = new MigratorWorker(config, Map.of(), registry)) {
                worker.start();

                // QUEUED, COPYING, VERIFYING, COMPLETED for the copy; QUEUED, COMPLETED for its duplicate (already
                // there); QUEUED, FAILED for the missing source: 8 statuses in all.
                List<MigrationStatus> statuses = KafkaTestClients.consume(stack.bootstrapServers(),
                        Topics.MIGRATION_STATUS, topics.migrationStatus.keySerde().deserializer(),
                        topics.migrationStatus.valueSerde().deserializer(), 8, TIMEOUT)
                        .stream().map(ConsumerRecord::value).toList();

                List<MigrationPhase> copyPhases = statuses.stream()
                        .filter(s -> s.getCommandId().equals(copy.getId())).map(MigrationStatus::getPhase).toList();
                assertEquals(2, copyPhases.stream().filter(p -> p == MigrationPhase.QUEUED).count());
                assertEquals(List.of(MigrationPhase.COPYING, MigrationPhase.VERIFYING, MigrationPhase.COMPLETED,
                        MigrationPhase.COMPLETED), copyPhases.stream().filter(p -> p != MigrationPhase.QUEUED).toList(),
                        "the duplicate runs after the first (same dataset, in order) and finds the copy done");
                statuses.stream().filter(s -> s.getPhase() == MigrationPhase.COMPLETED).forEach(s -> {
                    assertEquals(copy.getExpectedSha256(), s.getSha256());
                    assertEquals("it-worker", s.getWorker());
                });
                MigrationStatus failed = statuses.stream().filter(s -> s.getCommandId().equals(missing.getId())
                        && s.getPhase() == MigrationPhase.FAILED).findFirst().orElseThrow();
                assertEquals("missing_source", failed.getErrorCode());
                assertArrayEquals(bytes, CommandExecutorIT.read("azure", copy.getKey()));

                DeadLetter letter = KafkaTestClients.consume(stack.bootstrapServers(), Topics.DEAD_LETTERS,
                        topics.deadLetters.keySerde().deserializer(), topics.deadLetters.valueSerde().deserializer(),
                        1, TIMEOUT).get(0).value();
                assertEquals(Topics.MIGRATION_COMMANDS, letter.getSourceTopic());
                assertEquals("not avro", StandardCharsets.UTF_8.decode(letter.getValue()).toString());

                assertCommittedToTheEnd(stack.bootstrapServers());
                assertMetricsAfterTheRun(endpoint, bytes.length);
            }
        } finally {
            CommandExecutorIT.stack = null;
        }
    }

    /**
     * A RETIRE in its grace period neither holds its partition's commit back (the COPY after it is committed past)
     * nor is lost: a worker that takes over after a stop finds it through the commit's metadata and runs it when its
     * time comes, and does not run the finished COPY again.
     */
    @Test
    void shouldCommitPastAWaitingRetireAndStillRunItAfterARestart() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        try {
            CommandExecutorIT.stack = stack;
            byte[] bytes = CommandExecutorIT.randomBytes(1_000);
            CommandExecutorIT.Seeded seeded = CommandExecutorIT.seed("azure", "grace/" + UUID.randomUUID(), bytes);
            CommandExecutorIT.seed("gcp", seeded.key(), bytes); // the copy that stays
            MigrationCommand retire = CommandExecutorIT.copyCommand(seeded, "azure", "azure", "STANDARD");
            retire.setAction(MigrationAction.RETIRE);
            retire.setKeepSite("gcp");
            retire.setSequence(3);
            MigrationCommand copy = CommandExecutorIT.copyCommand(CommandExecutorIT.seed("aws",
                    "after-grace/" + UUID.randomUUID(), CommandExecutorIT.randomBytes(2_000)), "aws", "gcp",
                    "STANDARD");
            Topics topics = stack.topics();
            TopicPartition partition = new TopicPartition(Topics.MIGRATION_COMMANDS, 0);

            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            Instant due;
            try (Admin admin = Admin.create(props);
                    MigratorWorker first = new MigratorWorker(workerConfig(stack, "worker-1"), Map.of())) {
                first.start();
                // The grace period starts once worker-1 owns the partition: it has to cover fetching, the COPY and
                // the commit, not the worker's start as well, and the test waits it out below.
                Eventually.holds(TIMEOUT, "worker-1 owns " + partition, () -> admin
                        .describeConsumerGroups(List.of(MigratorWorker.GROUP_ID)).describedGroups()
                        .get(MigratorWorker.GROUP_ID).get().members().stream()
                        .anyMatch(m -> m.assignment().topicPartitions().contains(partition)));
                due = Instant.now().plus(RETIRE_GRACE);
                retire.setNotBefore(due);
                KafkaTestClients.produce(stack.bootstrapServers(), Topics.MIGRATION_COMMANDS,
                        topics.migrationCommands.keySerde().serializer(),
                        topics.migrationCommands.valueSerde().serializer(),
                        List.of(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, 0, retire.getKey(), retire),
                                new ProducerRecord<>(Topics.MIGRATION_COMMANDS, 0, copy.getKey(), copy)));
                awaitTerminal(stack, topics, copy, "worker-1", MigrationPhase.COMPLETED);
                AtomicReference<OffsetAndMetadata> seen = new AtomicReference<>();
                Eventually.holds(TIMEOUT, () -> "committed past the waiting RETIRE, was " + seen.get(), () -> {
                    seen.set(admin.listConsumerGroupOffsets(MigratorWorker.GROUP_ID).partitionsToOffsetAndMetadata()
                            .get().get(partition));
                    return seen.get() != null && seen.get().offset() == 2;
                });
                assertEquals("deferred-from=0", seen.get().metadata(), "where the waiting RETIRE is");
                assertTrue(Instant.now().isBefore(due), "the commit did not wait for the grace period");
            } // a graceful stop before the RETIRE's time

            try (MigratorWorker second = new MigratorWorker(workerConfig(stack, "worker-2"), Map.of())) {
                second.start();
                awaitTerminal(stack, topics, retire, "worker-2", MigrationPhase.COMPLETED);
            }
            assertTrue(!Instant.now().isBefore(due), "not retired before its time");
            assertTrue(!CommandExecutorIT.exists("azure", seeded.key()), "retired by the worker that took over");
            assertArrayEquals(bytes, CommandExecutorIT.read("gcp", seeded.key()), "the kept copy stays");
            // Had worker-2 run the finished COPY again, its statuses would have been written well before the
            // RETIRE's time: none is there.
            assertThrows(AssertionError.class, () -> KafkaTestClients.consume(stack.bootstrapServers(),
                    Topics.MIGRATION_STATUS, topics.migrationStatus.keySerde().deserializer(),
                    topics.migrationStatus.valueSerde().deserializer(),
                    r -> r.value().getCommandId().equals(copy.getId()) && r.value().getWorker().equals("worker-2"),
                    1, Duration.ofSeconds(3)), "the finished COPY is not run again");
        } finally {
            CommandExecutorIT.stack = null;
        }
    }

    /**
     * A RETIRE that the streams app has since followed with a newer command for the same dataset (here a COPY back
     * to the site it retires) ends SUPERSEDED without touching the site, and the newer command runs.
     */
    @Test
    void shouldSkipACommandOnceANewerOneForItsDatasetWasSeen() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        try {
            CommandExecutorIT.stack = stack;
            byte[] bytes = CommandExecutorIT.randomBytes(1_200);
            CommandExecutorIT.Seeded seeded = CommandExecutorIT.seed("azure", "newer/" + UUID.randomUUID(), bytes);
            CommandExecutorIT.seed("gcp", seeded.key(), bytes);
            MigrationCommand retire = CommandExecutorIT.copyCommand(seeded, "azure", "azure", "STANDARD");
            retire.setAction(MigrationAction.RETIRE);
            retire.setKeepSite("gcp");
            retire.setSequence(3);
            retire.setNotBefore(Instant.now().plusSeconds(2)); // whichever poll the newer one comes in, it is seen
            MigrationCommand newer = CommandExecutorIT.copyCommand(seeded, "gcp", "aws", "STANDARD");
            newer.setSequence(4);
            Topics topics = stack.topics();
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.MIGRATION_COMMANDS,
                    topics.migrationCommands.keySerde().serializer(),
                    topics.migrationCommands.valueSerde().serializer(),
                    List.of(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, retire.getKey(), retire),
                            new ProducerRecord<>(Topics.MIGRATION_COMMANDS, newer.getKey(), newer)));

            try (MigratorWorker worker = new MigratorWorker(workerConfig(stack, "worker-1"), Map.of())) {
                worker.start();
                awaitTerminal(stack, topics, retire, "worker-1", MigrationPhase.SUPERSEDED);
                awaitTerminal(stack, topics, newer, "worker-1", MigrationPhase.COMPLETED);
            }
            assertArrayEquals(bytes, CommandExecutorIT.read("azure", seeded.key()), "the stale RETIRE did nothing");
            assertArrayEquals(bytes, CommandExecutorIT.read("aws", seeded.key()));
        } finally {
            CommandExecutorIT.stack = null;
        }
    }

    /** What GET /metrics shows once the three commands and the dead letter are done. */
    private static void assertMetricsAfterTheRun(MetricsEndpoint endpoint, long bytesCopied) throws Exception {
        Map<String, Double> expected = new java.util.LinkedHashMap<>();
        expected.put("tierflow_migration_commands_total{action=\"COPY\"}", 3.0);
        expected.put("tierflow_migration_commands_total{action=\"RETIRE\"}", 0.0);
        expected.put("tierflow_migration_status_total{phase=\"QUEUED\"}", 3.0);
        expected.put("tierflow_migration_status_total{phase=\"COPYING\"}", 1.0);
        expected.put("tierflow_migration_status_total{phase=\"VERIFYING\"}", 1.0);
        expected.put("tierflow_migration_status_total{phase=\"COMPLETED\"}", 2.0);
        expected.put("tierflow_migration_status_total{phase=\"FAILED\"}", 1.0);
        expected.put("tierflow_migration_failures_total{reason=\"missing_source\"}", 1.0);
        expected.put("tierflow_migration_bytes_moved_total", (double) bytesCopied); // the duplicate moved nothing
        expected.put("tierflow_migration_transfer_seconds_count{action=\"COPY\"}", 3.0);
        expected.put("tierflow_migration_backlog", 0.0);
        expected.put("tierflow_migration_site_up{site=\"aws\"}", 1.0);
        expected.put("tierflow_migration_site_up{site=\"onprem\"}", 1.0);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        AtomicReference<java.net.http.HttpResponse<String>> last = new AtomicReference<>();
        Map<String, Double> actual = new java.util.LinkedHashMap<>();
        // Statuses are counted on the broker's acknowledgement, just after they are readable: ask until they show.
        Eventually.holds(TIMEOUT, () -> "metrics " + expected + ", were " + actual, () -> {
            java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(endpoint.url())).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            last.set(response);
            Map<String, Double> samples = samples(response.body());
            expected.keySet().forEach(name -> actual.put(name, samples.get(name)));
            return actual.equals(expected);
        });
        java.net.http.HttpResponse<String> response = last.get();
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String body = response.body();
        assertTrue(samples(body).keySet().stream().anyMatch(n -> n.startsWith(
                "tierflow_migration_transfer_seconds_bucket{action=\"COPY\",le=")), "a histogram");
        for (String family : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads",
                "process_cpu_usage", "kafka_consumer_fetch_manager_records_consumed_total",
                "kafka_producer_record_send_total")) {
            assertTrue(body.contains("\n" + family), family + " is exposed");
        }
    }

    /** Prometheus text format: sample name with labels → value (comments skipped). */
    private static Map<String, Double> samples(String body) {
        Map<String, Double> samples = new java.util.HashMap<>();
        for (String line : body.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("#") && space > 0) {
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    private static Properties workerConfig(LocalStack stack, String workerId) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
        config.put(MigratorSettings.WORKER_ID, workerId);
        config.putAll(MigratorSettings.pinning(stack.config().sitePlaces()));
        return config;
    }

    private static void awaitTerminal(LocalStack stack, Topics topics, MigrationCommand command, String workerId,
            MigrationPhase phase) {
        KafkaTestClients.consume(stack.bootstrapServers(), Topics.MIGRATION_STATUS,
                topics.migrationStatus.keySerde().deserializer(), topics.migrationStatus.valueSerde().deserializer(),
                r -> r.value().getCommandId().equals(command.getId()) && r.value().getWorker().equals(workerId)
                        && r.value().getPhase() == phase, 1, TIMEOUT);
    }

    /**
     * Every command has its terminal status (and the unreadable one its dead letter), so the group's offsets reach
     * the end of every partition.
     */
    private static void assertCommittedToTheEnd(String bootstrap) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            AtomicReference<String> seen = new AtomicReference<>("nothing yet");
            Eventually.holds(TIMEOUT, () -> "the group's offsets at the end of every partition: " + seen.get(), () -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                        MigratorWorker.GROUP_ID).partitionsToOffsetAndMetadata().get();
                Set<TopicPartition> partitions = committed.keySet();
                Map<TopicPartition, Long> end = admin.listOffsets(partitions.stream()
                                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get()
                        .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                seen.set(committed + " vs " + end);
                return !partitions.isEmpty() && end.values().stream().mapToLong(Long::longValue).sum() == 4
                        && partitions.stream().allMatch(p -> committed.get(p).offset() == end.get(p));
            });
        }
    }
}
