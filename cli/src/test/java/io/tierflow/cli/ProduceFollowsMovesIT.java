package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.cli.traffic.DatasetInventory;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.migrator.MigratorSettings;
import io.tierflow.migrator.MigratorWorker;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * {@code tierflow produce} on the local stack while the real migrator moves a dataset from aws (us-east) to onprem
 * (eu-west), step by step as the topology would order it: the events it produces name the copy nearest each client
 * where the bytes are at the time, with that site's latency. Clients in us-east and eu-west are 75 ms apart, so the
 * latency alone tells which of the two regions' sites served them.
 */
class ProduceFollowsMovesIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String KEY = DatasetInventory.key(1);
    /** Reads of each region to see after a change before it counts as followed. */
    private static final int READS = 8;

    @Test
    void shouldServeEachReadFromTheNearestCopyWhereTheMigratorPutTheBytes() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        try (MigratorWorker migrator = new MigratorWorker(migratorConfig(stack), environment(stack));
                EventTail events = new EventTail(stack)) {
            migrator.start();
            Topics topics = stack.topics();
            StringWriter log = new StringWriter();
            Thread traffic = new Thread(() -> TierflowCommand.commandLine()
                    .setOut(new PrintWriter(log, true)).setErr(new PrintWriter(log, true))
                    .execute("produce", "--bootstrap-servers", stack.bootstrapServers(),
                            "--schema-registry-url", stack.schemaRegistryUrl(), "--datasets", "1", "--rate", "80",
                            "--events", "100000", "--max-object-bytes", "64KiB", "--upload-to", "aws",
                            "--site-port", "aws=" + stack.config().sitePorts().get("aws")), "it-traffic");
            traffic.start();
            try {
                Dataset dataset = KafkaTestClients.consume(stack.bootstrapServers(), Topics.DATASETS,
                        Serdes.String().deserializer(), topics.datasets.valueSerde().deserializer(),
                        r -> r.key().equals(KEY), 1, TIMEOUT).get(0).value();
                assertEquals("aws", dataset.getPrimarySite());

                // Only on aws: everyone is served from aws.
                events.await(Map.of("us-east", "aws", "eu-west", "aws"), log);

                // A copy on onprem: eu-west's clients are served from it, us-east's still from aws.
                MigrationStatus copied = run(stack, command(dataset, "copy", MigrationAction.COPY, "aws", "onprem", 1)
                        .build());
                events.await(Map.of("us-east", "aws", "eu-west", "onprem"), log);

                // Switched, and the aws copy retired: everyone is served from onprem.
                run(stack, command(dataset, "switch", MigrationAction.SWITCH, "aws", "onprem", 2).build());
                run(stack, command(dataset, "retire", MigrationAction.RETIRE, "aws", "aws", 3)
                        .setKeepSite("onprem").setKeepVersionToken(copied.getVersionToken()).build());
                events.await(Map.of("us-east", "onprem", "eu-west", "onprem"), log);
            } finally {
                traffic.interrupt(); // the traffic loop stops at its next pause, flushing what it sent
                traffic.join(30_000);
            }
            assertTrue(log.toString().contains("events to access-events"), "produce ended normally: " + log);
        }
    }

    /** Publishes a command as the topology would, and waits for the migrator to complete it. */
    private static MigrationStatus run(LocalStack stack, MigrationCommand command) throws Exception {
        Topics topics = stack.topics();
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.MIGRATION_COMMANDS, Serdes.String().serializer(),
                topics.migrationCommands.valueSerde().serializer(),
                List.of(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, command.getKey(), command)));
        MigrationStatus end = KafkaTestClients.consume(stack.bootstrapServers(), Topics.MIGRATION_STATUS,
                Serdes.String().deserializer(), topics.migrationStatus.valueSerde().deserializer(),
                r -> r.value().getCommandId().equals(command.getId())
                        && (r.value().getPhase() == MigrationPhase.COMPLETED
                                || r.value().getPhase() == MigrationPhase.FAILED), 1, TIMEOUT).get(0).value();
        assertEquals(MigrationPhase.COMPLETED, end.getPhase(), command.getAction() + ": " + end);
        return end;
    }

    private static MigrationCommand.Builder command(Dataset dataset, String id, MigrationAction action, String source,
            String destination, long sequence) {
        return MigrationCommand.newBuilder().setId("it-" + id).setKey(dataset.getKey()).setAction(action)
                .setSourceSite(source).setDestinationSite(destination).setStorageClass("STANDARD")
                .setExpectedVersionToken(dataset.getVersionToken()).setExpectedSha256(dataset.getSha256())
                .setSizeBytes(dataset.getSizeBytes()).setReason("it").setIssuedAt(Instant.now()).setSequence(sequence);
    }

    /**
     * The access events of the dataset as they are produced. {@link #await} waits until the newest {@link #READS}
     * events of each client region named came from the expected site, then checks that every event since the first
     * of them agrees, in site and latency: nothing served from elsewhere in between, nothing flipping back.
     */
    private static final class EventTail implements AutoCloseable {
        private final KafkaConsumer<String, AccessEvent> consumer;
        private final List<AccessEvent> seen = new ArrayList<>();

        EventTail(LocalStack stack) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(props, Serdes.String().deserializer(),
                    stack.topics().accessEvents.valueSerde().deserializer());
            consumer.subscribe(List.of(Topics.ACCESS_EVENTS));
        }

        void await(Map<String, String> siteByRegion, StringWriter log) throws Exception {
            int[] from = {-1};
            Eventually.holds(TIMEOUT, () -> "the newest " + READS + " reads of each of " + siteByRegion.keySet()
                    + " served as " + siteByRegion + "; produce says: " + log, () -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                        from[0] = firstOfNewest(siteByRegion);
                        return from[0] >= 0;
                    });
            for (AccessEvent event : seen.subList(from[0], seen.size())) {
                String region = event.getClientRegion();
                if (siteByRegion.containsKey(region)) {
                    assertEquals(siteByRegion.get(region), event.getServedFrom(), event.toString());
                    assertTrue(servedNear(event) == event.getServedFrom().equals(siteOf(region)),
                            "the latency is that of the serving site: " + event);
                }
            }
        }

        // Index of the oldest of the newest READS events of every region named, if they are all served as expected.
        private int firstOfNewest(Map<String, String> siteByRegion) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = seen.size() - 1; i >= 0; i--) {
                AccessEvent event = seen.get(i);
                String expected = siteByRegion.get(event.getClientRegion());
                if (expected == null) {
                    continue;
                }
                if (!expected.equals(event.getServedFrom())) {
                    return -1;
                }
                counts.merge(event.getClientRegion(), 1, Integer::sum);
                if (siteByRegion.keySet().stream().allMatch(r -> counts.getOrDefault(r, 0) >= READS)) {
                    return i;
                }
            }
            return -1;
        }

        // A round trip between us-east and eu-west takes 75 ms; a site answers a client of its own region far sooner
        // (aws's p95 is 25 ms, onprem's 8 ms).
        private static boolean servedNear(AccessEvent event) {
            return event.getLatencyMs() < 70;
        }

        private static String siteOf(String region) {
            return region.equals("us-east") ? "aws" : "onprem";
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static Properties migratorConfig(LocalStack stack) {
        Properties config = new Properties();
        config.put("bootstrap.servers", stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.putAll(MigratorSettings.pinning(stack.config().sitePlaces())); // the worker trusts pinned sites only
        return config;
    }

    private static Map<String, String> environment(LocalStack stack) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TIERFLOW_S3_ACCESS_KEY", stack.config().s3AccessKey());
        env.put("TIERFLOW_S3_SECRET_KEY", stack.config().s3SecretKey());
        return env;
    }
}
