package io.tierflow.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code mock://<scope>} registry answers the serde's calls as the REST registry does, one registry per scope. */
class InMemorySchemaRegistryTest {
    private static final AccessEvent EVENT = AccessEvent.newBuilder().setKey("logs/a&b <c>.parquet")
            .setOp(AccessOp.GET).setBytes(42).setServedFrom("aws").setClientRegion("eu-west").setLatencyMs(3)
            .setEventTime(Instant.parse("2026-11-02T08:00:00Z")).setEventId("e-1").build();
    private static final Schema PROBE_V1 = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
    private static final Schema PROBE_V2 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Probe\","
            + "\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}]}");

    private final String url = InMemorySchemaRegistry.URL_PREFIX + "test-" + UUID.randomUUID();
    private final String otherUrl = InMemorySchemaRegistry.URL_PREFIX + "test-" + UUID.randomUUID();

    @AfterEach
    void dropScopes() {
        InMemorySchemaRegistry.drop(url);
        InMemorySchemaRegistry.drop(otherUrl);
    }

    @Test
    void shouldRoundTripBetweenSerdesConfiguredWithTheSameScope() {
        AvroSerde<AccessEvent> writer = serde(url);
        AvroSerde<AccessEvent> reader = serde(url);

        byte[] bytes = writer.serializer().serialize("access-events", EVENT);

        assertEquals(WireFormat.MAGIC_BYTE, bytes[0]);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertEquals(id, InMemorySchemaRegistry.forUrl(url).lookup("access-events-value", AccessEvent.getClassSchema()));
        assertEquals(EVENT, reader.deserializer().deserialize("access-events", bytes));
    }

    @Test
    void shouldKeepScopesApart() {
        InMemorySchemaRegistry.forUrl(url).register("probes-value", PROBE_V1);
        byte[] bytes = serde(url).serializer().serialize("access-events", EVENT);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();

        SerializationException error = assertThrows(SerializationException.class,
                () -> serde(otherUrl).deserializer().deserialize("access-events", bytes));
        assertTrue(error.getMessage().startsWith("Unknown schema id " + id + " for a record on topic 'access-events'"),
                error.getMessage());
        assertTrue(error.getMessage().contains(otherUrl), error.getMessage());
        int idThere = InMemorySchemaRegistry.forUrl(otherUrl).register("access-events-value", EVENT.getSchema());
        assertTrue(idThere != id, "each scope numbers its own schemas");
    }

    @Test
    void shouldGiveOneGlobalIdPerSchemaAndNumberEachSubjectsVersions() {
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.forUrl(url);

        int v1 = registry.register("probes-value", PROBE_V1);
        int again = registry.register("probes-value", new Schema.Parser().parse(PROBE_V1.toString()));
        int elsewhere = registry.register("others-value", PROBE_V1);
        int v2 = registry.register("probes-value", PROBE_V2);

        assertEquals(v1, again);
        assertEquals(v1, elsewhere);
        assertTrue(v2 != v1, "a new schema gets a new id");
        assertEquals(List.of(v1, v2), registry.versions("probes-value"));
        assertEquals(List.of(v1), registry.versions("others-value"));
        assertEquals(PROBE_V2, registry.byId(v2));
        assertNotSame(PROBE_V2, registry.byId(v2), "answered as parsed from its text, like the REST client's");
    }

    @Test
    void shouldRefuseAVersionThatCannotReadTheLatestAsTheBackwardRuleDoes() {
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.forUrl(url);
        registry.register("probes-value", PROBE_V2);
        Schema newFieldWithoutDefault = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Probe\",\"fields\":["
                + "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"},"
                + "{\"name\":\"c\",\"type\":\"long\"}]}");

        SchemaRegistryException refused = assertThrows(SchemaRegistryException.class,
                () -> registry.register("probes-value", newFieldWithoutDefault));

        assertEquals(409, refused.status());
        assertEquals(List.of(registry.lookup("probes-value", PROBE_V2)), registry.versions("probes-value"));
        int dropsAField = registry.register("probes-value", PROBE_V1);
        assertEquals(2, registry.versions("probes-value").size(), "a reader without b can read data with b");
        assertEquals(dropsAField, registry.register("elsewhere-value", PROBE_V1));
        registry.register("fresh-value", newFieldWithoutDefault); // a subject's first version has nothing to match
    }

    @Test
    void shouldAnswerNotFoundWithConfluentsErrorCodes() {
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.forUrl(url);
        registry.register("probes-value", PROBE_V1);

        SchemaRegistryException noSubject = assertThrows(SchemaRegistryException.class,
                () -> registry.lookup("nothing-value", PROBE_V1));
        SchemaRegistryException noSchema = assertThrows(SchemaRegistryException.class,
                () -> registry.lookup("probes-value", PROBE_V2));
        SchemaRegistryException noId = assertThrows(SchemaRegistryException.class, () -> registry.byId(99));

        assertTrue(noSubject.isNotFound() && noSchema.isNotFound() && noId.isNotFound());
        assertEquals(InMemorySchemaRegistry.SUBJECT_NOT_FOUND, noSubject.errorCode());
        assertEquals(InMemorySchemaRegistry.SCHEMA_NOT_FOUND, noSchema.errorCode());
        assertEquals(InMemorySchemaRegistry.SCHEMA_NOT_FOUND, noId.errorCode());
        assertThrows(SchemaRegistryException.class, () -> registry.versions("nothing-value"));
    }

    @Test
    void shouldOnlyLookUpWhenAutoRegisterIsOff() {
        AvroSerializer<AccessEvent> lookingUp = new AvroSerializer<>();
        lookingUp.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url,
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"), false);

        SerializationException error = assertThrows(SerializationException.class,
                () -> lookingUp.serialize("access-events", EVENT));
        assertTrue(error.getMessage().contains("look up (auto.register.schemas=false)"), error.getMessage());

        byte[] registered = serde(url).serializer().serialize("access-events", EVENT);
        assertArrayEquals(registered, lookingUp.serialize("access-events", EVENT));
    }

    @Test
    void shouldReadARecordWrittenWithAnOlderVersionOfItsSchema() {
        AvroSerializer<GenericRecord> writer = new AvroSerializer<>();
        writer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        GenericRecord old = new GenericData.Record(PROBE_V1);
        old.put("a", 7);
        byte[] bytes = writer.serialize("probes", old);
        InMemorySchemaRegistry.forUrl(url).register("probes-value", PROBE_V2);

        AvroDeserializer<GenericRecord> reader = new AvroDeserializer<>();
        reader.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        GenericRecord read = reader.deserialize("probes", bytes);

        assertEquals(PROBE_V1, read.getSchema(), "a generic reader answers in the writer's schema");
        assertEquals(7, read.get("a"));
    }

    @Test
    void shouldRefuseAnInMemoryRegistryListedWithRealOnes() {
        ConfigException error = assertThrows(ConfigException.class, () -> AvroSerdeConfig.from(
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081," + url)));
        assertTrue(error.getMessage().contains("cannot be listed with others"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InMemorySchemaRegistry.forUrl("mock://"));
    }

    private static AvroSerde<AccessEvent> serde(String url) {
        AvroSerde<AccessEvent> serde = new AvroSerde<>(AccessEvent.class);
        serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        return serde;
    }
}
