package io.tierflow.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated or generic) in the Confluent wire format, registering their schema under
 * {@code <topic>-key} or {@code <topic>-value}. Configured with the same keys as Confluent's serializer.
 */
public class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {
    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private boolean isKey;
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation; {@link #configure} must be called before use. */
    public AvroSerializer() {
    }

    /** A ready serializer sharing an existing registry client (and its cache). */
    public AvroSerializer(SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        this.registry = config.newClient();
        this.autoRegister = config.autoRegisterSchemas();
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null; // tombstones stay tombstones
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure(): set schema.registry.url");
        }
        Schema schema = record.getSchema();
        String subject = WireFormat.subject(topic, isKey);
        int id;
        try {
            id = autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
        } catch (SchemaRegistryException e) {
            String what = autoRegister ? "register" : "look up (auto.register.schemas=false)";
            throw new SerializationException("Could not " + what + " schema " + schema.getFullName()
                    + " under subject '" + subject + "' for topic '" + topic + "': " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(WireFormat.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(schema, AvroSerializer::writerFor).write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not write " + schema.getFullName() + " for topic '" + topic
                    + "' with schema id " + id + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static <T> DatumWriter<T> writerFor(Schema schema) {
        Class<?> generated = SpecificData.get().getClass(schema);
        if (generated != null && SpecificRecord.class.isAssignableFrom(generated)) {
            // The generated class's own model carries its logical-type conversions (timestamps as Instant).
            return new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema));
        }
        return new GenericDatumWriter<>(schema);
    }
}
