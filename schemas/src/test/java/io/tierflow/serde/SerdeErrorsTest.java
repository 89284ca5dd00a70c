package io.tierflow.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear error naming what and where; none of these cases needs a running registry. */
class SerdeErrorsTest {
    private static final AccessEvent EVENT = AccessEvent.newBuilder().setKey("k").setOp(AccessOp.GET).setBytes(1)
            .setServedFrom("aws").setClientRegion("eu-west").setLatencyMs(1).setEventTime(Instant.EPOCH).build();

    @Test
    void shouldRejectAWrongMagicByte() {
        AvroDeserializer<AccessEvent> deserializer = deserializer(unreachableRegistry());
        SerializationException error = assertThrows(SerializationException.class,
                () -> deserializer.deserialize("access-events", new byte[] {1, 0, 0, 0, 7, 2, 4}));
        assertTrue(error.getMessage().contains("Unknown magic byte 0x01 on topic 'access-events'"), error.getMessage());
    }

    @Test
    void shouldRejectARecordShorterThanTheHeader() {
        AvroDeserializer<AccessEvent> deserializer = deserializer(unreachableRegistry());
        SerializationException error = assertThrows(SerializationException.class,
                () -> deserializer.deserialize("access-events", new byte[] {0, 0, 1}));
        assertTrue(error.getMessage().startsWith("Truncated record on topic 'access-events': 3 bytes"),
                error.getMessage());
    }

    @Test
    void shouldSayTheRegistryIsUnreachableWhenSerializing() {
        String url = unreachableRegistry();
        AvroSerializer<AccessEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        SerializationException error = assertThrows(SerializationException.class,
                () -> serializer.serialize("access-events", EVENT));
        assertTrue(error.getMessage().contains("subject 'access-events-value'"), error.getMessage());
        assertTrue(error.getMessage().contains("is unreachable"), error.getMessage());
        assertTrue(error.getMessage().contains(url), error.getMessage());
    }

    @Test
    void shouldSayTheRegistryIsUnreachableWhenDeserializing() {
        String url = unreachableRegistry();
        SerializationException error = assertThrows(SerializationException.class,
                () -> deserializer(url).deserialize("access-events", new byte[] {0, 0, 0, 0, 7, 2}));
        assertTrue(error.getMessage().startsWith("Could not fetch schema id 7"), error.getMessage());
        assertTrue(error.getMessage().contains("is unreachable"), error.getMessage());
    }

    @Test
    void shouldKeepTombstonesAsNull() {
        String url = unreachableRegistry();
        AvroSerializer<AccessEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        assertNull(serializer.serialize("datasets", null));
        assertNull(deserializer(url).deserialize("datasets", null));
    }

    @Test
    void shouldExplainAMissingRegistryUrl() {
        ConfigException error = assertThrows(ConfigException.class, () -> AvroSerdeConfig.from(Map.of()));
        assertTrue(error.getMessage().contains("schema.registry.url"), error.getMessage());
    }

    @Test
    void shouldReadConfluentConfigKeysAndKeepCredentialsOutOfUrlsAndToString() {
        AvroSerdeConfig fromUrl = AvroSerdeConfig.from(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://alice:s3cret@127.0.0.1:8081, http://127.0.0.1:8082",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "URL",
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"));
        assertEquals("alice:s3cret", fromUrl.userInfo());
        assertEquals(java.util.List.of("http://127.0.0.1:8081", "http://127.0.0.1:8082"), fromUrl.registryUrls());
        assertFalse(fromUrl.autoRegisterSchemas());
        assertFalse(fromUrl.toString().contains("s3cret"), fromUrl.toString());

        AvroSerdeConfig fromUserInfo = AvroSerdeConfig.from(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO, "bob:pw",
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true));
        assertEquals("bob:pw", fromUserInfo.userInfo());
        assertTrue(fromUserInfo.specificAvroReader());

        assertThrows(ConfigException.class, () -> AvroSerdeConfig.from(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081",
                AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "io.confluent.kafka.serializers.subject.RecordNameStrategy")));
    }

    private static AvroDeserializer<AccessEvent> deserializer(String url) {
        AvroDeserializer<AccessEvent> deserializer = new AvroDeserializer<>(AccessEvent.class);
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        return deserializer;
    }

    /** A loopback URL where nothing listens: a port that was free a moment ago. */
    private static String unreachableRegistry() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/apis/ccompat/v7";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
