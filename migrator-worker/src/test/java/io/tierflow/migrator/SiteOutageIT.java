package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Site;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Sites that go down during a migration: backed off, reported, and the work finishes once they are back. */
class SiteOutageIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @BeforeAll
    static void startStack() throws Exception {
        CommandExecutorIT.stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
    }

    @AfterAll
    static void stopStack() {
        CommandExecutorIT.stack = null;
    }

    @Test
    void shouldBackOffADestinationThatDiesMidCopyAndFinishWhenItIsBack() throws Exception {
        LocalStack stack = CommandExecutorIT.stack;
        try (SiteStores sites = new SiteStores(Map.of(), 5L << 20, 5L << 20, 2, Duration.ofSeconds(1),
                Clock.systemUTC()).trust(SiteTrust.pinned(stack.config().sitePlaces()))) {
            Topics topics = stack.topics();
            for (ConsumerRecord<String, Site> record : KafkaTestClients.consume(stack.bootstrapServers(),
                    Topics.SITES, topics.sites.keySerde().deserializer(), topics.sites.valueSerde().deserializer(), 4,
                    TIMEOUT)) {
                sites.update(record.key(), record.value());
            }
            CommandExecutor executor = new CommandExecutor(sites, "outage-worker", false, false, Clock.systemUTC());
            byte[] bytes = CommandExecutorIT.randomBytes((int) (40L << 20));
            MigrationCommand copy = CommandExecutorIT.copyCommand(
                    CommandExecutorIT.seed("aws", "outage/" + UUID.randomUUID(), bytes), "aws", "azure", "STANDARD");
            AtomicBoolean stopped = new AtomicBoolean();
            try {
                // The destination dies once some parts are in.
                Outcome first = executor.execute(copy, 1, status -> {
                    if (status.getPhase() == MigrationPhase.COPYING && status.getBytesDone() > 0
                            && stopped.compareAndSet(false, true)) {
                        stopSite(stack, "azure");
                    }
                });
                assertTrue(stopped.get(), "the site was stopped mid-copy");
                assertEquals(ErrorCode.SITE_UNAVAILABLE, assertInstanceOf(Outcome.Failed.class, first).code(),
                        first.toString());
                executor.execute(copy, 2, status -> { }); // second failure in a row opens the breaker
                assertEquals(CircuitBreaker.State.OPEN, sites.breaker("azure").state());
                Outcome refused = executor.execute(copy, 3, status -> { });
                assertTrue(assertInstanceOf(Outcome.Failed.class, refused).message().contains("backed off"),
                        "no request while the breaker is open: " + refused);
            } finally {
                stack.startSite("azure");
            }
            Eventually.holds(Duration.ofSeconds(10), "the breaker's open period ends",
                    () -> sites.breaker("azure").state() == CircuitBreaker.State.HALF_OPEN);

            Outcome done = executor.execute(copy, 4, status -> { });

            MigrationStatus completed = assertInstanceOf(Outcome.Completed.class, done).status();
            assertEquals(copy.getExpectedSha256(), completed.getSha256());
            assertArrayEquals(bytes, CommandExecutorIT.read("azure", copy.getKey()));
            assertEquals(CircuitBreaker.State.CLOSED, sites.breaker("azure").state());
            try (S3Client s3 = stack.s3Client("azure")) {
                assertTrue(s3.listMultipartUploads(b -> b.bucket(LocalStack.BUCKET).prefix(copy.getKey()))
                        .uploads().isEmpty(), "the interrupted upload was aborted");
            } catch (S3Exception e) {
                // S3Proxy's filesystem store may not list multipart uploads; nothing to check then
                assertEquals(501, e.statusCode(), e.getMessage());
            }
        }
    }

    @Test
    void shouldReportAWaitingCommandAndFinishItWhenTheSiteIsBack() throws Exception {
        LocalStack stack = CommandExecutorIT.stack;
        byte[] bytes = CommandExecutorIT.randomBytes(100_000);
        MigrationCommand copy = CommandExecutorIT.copyCommand(
                CommandExecutorIT.seed("aws", "down/" + UUID.randomUUID(), bytes), "aws", "gcp", "STANDARD");
        Topics topics = stack.topics();
        stopSite(stack, "gcp");
        try {
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.MIGRATION_COMMANDS,
                    topics.migrationCommands.keySerde().serializer(),
                    topics.migrationCommands.valueSerde().serializer(),
                    List.of(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, copy.getKey(), copy)));
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
            config.put(MigratorSettings.RETRY_BASE_MS, "100");
            config.put(MigratorSettings.RETRY_MAX_MS, "500");
            config.put(MigratorSettings.MAX_ATTEMPTS, "50");
            config.put(MigratorSettings.BREAKER_FAILURES, "2");
            config.put(MigratorSettings.BREAKER_OPEN_MS, "1000");
            config.putAll(MigratorSettings.pinning(stack.config().sitePlaces()));
            try (MigratorWorker worker = new MigratorWorker(config, Map.of())) {
                worker.start();
                List<MigrationStatus> waiting = statuses(stack, topics, copy, s -> "site_unavailable".equals(
                        s.getErrorCode()) && s.getPhase() == MigrationPhase.QUEUED, 1);
                assertTrue(waiting.get(0).getErrorMessage() != null, "the wait says why");

                stack.startSite("gcp");

                MigrationStatus completed = statuses(stack, topics, copy,
                        s -> s.getPhase() == MigrationPhase.COMPLETED, 1).get(0);
                assertEquals(copy.getExpectedSha256(), completed.getSha256());
                assertArrayEquals(bytes, CommandExecutorIT.read("gcp", copy.getKey()));
                // (no FAILED before it: FAILED is terminal, the pool would not have completed the command after it)
            }
        } finally {
            stack.startSite("gcp");
        }
    }

    private static List<MigrationStatus> statuses(LocalStack stack, Topics topics, MigrationCommand command,
            java.util.function.Predicate<MigrationStatus> keep, int count) {
        return KafkaTestClients.consume(stack.bootstrapServers(), Topics.MIGRATION_STATUS,
                        topics.migrationStatus.keySerde().deserializer(),
                        topics.migrationStatus.valueSerde().deserializer(),
                        r -> r.value().getCommandId().equals(command.getId()) && keep.test(r.value()), count, TIMEOUT)
                .stream().map(ConsumerRecord::value).toList();
    }

    private static void stopSite(LocalStack stack, String name) {
        try {
            stack.stopSite(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
