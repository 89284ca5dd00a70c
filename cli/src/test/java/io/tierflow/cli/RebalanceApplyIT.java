package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.api.ApiSettings;
import io.tierflow.api.StreamsNode;
import io.tierflow.cli.rebalance.RebalanceCommand;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.schemas.Tier;
import io.tierflow.streams.TieringApp;
import io.tierflow.streams.TieringSettings;
import io.tierflow.streams.store.KeyPartitions;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tierflow rebalance --apply} against a streams node on the local stack. azure is made the cheapest cold site,
 * with room in a task's share for 10 GiB: {@code small} (4 GiB) sits there, and {@code large} (8 GiB, same partition),
 * on aws, is turned away for want of room. Each dataset alone stays where it is. The pass, seeing the room as one
 * share's worth (headroom 0.85), sends {@code small} off azure and {@code large} to it; applied, {@code small}'s task
 * plans the move it would never have made by itself, names the pass in {@code /explain}, and waits for the migration
 * budget (zero) before it issues the copy; {@code large}'s pin waits for the room, saying so.
 */
class RebalanceApplyIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void shouldMoveADatasetTheTaskAloneWouldKeepAndStillWaitForTheBudget() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        Topics topics = stack.topics();
        publishPolicy(stack, topics, 0);
        List<ProducerRecord<String, Site>> catalogue = new ArrayList<>();
        KafkaTestClients.consume(stack.bootstrapServers(), Topics.SITES, Serdes.String().deserializer(),
                topics.sites.valueSerde().deserializer(), 4, TIMEOUT).forEach(r -> catalogue.add(
                        new ProducerRecord<>(Topics.SITES, r.key(), priced(r.value()))));
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.SITES, Serdes.String().serializer(),
                topics.sites.valueSerde().serializer(), catalogue);
        List<String> keys = twoKeysOfOnePartition();
        String small = keys.get(0);
        String large = keys.get(1);
        int apiPort = freePort();
        try (StreamsNode node = StreamsNode.start(streamsConfig(stack), fastSettings(),
                ApiSettings.defaults().withPort(apiPort).withToken("t"))) {
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.DATASETS, Serdes.String().serializer(),
                    topics.datasets.valueSerde().serializer(), List.of(
                            new ProducerRecord<>(Topics.DATASETS, small, dataset(small, 4 * GIB, "azure")),
                            new ProducerRecord<>(Topics.DATASETS, large, dataset(large, 8 * GIB, "aws"))));
            Eventually.holds(TIMEOUT, large + " is turned away from azure for want of room", () -> "capacity".equals(
                    explanation(apiPort, large).path("bindingConstraint").asText(null)));
            Eventually.holds(TIMEOUT, small + " is decided", () -> explanation(apiPort, small).path("siteScores")
                    .size() == 4);
            assertEquals("azure", decision(apiPort, small).path("primarySite").asText(), "alone, small stays");
            assertEquals("aws", decision(apiPort, large).path("primarySite").asText(), "alone, large stays");

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = new CommandLine(new RebalanceCommand()).setOut(new PrintWriter(out))
                    .setErr(new PrintWriter(err)).execute("--api", "http://127.0.0.1:" + apiPort, "--apply",
                            "--headroom", "0.85", "--bootstrap-servers", stack.bootstrapServers(),
                            "--schema-registry-url", stack.schemaRegistryUrl());

            String report = out.toString();
            assertEquals(0, exit, report + err);
            assertTrue(report.contains(large + ": aws -> azure,"), report);
            assertTrue(report.contains(small + ": azure -> "), report);
            String last = report.strip().lines().reduce((a, b) -> b).orElseThrow();
            assertTrue(last.startsWith("rebalance: datasets=2 ") && last.contains(" pins_published=2 "), last);
            String pass = last.substring(last.indexOf(" pass=") + " pass=".length()).strip();

            Eventually.holds(TIMEOUT, small + "'s decision follows the pass", () -> pass.equals(
                    explanation(apiPort, small).path("globalPass").path("pass").asText(null)));
            JsonNode smallDecision = decision(apiPort, small);
            String pinned = smallDecision.path("primarySite").asText();
            assertNotEquals("azure", pinned);
            JsonNode smallPass = smallDecision.path("explanation").path("globalPass");
            assertTrue(smallPass.path("refusedBecause").isNull(), smallPass.toString());
            assertEquals("azure", smallPass.path("ownPrimary").asText(), "its own choice is still azure");
            assertEquals("global_pass", smallDecision.path("explanation").path("bindingConstraint").asText());
            Eventually.holds(TIMEOUT, large + "'s pin waits for the room on azure", () -> "capacity".equals(
                    explanation(apiPort, large).path("globalPass").path("refusedBecause").asText(null)));
            assertEquals("aws", decision(apiPort, large).path("primarySite").asText());

            // A budget of zero: the pass's move waits like any other, and starts once the budget allows it.
            TieringApp app = node.app();
            Eventually.holds(TIMEOUT, () -> "the pinned move waits for the budget, " + waiting(app),
                    () -> waiting(app) == 1);
            assertEquals(0.0, copiesIssued(app), "a budget of zero moves no bytes, pinned or not");
            publishPolicy(stack, topics, 100L * GIB);
            List<ConsumerRecord<String, MigrationCommand>> copies = KafkaTestClients.consume(
                    stack.bootstrapServers(), Topics.MIGRATION_COMMANDS, Serdes.String().deserializer(),
                    topics.migrationCommands.valueSerde().deserializer(),
                    r -> r.value() != null && r.value().getAction() == MigrationAction.COPY, 1, TIMEOUT);
            MigrationCommand copy = copies.get(0).value();
            assertEquals(List.of(small, "azure", pinned, "placed by the global pass"), List.of(copy.getKey(),
                    copy.getSourceSite(), copy.getDestinationSite(), copy.getReason()));
        }
    }

    /**
     * azure: the cheapest cold class by far, 67 GiB (a tenth kept free, over six partitions: 10 GiB a task). Moves
     * cost their requests only (no egress, no retrieval): the pass's moves then pay for themselves within the demo
     * policy's month, by its hysteresis.
     */
    private static Site priced(Site site) {
        Site.Builder builder = Site.newBuilder(site).setEgressPricePerGb(0.0);
        List<StorageClassPrice> classes = new ArrayList<>();
        for (StorageClassPrice price : site.getStorageClasses()) {
            StorageClassPrice.Builder free = StorageClassPrice.newBuilder(price).setRetrievalPricePerGb(0.0);
            if (site.getName().equals("azure") && price.getTier() == Tier.COLD) {
                free.setStoragePricePerGbMonth(0.001);
            }
            classes.add(free.build());
        }
        builder.setStorageClasses(classes);
        if (site.getName().equals("azure")) {
            builder.setCapacityBytes(67 * GIB);
        }
        return builder.build();
    }

    private static List<String> twoKeysOfOnePartition() {
        String first = "pass/small";
        int partition = KeyPartitions.of(first, Topics.DEFAULT_PARTITIONS);
        for (int i = 0; ; i++) {
            String other = "pass/large-" + i;
            if (KeyPartitions.of(other, Topics.DEFAULT_PARTITIONS) == partition) {
                return List.of(first, other);
            }
        }
    }

    private static Dataset dataset(String key, long size, String site) {
        return Dataset.newBuilder().setKey(key).setSizeBytes(size).setContentType("application/x-tar")
                .setOwner("it").setVersionToken("v1").setSha256("0".repeat(64)).setPrimarySite(site)
                .setStorageClass("GLACIER_IR").setUpdatedAt(Instant.now()).build();
    }

    private static void publishPolicy(LocalStack stack, Topics topics, long budgetBytesPerHour) throws Exception {
        Policy policy = Policy.newBuilder(LocalCommand.demoPolicy(Instant.now()))
                .setMigrationBudgetBytesPerHour(budgetBytesPerHour).build();
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.POLICIES, Serdes.String().serializer(),
                topics.policies.valueSerde().serializer(), List.of(new ProducerRecord<>(Topics.POLICIES,
                        "default", policy)));
    }

    private static double waiting(TieringApp app) {
        return app.meterRegistry().get("tierflow.migration.backlog.moves").gauge().value();
    }

    private static double copiesIssued(TieringApp app) {
        return app.meterRegistry().get("tierflow.migration.commands.issued").tag("action", "copy").counter().count();
    }

    private static TieringSettings fastSettings() {
        return new TieringSettings(Duration.ofSeconds(1), 10_000, false, Duration.ofSeconds(1), Duration.ofHours(1));
    }

    private Properties streamsConfig(LocalStack stack) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-rebalance-apply-it");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return config;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static JsonNode decision(int port, String key) throws Exception {
        return get(port, "/datasets/" + key + "/explain").path("decision");
    }

    private static JsonNode explanation(int port, String key) throws Exception {
        return decision(port, key).path("explanation");
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + path)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
