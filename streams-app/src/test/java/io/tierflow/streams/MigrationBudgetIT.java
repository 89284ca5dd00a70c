package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Policy;
import io.tierflow.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration budget on the real broker: with a budget of zero the moves wait; a node that starts on an empty state
 * directory (another node, or this one after losing its disk) finds every waiting move in the restored
 * {@code migration-budget} store, and issues them once the budget allows.
 */
class MigrationBudgetIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> KEYS = List.of("it/budget-a", "it/budget-b", "it/budget-c");

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryWaitingMoveAcrossARestartAndIssueThemWhenTheBudgetAllows() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        Topics topics = stack.topics();
        publishPolicy(stack, topics, 0);
        Instant now = Instant.now();
        List<ProducerRecord<String, Dataset>> inventory = new ArrayList<>();
        List<ProducerRecord<String, AccessEvent>> reads = new ArrayList<>();
        for (String key : KEYS) {
            Dataset dataset = Dataset.newBuilder().setKey(key).setSizeBytes(1_000_000_000L)
                    .setContentType("application/octet-stream").setOwner("it").setVersionToken("\"v1\"")
                    .setSha256("ab".repeat(32)).setPrimarySite("azure").setStorageClass("GLACIER_IR")
                    .setUpdatedAt(now).build();
            inventory.add(new ProducerRecord<>(Topics.DATASETS, key, dataset));
            for (int i = 0; i < 40; i++) { // hot and read from us-east: each wants a COPY off azure
                AccessEvent event = AccessEvent.newBuilder().setKey(key).setOp(AccessOp.GET)
                        .setBytes(100_000_000).setServedFrom("azure").setClientRegion("us-east").setLatencyMs(30)
                        .setEventTime(now.plusSeconds(i)).setEventId(key + "-" + i).build();
                reads.add(new ProducerRecord<>(Topics.ACCESS_EVENTS, key, event));
            }
        }
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.DATASETS, Serdes.String().serializer(),
                topics.datasets.valueSerde().serializer(), inventory);
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.ACCESS_EVENTS, Serdes.String().serializer(),
                topics.accessEvents.valueSerde().serializer(), reads);

        try (TieringApp first = new TieringApp(config(stack, "state-first"), TieringSettings.DEFAULTS)) {
            first.start();
            Eventually.holds(TIMEOUT, () -> "three moves wait for a budget of zero, " + waiting(first),
                    () -> waiting(first) == KEYS.size());
            assertEquals(0.0, copiesIssued(first), "a budget of zero moves no bytes");
        } // a clean close: its last commit writes the waiting moves to the store's changelog

        try (TieringApp second = new TieringApp(config(stack, "state-second"), TieringSettings.DEFAULTS)) {
            second.start();
            // A starting task looks at its datasets within the hour of their last look, not at once: only the
            // restored store can show the three moves this soon.
            Eventually.holds(TIMEOUT, () -> "the second node restored the three waiting moves, " + waiting(second),
                    () -> waiting(second) == KEYS.size());
            assertEquals(0.0, copiesIssued(second));

            publishPolicy(stack, topics, 100_000_000_000L); // the budget alone: no dataset becomes due by it
            List<ConsumerRecord<String, MigrationCommand>> copies = KafkaTestClients.consume(
                    stack.bootstrapServers(), Topics.MIGRATION_COMMANDS, Serdes.String().deserializer(),
                    topics.migrationCommands.valueSerde().deserializer(),
                    r -> r.value() != null && r.value().getAction() == MigrationAction.COPY, KEYS.size(), TIMEOUT);
            Set<String> moved = new TreeSet<>();
            copies.forEach(r -> moved.add(r.key()));
            assertEquals(new TreeSet<>(KEYS), moved, "every waiting move was issued");
            Eventually.holds(TIMEOUT, () -> "nothing waits any more, " + waiting(second),
                    () -> waiting(second) == 0);
            assertEquals(KEYS.size(), copiesIssued(second), "one COPY each");
        }
    }

    private static void publishPolicy(LocalStack stack, Topics topics, long budgetBytesPerHour) throws Exception {
        Policy policy = Policy.newBuilder(TopologyFixture.policy(false)).setUpdatedAt(Instant.now())
                .setMigrationBudgetBytesPerHour(budgetBytesPerHour).build();
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.POLICIES, Serdes.String().serializer(),
                topics.policies.valueSerde().serializer(), List.of(new ProducerRecord<>(Topics.POLICIES, "default",
                        policy)));
    }

    private static double waiting(TieringApp app) {
        return app.meterRegistry().get("tierflow.migration.backlog.moves").gauge().value();
    }

    private static double copiesIssued(TieringApp app) {
        return app.meterRegistry().get("tierflow.migration.commands.issued").tag("action", "copy").counter().count();
    }

    private Properties config(LocalStack stack, String stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-budget-it");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(stateDir).toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return config;
    }
}
