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
 * {@code <topic>-key} or {@code <topic>-value}. Configured with the same keys as Confluent's serializer. Records of a
 * generated class it was given a {@link RecordCodec} for are written by the codec.
 */
public class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {
    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private boolean isKey;
    /** The codec of one generated class, or null; used for records of {@link #codecSchema} only. */
    private final RecordCodec<?> codec;
    /** The codec's class's own schema object (records of the class carry this very object). */
    private final Schema codecSchema;
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    /**
     * Per topic, the schema last written there, its id and its writer: one identity check per record instead of
     * lookups.
     */
    private final Map<String, Registered<T>> registered = new ConcurrentHashMap<>();
    /** Buffered encoders are not thread-safe; one per thread is reused rather than a 2 KiB buffer per record. */
    private static final ThreadLocal<BinaryEncoder> ENCODERS = new ThreadLocal<>();

    private static final class Registered<T> {
        final Schema schema;
        final int id;
        final DatumWriter<T> writer;
        /** Size of the last record written, so the next one's buffer needs no growing. */
        volatile int sizeHint = 64;

        Registered(Schema schema, int id, DatumWriter<T> writer) {
            this.schema = schema;
            this.id = id;
            this.writer = writer;
        }
    }

    /** For Kafka's reflective instantiation; {@link #configure} must be called before use. */
    public AvroSerializer() {
        this(null, false, false, null);
    }

    /** A ready serializer sharing an existing registry client (and its cache). */
    public AvroSerializer(SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        this(registry, autoRegister, isKey, null);
    }

    /**
     * A ready serializer sharing an existing registry client (and its cache), writing records of {@code codec}'s class
     * with it.
     *
     * @param codec null for none
     */
    public AvroSerializer(SchemaRegistryClient registry, boolean autoRegister, boolean isKey, RecordCodec<?> codec) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.isKey = isKey;
        this.codec = codec;
        this.codecSchema = codec == null ? null : SpecificData.get().getSchema(codec.type());
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
        Registered<T> known = registered.get(topic);
        if (known == null || known.schema != schema) {
            known = new Registered<>(schema, register(topic, schema), writer(topic, schema));
            registered.put(topic, known);
        }
        int id = known.id;
        ByteArrayOutputStream out = new ByteArrayOutputStream(known.sizeHint);
        out.write(WireFormat.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODERS.get());
            ENCODERS.set(encoder);
            known.writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not write " + schema.getFullName() + " for topic '" + topic
                    + "' with schema id " + id + ": " + e.getMessage(), e);
        }
        known.sizeHint = out.size();
        return out.toByteArray();
    }

    private int register(String topic, Schema schema) {
        String subject = WireFormat.subject(topic, isKey);
        try {
            return autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
        } catch (SchemaRegistryException e) {
            String what = autoRegister ? "register" : "look up (auto.register.schemas=false)";
            throw new SerializationException("Could not " + what + " schema " + schema.getFullName()
                    + " under subject '" + subject + "' for topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    private DatumWriter<T> writer(String topic, Schema schema) {
        try {
            return writers.computeIfAbsent(schema, this::writerOf);
        } catch (RuntimeException e) {
            throw new SerializationException("Could not write " + schema.getFullName() + " for topic '" + topic
                    + "': no writer of the schema (" + e.getMessage() + ")", e);
        }
    }

    /** The writer of records of {@code schema}: the codec's for its class's own schema, else Avro's. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    DatumWriter<T> writerOf(Schema schema) {
        DatumWriter<T> avro = writerFor(schema);
        return schema == codecSchema ? (DatumWriter<T>) ((RecordCodec) codec).writer(avro) : avro;
    }

    /** Avro's writer of records of {@code schema}: the generated class's with its encoders, or a generic one. */
    static <T> DatumWriter<T> writerFor(Schema schema) {
        Class<?> generated = SpecificData.get().getClass(schema);
        if (generated != null && SpecificRecord.class.isAssignableFrom(generated)) {
            return new SpecificDatumWriter<>(schema, customCodersModel(SpecificData.getForSchema(schema)));
        }
        return new GenericDatumWriter<>(schema);
    }

    /**
     * A model like the generated class's own (its logical-type conversions: timestamps as Instant) that writes with
     * the generated classes' own encoders where they have them ({@code customEncode}: Avro generates one for every
     * record without logical-type fields, and a record that has none is written field by field as before, its nested
     * records with theirs). Avro leaves this off unless asked (the {@code org.apache.avro.specific.use_custom_coders}
     * property); the output is the same bytes, and a placement, whose explanation and site scores have encoders, is
     * written several times faster (ADR 11); the tiering app writes placements, commands and dataset records
     * with {@link RecordCodec}s of its own, which call the nested records' encoders themselves and hand what they leave
     * to Avro to this model; every other record (alerts, the cost ledger, access events) goes through it. The class's
     * shared model is left as it is.
     */
    private static SpecificData customCodersModel(SpecificData classModel) {
        SpecificData model = new SpecificData(classModel.getClassLoader());
        classModel.getConversions().forEach(model::addLogicalTypeConversion);
        model.setCustomCoders(true);
        return model;
    }
}
