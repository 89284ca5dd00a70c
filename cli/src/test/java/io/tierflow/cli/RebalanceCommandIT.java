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
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.streams.TieringSettings;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tierflow.cli.rebalance.RebalanceCommand;
import picocli.CommandLine;

/**
 * {@code tierflow rebalance --dry-run} against a streams node on the local stack: four 20 GiB cold datasets on
 * premises, where cold storage costs most, all cheapest on the same cloud site, which is then given room for one of
 * them. The global pass, reading the estate through the API, sends one there and the others elsewhere.
 */
class RebalanceCommandIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void shouldPlaceTheEstateWithinTheCapacityOfTheSiteEveryDatasetWants() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        Topics topics = stack.topics();
        Policy policy = LocalCommand.demoPolicy(Instant.now());
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.POLICIES, Serdes.String().serializer(),
                topics.policies.valueSerde().serializer(), List.of(new ProducerRecord<>(Topics.POLICIES,
                        "default", policy)));
        Map<String, Site> sites = new HashMap<>();
        KafkaTestClients.consume(stack.bootstrapServers(), Topics.SITES, Serdes.String().deserializer(),
                topics.sites.valueSerde().deserializer(), 4, TIMEOUT).forEach(r -> sites.put(r.key(), r.value()));
        List<ProducerRecord<String, Dataset>> datasets = new ArrayList<>();
        List<String> keys = List.of("archive/a.tar", "archive/b.tar", "archive/c.tar", "archive/d.tar");
        for (String key : keys) {
            datasets.add(new ProducerRecord<>(Topics.DATASETS, key, Dataset.newBuilder().setKey(key)
                    .setSizeBytes(20 * GIB).setContentType("application/x-tar").setOwner("it")
                    .setVersionToken("v1").setSha256("0".repeat(64)).setPrimarySite("onprem")
                    .setStorageClass("STANDARD").setUpdatedAt(Instant.now()).build()));
        }
        int apiPort = freePort();
        try (StreamsNode node = StreamsNode.start(streamsConfig(stack), fastSettings(),
                ApiSettings.defaults().withPort(apiPort).withToken("t"))) {
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.DATASETS, Serdes.String().serializer(),
                    topics.datasets.valueSerde().serializer(), datasets);
            for (String key : keys) {
                Eventually.holds(TIMEOUT, "a decision for " + key, () -> get(apiPort, "/datasets/" + key
                        + "/explain").path("decision").path("explanation").path("siteScores").size() == 4);
            }
            // The site each dataset is cheapest on by itself (they are alike) gets room for one of them.
            String cheapest = null;
            double cheapestCost = Double.POSITIVE_INFINITY;
            for (JsonNode score : get(apiPort, "/datasets/" + keys.get(0) + "/explain").path("decision")
                    .path("explanation").path("siteScores")) {
                double cost = score.path("storageUsdPerMonth").asDouble() + score.path("egressUsdPerMonth")
                        .asDouble() + score.path("moveUsd").asDouble();
                if (score.path("feasible").asBoolean() && cost < cheapestCost) {
                    cheapest = score.path("site").asText();
                    cheapestCost = cost;
                }
            }
            assertTrue(cheapest != null && !cheapest.equals("onprem"), "a cold dataset is cheapest off premises");
            String full = cheapest;
            Site small = Site.newBuilder(sites.get(full)).setCapacityBytes(30 * GIB).build();
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.SITES, Serdes.String().serializer(),
                    topics.sites.valueSerde().serializer(), List.of(new ProducerRecord<>(Topics.SITES, full,
                            small)));
            Eventually.holds(TIMEOUT, "the API lists " + full + " with 30 GiB", () -> {
                for (JsonNode site : get(apiPort, "/sites").path("items")) {
                    if (site.path("name").asText().equals(full)) {
                        return site.path("capacityBytes").asLong() == 30 * GIB;
                    }
                }
                return false;
            });

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();

            int exit = new CommandLine(new RebalanceCommand()).setOut(new PrintWriter(out))
                    .setErr(new PrintWriter(err))
                    .execute("--api", "http://127.0.0.1:" + apiPort, "--dry-run", "--headroom", "0.1");

            String report = out.toString();
            assertEquals(0, exit, report + err);
            assertTrue(report.contains("estate: 4 datasets on 4 sites (0 not evaluated yet"), report);
            assertEquals(1, report.lines().filter(l -> l.contains(": onprem -> " + full + ",")).count(), report);
            assertEquals(4, report.lines().filter(l -> l.contains(": onprem -> ")).count(), report);
            Matcher fullLine = Pattern.compile(full + " +([0-9.]+) GB of ([0-9.]+) GB usable, room worth "
                    + "\\$([0-9.]+) per GB-month").matcher(report);
            assertTrue(fullLine.find(), report);
            assertTrue(Double.parseDouble(fullLine.group(1)) <= Double.parseDouble(fullLine.group(2)), report);
            assertEquals(30 * GIB * 0.9 / 1e9, Double.parseDouble(fullLine.group(2)), 1e-3, report);
            assertTrue(Double.parseDouble(fullLine.group(3)) > 0, full + "'s capacity binds: " + report);
            assertTrue(report.strip().lines().reduce((a, b) -> b).orElseThrow()
                    .startsWith("rebalance: datasets=4 "), report);
        }
    }

    private static TieringSettings fastSettings() {
        return new TieringSettings(Duration.ofSeconds(1), 10_000, false, Duration.ofSeconds(1), Duration.ofHours(1));
    }

    private Properties streamsConfig(LocalStack stack) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-rebalance-it");
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

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + path)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
