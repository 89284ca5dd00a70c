package io.tierflow.streams.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tierflow.schemas.DatasetState;
import io.tierflow.serde.AvroSerializer;
import io.tierflow.serde.RecordCodec;
import io.tierflow.streams.InMemoryRegistry;
import io.tierflow.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tiering app's serdes, built with {@link TieringCodecs#ALL} as {@code TieringApp} builds them, against the same
 * serdes without codecs (on an in-memory registry: the registry is not what is tested here): the same bytes on the wire, the same records read back, and a record
 * written with an older version of the schema still resolved by Avro.
 */
@ExtendWith(InMemoryRegistry.class)
class TieringCodecsTest {
    private static final Path HISTORY = Path.of("..", "schemas", "src", "main", "schema-history");
    /** The Confluent wire format's header: magic byte and 4-byte schema id. */
    private static final int HEADER_SIZE = 5;

    @Test
    void shouldPutAvrosBytesOnTheWireAndReadThemBackAsAvroDoes(InMemoryRegistry.Url registry) throws IOException {
        Map<String, String> config = Map.of("schema.registry.url", registry.value());
        Topics withCodecs = Topics.using(config, TieringCodecs.ALL);
        Topics plain = Topics.using(config);
        for (RecordCodec<?> codec : TieringCodecs.ALL) {
            assertSameOnTheWire(codec.type(), withCodecs, plain);
        }
    }

    private static <T extends SpecificRecord> void assertSameOnTheWire(Class<T> type, Topics withCodecs, Topics plain)
            throws IOException {
        String topic = "codec-test-" + type.getSimpleName();
        Serde<T> fast = withCodecs.valueSerde(type);
        Serde<T> avro = plain.valueSerde(type);
        Schema schema = SpecificData.get().getSchema(type);
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        GenericDatumWriter<Object> generic = new GenericDatumWriter<>(schema);
        for (Object random : new RandomData(schema, 200, 20261207L)) {
            T record = reader.read(null, DecoderFactory.get().binaryDecoder(write(generic, random), null));
            byte[] bytes = fast.serializer().serialize(topic, record);
            assertArrayEquals(avro.serializer().serialize(topic, record), bytes, () -> "written differently: "
                    + record);
            assertEquals(avro.deserializer().deserialize(topic, bytes), fast.deserializer().deserialize(topic, bytes));
        }
    }

    @Test
    void shouldResolveADatasetRecordOfAnOlderSchemaWithAvro(InMemoryRegistry.Url registry) throws IOException {
        Topics topics = Topics.using(Map.of("schema.registry.url", registry.value()), TieringCodecs.ALL);
        Schema v1 = new Schema.Parser().parse(HISTORY.resolve("DatasetState").resolve("v1.avsc").toFile());
        assertNotEquals(DatasetState.getClassSchema(), v1, "v1 is another version");
        AvroSerializer<GenericRecord> oldWriter = new AvroSerializer<>(topics.registry(), true, false);
        String topic = "codec-test-old-dataset-state";
        for (Object random : new RandomData(v1, 50, 20261207L)) {
            byte[] bytes = oldWriter.serialize(topic, (GenericRecord) random);
            byte[] payload = Arrays.copyOfRange(bytes, HEADER_SIZE, bytes.length);
            DatasetState resolved = new SpecificDatumReader<DatasetState>(v1, DatasetState.getClassSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(payload, null));
            assertEquals(resolved, topics.valueSerde(DatasetState.class).deserializer().deserialize(topic, bytes));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] write(GenericDatumWriter writer, Object record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
