package io.tierflow.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import io.tierflow.serde.AvroDeserializer;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.serde.AvroSerializer;
import io.tierflow.serde.InMemorySchemaRegistry;
import io.tierflow.serde.SchemaRegistryClient;
import io.tierflow.serde.SchemaRegistryException;
import io.tierflow.topics.Topic;
import io.tierflow.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our Confluent-wire serde against the local stack's real broker and registry. */
class AvroSerdeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path HISTORY = Path.of("..", "schemas", "src", "main", "schema-history");

    static LocalStack stack;
    static Topics topics;

    @BeforeAll
    static void startStack() throws Exception {
        // Shared: every registry subject these tests write is named for the run, so the registry's memory of earlier
        // tests changes no answer.
        stack = SharedLocalStack.fresh();
        topics = stack.topics();
    }

    @Test
    void shouldRoundTripEveryRecordTypeThroughTheBroker() throws Exception {
        Map<String, SpecificRecord> samples = SampleRecords.oneOfEach();
        assertEquals(Topics.SPECS.size(), samples.size(), "a sample for every topic");
        for (Topic<String, ?> topic : topics.all()) {
            roundTrip(topic, samples.get(topic.name()));
        }
        List<String> subjects = List.of(get("/subjects").replaceAll("[\\[\\]\"]", "").split(","));
        for (Topic<String, ?> topic : topics.all()) {
            assertTrue(subjects.contains(topic.name() + "-value"), "subject " + topic.name() + "-value in " + subjects);
        }
    }

    @SuppressWarnings("unchecked")
    private static <V> void roundTrip(Topic<String, V> topic, SpecificRecord sample) throws Exception {
        V value = (V) sample;
        String key = "roundtrip-" + topic.name();
        KafkaTestClients.produce(stack.bootstrapServers(), topic.name(), topic.keySerde().serializer(),
                topic.valueSerde().serializer(), List.of(new ProducerRecord<>(topic.name(), key, value),
                        new ProducerRecord<>(topic.name(), key, null)));
        List<ConsumerRecord<String, V>> read = KafkaTestClients.consume(stack.bootstrapServers(), topic.name(),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer(), r -> key.equals(r.key()), 2, TIMEOUT);
        assertEquals(2, read.size(), topic.name());
        assertEquals(value, read.get(0).value(), topic.name());
        assertNull(read.get(1).value(), "a tombstone stays a tombstone on " + topic.name());
    }

    @Test
    void shouldReadRecordsWrittenWithAnOlderSchema() throws Exception {
        Schema v1 = new Schema.Parser().parse(HISTORY.resolve("AccessEvent/v1.avsc").toFile());
        assertTrue(v1.getField("eventId") == null, "v1 predates eventId");
        AccessEvent current = SampleRecords.accessEvent("old-writer", 77);
        GenericRecord old = new GenericData.Record(v1);
        for (Schema.Field field : v1.getFields()) {
            Object fieldValue = current.get(field.name());
            if (field.name().equals("op")) {
                fieldValue = new GenericData.EnumSymbol(field.schema(), current.getOp().name());
            } else if (field.name().equals("eventTime")) {
                fieldValue = current.getEventTime().toEpochMilli();
            }
            old.put(field.name(), fieldValue);
        }
        String topic = "evolution-" + System.nanoTime();
        AvroSerializer<GenericRecord> oldWriter = new AvroSerializer<>();
        oldWriter.configure(stack.serdeConfig(), false);
        byte[] writtenWithV1 = oldWriter.serialize(topic, old);
        // The current schema registers as a new version of the same subject: the registry agrees it is BACKWARD.
        byte[] writtenWithCurrent = topics.accessEvents.valueSerde().serializer().serialize(topic, current);
        assertTrue(schemaId(writtenWithV1) != schemaId(writtenWithCurrent), "two schema versions, two ids");
        assertEquals("[1,2]", get("/subjects/" + topic + "-value/versions").replace(" ", ""));

        AccessEvent read = topics.accessEvents.valueSerde().deserializer().deserialize(topic, writtenWithV1);
        AccessEvent expected = AccessEvent.newBuilder(current).setEventId(null).build();
        assertEquals(expected, read);
    }

    @Test
    void shouldOnlyLookUpSchemasWhenAutoRegisterIsOff() {
        String topic = "no-autoregister-" + System.nanoTime();
        Map<String, Object> lookupOnly = new HashMap<>(stack.serdeConfig());
        lookupOnly.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false");
        AvroSerializer<Dataset> strict = new AvroSerializer<>();
        strict.configure(lookupOnly, false);
        Dataset dataset = (Dataset) SampleRecords.oneOfEach().get(Topics.DATASETS);

        SerializationException missing = assertThrows(SerializationException.class, () -> strict.serialize(topic, dataset));
        assertTrue(missing.getMessage().contains("subject '" + topic + "-value'"), missing.getMessage());
        assertTrue(missing.getMessage().contains("auto.register.schemas=false"), missing.getMessage());

        byte[] registered = topics.datasets.valueSerde().serializer().serialize(topic, dataset);
        byte[] lookedUp = strict.serialize(topic, dataset);
        assertEquals(schemaId(registered), schemaId(lookedUp));
        assertEquals(dataset, topics.datasets.valueSerde().deserializer().deserialize(topic, lookedUp));
    }

    @Test
    void shouldReturnGenericOrSpecificRecordsLikeConfluentsDeserializer() {
        String topic = "reader-mode-" + System.nanoTime();
        AccessEvent event = SampleRecords.accessEvent("mode", 5);
        byte[] bytes = topics.accessEvents.valueSerde().serializer().serialize(topic, event);

        AvroDeserializer<Object> generic = new AvroDeserializer<>();
        generic.configure(stack.serdeConfig(), false);
        Object genericValue = generic.deserialize(topic, bytes);
        assertTrue(genericValue instanceof GenericRecord && !(genericValue instanceof AccessEvent), "GenericRecord");
        assertEquals("mode", ((GenericRecord) genericValue).get("key").toString());

        Map<String, Object> specificConfig = new HashMap<>(stack.serdeConfig());
        specificConfig.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        AvroDeserializer<Object> specific = new AvroDeserializer<>();
        specific.configure(specificConfig, false);
        assertEquals(event, specific.deserialize(topic, bytes));
    }

    /**
     * The in-memory registry the topology tests use ({@code mock://}) answers the serde's calls as this registry does:
     * the same script of registrations and lookups gives the same ids (by when each first appeared) and the same errors.
     */
    @Test
    void shouldAnswerAsTheInMemoryRegistryDoes() {
        SchemaRegistryClient real = AvroSerdeConfig.from(stack.serdeConfig()).newClient();
        SchemaRegistryClient inMemory = AvroSerdeConfig.from(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                InMemorySchemaRegistry.URL_PREFIX + "agreement-" + System.nanoTime())).newClient();
        String run = "agreement-" + System.nanoTime();

        assertEquals(registryScript(real, run), registryScript(inMemory, run));
    }

    /** What a registry answers to each call of a fixed script: ids named by first appearance, errors by status. */
    private static List<String> registryScript(SchemaRegistryClient registry, String run) {
        Schema v1 = probe("{\"name\":\"a\",\"type\":\"int\"}");
        Schema v2 = probe("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}");
        Schema incompatible = probe("{\"name\":\"a\",\"type\":\"string\"}");
        Schema never = probe("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"z\",\"type\":\"int\",\"default\":0}");
        String s1 = run + "-one-value";
        String s2 = run + "-two-value";
        Map<Integer, String> names = new HashMap<>();
        List<java.util.function.Supplier<Object>> calls = List.of(
                () -> registry.register(s1, v1),
                () -> registry.register(s1, new Schema.Parser().parse(v1.toString())),
                () -> registry.register(s2, v1),
                () -> registry.register(s1, v2),
                () -> registry.register(s1, incompatible),
                () -> registry.lookup(s1, v1),
                () -> registry.lookup(s1, never),
                () -> registry.lookup(run + "-none-value", v1),
                () -> registry.byId(registry.lookup(s1, v2)).equals(v2),
                () -> registry.byId(Integer.MAX_VALUE - 7));
        List<String> answers = new java.util.ArrayList<>();
        for (java.util.function.Supplier<Object> call : calls) {
            try {
                Object answer = call.get();
                answers.add(answer instanceof Integer id
                        ? names.computeIfAbsent(id, i -> "id " + (names.size() + 1)) : String.valueOf(answer));
            } catch (SchemaRegistryException e) {
                answers.add("error " + e.status());
            }
        }
        return answers;
    }

    private static Schema probe(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"it\",\"fields\":["
                + fields + "]}");
    }

    @Test
    void shouldNameTheUnknownSchemaIdTheTopicAndTheRegistry() {
        byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(999_999).putInt(42).array();
        SerializationException error = assertThrows(SerializationException.class,
                () -> topics.accessEvents.valueSerde().deserializer().deserialize("access-events", unknownId));
        assertTrue(error.getMessage().startsWith("Unknown schema id 999999"), error.getMessage());
        assertTrue(error.getMessage().contains("topic 'access-events'"), error.getMessage());
        assertTrue(error.getMessage().contains(stack.schemaRegistryUrl()), error.getMessage());
    }

    @Test
    void shouldReportATruncatedAvroPayload() {
        byte[] whole = topics.accessEvents.valueSerde().serializer().serialize(Topics.ACCESS_EVENTS,
                SampleRecords.accessEvent("truncated", 1));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 6);
        SerializationException error = assertThrows(SerializationException.class,
                () -> topics.accessEvents.valueSerde().deserializer().deserialize(Topics.ACCESS_EVENTS, cut));
        assertTrue(error.getMessage().startsWith("Truncated Avro payload on topic 'access-events' with schema id "),
                error.getMessage());
    }

    private static int schemaId(byte[] wire) {
        return ByteBuffer.wrap(wire, 1, 4).getInt();
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.schemaRegistryUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }
}
