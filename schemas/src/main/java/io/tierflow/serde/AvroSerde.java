package io.tierflow.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serde of one generated Avro record type in the Confluent wire format, for Kafka clients and Kafka Streams. */
public class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    /** A serde that is configured later through {@link #configure} (e.g. by Kafka Streams). */
    public AvroSerde(Class<T> type) {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>(type);
    }

    /** A ready serde sharing an existing registry client, for a key or a value. */
    public AvroSerde(Class<T> type, SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        this(type, registry, autoRegister, isKey, null);
    }

    /**
     * A ready serde sharing an existing registry client, for a key or a value, that writes and reads records of
     * {@code type}'s own schema with {@code codec} (null for none; else a codec of {@code type}).
     */
    public AvroSerde(Class<T> type, SchemaRegistryClient registry, boolean autoRegister, boolean isKey,
            RecordCodec<T> codec) {
        this.deserializer = new AvroDeserializer<>(type, registry, codec); // checks the codec's type
        this.serializer = new AvroSerializer<>(registry, autoRegister, isKey, codec);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
