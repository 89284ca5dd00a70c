package io.tierflow.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro. Given a generated class, data written with any compatible (older or
 * newer) schema is resolved into that class; without one it returns generated records when
 * {@code specific.avro.reader=true} and {@code GenericRecord}s otherwise, as Confluent's deserializer does. Given a
 * {@link RecordCodec} of the class too, data written with the class's own schema is read by the codec.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
    private final Schema readerSchema;
    /** The codec of the reader's class, or null. */
    private final RecordCodec<?> codec;
    private SchemaRegistryClient registry;
    private boolean specificReader;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation; {@link #configure} must be called before use. */
    public AvroDeserializer() {
        this.readerSchema = null;
        this.codec = null;
    }

    /** A deserializer into the generated class {@code type}, configured later through {@link #configure}. */
    public AvroDeserializer(Class<T> type) {
        this(type, null, null);
    }

    /** A ready deserializer into {@code type} sharing an existing registry client (and its cache). */
    public AvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
        this(type, registry, null);
    }

    /**
     * A deserializer into {@code type} sharing an existing registry client (null: configured later), reading data
     * written with the class's own schema with {@code codec} (null for none; else a codec of {@code type}).
     */
    public AvroDeserializer(Class<T> type, SchemaRegistryClient registry, RecordCodec<?> codec) {
        if (codec != null && codec.type() != type) {
            throw new IllegalArgumentException("a codec of " + codec.type().getName() + " cannot read "
                    + type.getName());
        }
        this.readerSchema = SpecificData.get().getSchema(type);
        this.specificReader = true;
        this.registry = registry;
        this.codec = codec;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        this.registry = config.newClient();
        this.specificReader = readerSchema != null || config.specificAvroReader();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null; // tombstones stay tombstones
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure(): set schema.registry.url");
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new SerializationException("Truncated record on topic '" + topic + "': " + data.length
                    + " bytes, but the Confluent wire format needs at least " + WireFormat.HEADER_SIZE
                    + " (magic byte + 4-byte schema id)");
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Unknown magic byte 0x%02x on topic '%s': expected 0x00 (Confluent wire format); "
                            + "the record was not written by an Avro schema-registry serializer", data[0], topic));
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        DatumReader<T> reader;
        try {
            reader = readers.computeIfAbsent(id, this::readerFor);
        } catch (SchemaRegistryException e) {
            String what = e.isNotFound() ? "Unknown schema id " + id : "Could not fetch schema id " + id;
            throw new SerializationException(what + " for a record on topic '" + topic + "' (registry "
                    + registry.describe() + "): " + e.getMessage(), e);
        } catch (AvroRuntimeException e) {
            throw new SerializationException("Schema id " + id + " on topic '" + topic
                    + "' cannot be resolved into " + (readerSchema == null ? "a generated class" : readerSchema.getFullName())
                    + ": " + e.getMessage(), e);
        }
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
        try {
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("Record on topic '" + topic + "' with schema id " + id + " has "
                        + "bytes left over after decoding: the payload does not match its schema");
            }
            return value;
        } catch (EOFException e) {
            throw new SerializationException("Truncated Avro payload on topic '" + topic + "' with schema id " + id
                    + ": " + (data.length - WireFormat.HEADER_SIZE) + " bytes end before the record does", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("Could not decode the Avro payload on topic '" + topic
                    + "' with schema id " + id + ": " + e, e);
        }
    }

    private DatumReader<T> readerFor(int id) {
        return readerOf(registry.byId(id));
    }

    /**
     * The reader of data written with {@code writer}: the codec's if it is the reader's class's schema (equal: the
     * registry hands back a parsed copy), else Avro's, which resolves one schema into the other.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    DatumReader<T> readerOf(Schema writer) {
        if (readerSchema != null) {
            DatumReader<T> avro = TrustedAvro.specificReader(writer, readerSchema);
            return codec != null && writer.equals(readerSchema) ? (DatumReader<T>) ((RecordCodec) codec).reader(avro)
                    : avro;
        }
        if (specificReader) {
            Class<?> generated = SpecificData.get().getClass(writer);
            if (generated != null && SpecificRecord.class.isAssignableFrom(generated)) {
                return TrustedAvro.specificReader(writer, SpecificData.get().getSchema(generated));
            }
        }
        return new GenericDatumReader<>(writer);
    }
}
