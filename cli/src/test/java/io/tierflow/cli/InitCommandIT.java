package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.Provider;
import io.tierflow.schemas.Site;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tierflow init} against a real broker and registry: topics exist, the given sites are published. */
class InitCommandIT {
    @Test
    void shouldPublishTheGivenSitesAndLeaveExistingTopicsAlone() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        StringWriter out = new StringWriter();
        CommandLine cli = TierflowCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("init", "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url",
                stack.schemaRegistryUrl(), "--site", "aws=http://minio-aws:9000", "--site",
                "gcp=http://minio-gcp:9000");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("created topics []"), "the stack had created them: " + out);

        Map<String, Site> latest = latestSites(stack);
        assertEquals("http://minio-aws:9000", latest.get("aws").getEndpoint());
        assertEquals(Provider.AWS, latest.get("aws").getProvider());
        assertEquals("tierflow", latest.get("aws").getBucket());
        assertEquals("http://minio-gcp:9000", latest.get("gcp").getEndpoint());
        assertTrue(latest.get("azure").getEndpoint().startsWith("http://127.0.0.1:"), "sites not named stay");

        int unknown = cli.execute("init", "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url",
                stack.schemaRegistryUrl(), "--site", "mars=http://x:1");
        assertEquals(2, unknown, "an unknown site is a usage error, before anything is written");
    }

    private static Map<String, Site> latestSites(LocalStack stack) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        Map<String, Site> latest = new HashMap<>();
        try (KafkaConsumer<String, Site> consumer = new KafkaConsumer<>(props,
                stack.topics().sites.keySerde().deserializer(), stack.topics().sites.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SITES).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
            }
        }
        return latest;
    }
}
