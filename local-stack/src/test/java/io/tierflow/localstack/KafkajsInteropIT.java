package io.tierflow.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wire compatibility with a client nobody here wrote: kafkajs with @kafkajs/confluent-schema-registry, which
 * registers and encodes with its own Avro library (avsc). Needs Node 20+ and {@code npm ci} in src/test/node
 * (scripts/test does it).
 */
class KafkajsInteropIT {
    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;
    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        assertTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/kafkajs")),
                "the interop test needs its npm packages: run `npm ci --prefix local-stack/src/test/node` "
                        + "(scripts/test does it)");
        stack = SharedLocalStack.fresh();
    }

    @Test
    void shouldDecodeAnEventThatKafkajsEncoded() throws Exception {
        String topic = "interop-from-node";
        KafkaTestClients.createTopic(stack.bootstrapServers(), topic);
        Path schemaFile = workDir.resolve("AccessEvent.avsc");
        Files.writeString(schemaFile, AccessEvent.getClassSchema().toString());
        String event = """
                {"key":"node/ñ-object.bin","op":"PUT","bytes":9007199254,"servedFrom":"azure",
                 "clientRegion":"ap-south","latencyMs":3.25,"eventTime":1763720130123,"eventId":"node-1"}""";

        JsonNode produced = JSON.readTree(node("produce", "--topic", topic, "--schema-file", schemaFile.toString(),
                "--key", "node/ñ-object.bin", "--event", event.replace("\n", "")).get(0));
        assertTrue(produced.get("schemaId").asInt() > 0);

        Topics topics = stack.topics();
        List<ConsumerRecord<String, AccessEvent>> read = KafkaTestClients.consume(stack.bootstrapServers(), topic,
                topics.accessEvents.keySerde().deserializer(), topics.accessEvents.valueSerde().deserializer(), 1,
                Duration.ofSeconds(60));
        AccessEvent decoded = read.get(0).value();
        assertEquals("node/ñ-object.bin", read.get(0).key());
        assertEquals(AccessEvent.newBuilder().setKey("node/ñ-object.bin").setOp(AccessOp.PUT).setBytes(9007199254L)
                .setServedFrom("azure").setClientRegion("ap-south").setLatencyMs(3.25)
                .setEventTime(Instant.ofEpochMilli(1763720130123L)).setEventId("node-1").build(), decoded);
    }

    @Test
    void shouldBeDecodedByKafkajs() throws Exception {
        String topic = "interop-to-node";
        KafkaTestClients.createTopic(stack.bootstrapServers(), topic);
        AccessEvent event = SampleRecords.accessEvent("java/ü-written.csv", 123_456_789L);
        Topics topics = stack.topics();
        KafkaTestClients.produce(stack.bootstrapServers(), topic, topics.accessEvents.keySerde().serializer(),
                topics.accessEvents.valueSerde().serializer(), List.of(new ProducerRecord<>(topic, event.getKey(), event)));

        JsonNode decoded = JSON.readTree(node("consume", "--topic", topic, "--count", "1").get(0));
        assertEquals(event.getKey(), decoded.get("key").asText());
        assertEquals(event.getOp().name(), decoded.get("op").asText());
        assertEquals(event.getBytes(), decoded.get("bytes").asLong());
        assertEquals(event.getServedFrom(), decoded.get("servedFrom").asText());
        assertEquals(event.getClientRegion(), decoded.get("clientRegion").asText());
        assertEquals(event.getLatencyMs(), decoded.get("latencyMs").asDouble());
        assertEquals(event.getEventTime().toEpochMilli(), decoded.get("eventTime").asLong());
        assertEquals(event.getEventId(), decoded.get("eventId").asText());
    }

    /** Runs the Node script and returns its standard output lines; fails with its output if it fails. */
    private static List<String> node(String command, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", NODE_DIR.resolve("interop.mjs").toString(), command,
                "--brokers", stack.bootstrapServers(), "--registry", stack.schemaRegistryUrl()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "node", ".out");
        Path err = Files.createTempFile(workDir, "node", ".err");
        Process process = new ProcessBuilder(cmd).directory(NODE_DIR.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node " + command + " did not finish in 90 s: " + Files.readString(err));
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "node " + command + " failed: " + stderr);
        return Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }
}
