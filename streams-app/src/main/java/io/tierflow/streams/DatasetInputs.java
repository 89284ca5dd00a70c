package io.tierflow.streams;

import io.tierflow.topics.Topic;
import io.tierflow.topics.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The topics keyed by dataset that the dataset processor reads (access events, inventory, migration status), read by
 * one source node whose value deserializer is the one of the record's topic.
 *
 * <p>Why one source: every node between a source and the processor is a step each record takes (a call through
 * Kafka Streams' forwarding, a new record for a {@code mapValues}), and access events are millions. With a source per
 * topic, each one needed a {@code mapValues} to a common type and a {@code merge} per further topic: five steps to the
 * processor instead of two (the edge, {@code DatasetInputsGate}, adds one).
 */
final class DatasetInputs {
    /** In the order the processor's switch names them; each record's topic picks its deserializer. */
    static final List<String> TOPICS = List.of(Topics.ACCESS_EVENTS, Topics.DATASETS, Topics.MIGRATION_STATUS);
    /**
     * Header of a record the gate wrote back to its own topic, on the partition that owns its key (see
     * DatasetInputsGate): a record that carries it is never re-routed again, so nothing can loop.
     */
    static final String REROUTED_HEADER = "tierflow.rerouted";
    /** Name of the sink that writes re-routed records back to the topic they were read from. */
    static final String REROUTED_SINK = "dataset-inputs-rerouted-sink";

    private DatasetInputs() {
    }

    /** The value serde of the source: deserializes by topic; a source never serializes. */
    static Serde<Object> valueSerde(Topics topics) {
        return Serdes.serdeFrom(new NoSerializer(), new ByTopic(Map.of(
                Topics.ACCESS_EVENTS, deserializer(topics.accessEvents),
                Topics.DATASETS, deserializer(topics.datasets),
                Topics.MIGRATION_STATUS, deserializer(topics.migrationStatus))));
    }

    /**
     * The serializer of re-routed records: each is written back to the topic it was read from (an input keyed by
     * dataset, or {@code control}) with that topic's serde, so it arrives as the same value, a tombstone included.
     */
    static Serde<Object> reroutedSerde(Topics topics) {
        return Serdes.serdeFrom(new ByTopicSerializer(Map.of(
                Topics.ACCESS_EVENTS, serializer(topics.accessEvents),
                Topics.DATASETS, serializer(topics.datasets),
                Topics.MIGRATION_STATUS, serializer(topics.migrationStatus),
                Topics.CONTROL, serializer(topics.control))), valueSerde(topics).deserializer());
    }

    @SuppressWarnings("unchecked")
    private static Serializer<Object> serializer(Topic<String, ?> topic) {
        return (Serializer<Object>) topic.valueSerde().serializer();
    }

    private record ByTopicSerializer(Map<String, Serializer<Object>> byTopic) implements Serializer<Object> {
        @Override
        public byte[] serialize(String topic, Object data) {
            return forTopic(topic).serialize(topic, data);
        }

        @Override
        public byte[] serialize(String topic, Headers headers, Object data) {
            return forTopic(topic).serialize(topic, headers, data);
        }

        private Serializer<Object> forTopic(String topic) {
            Serializer<Object> serializer = byTopic.get(topic);
            if (serializer == null) {
                throw new IllegalStateException("a re-routed record for topic " + topic + ", not a dataset input");
            }
            return serializer;
        }
    }

    @SuppressWarnings("unchecked")
    private static Deserializer<Object> deserializer(Topic<String, ?> topic) {
        return (Deserializer<Object>) topic.valueSerde().deserializer();
    }

    private record ByTopic(Map<String, Deserializer<Object>> byTopic) implements Deserializer<Object> {
        @Override
        public Object deserialize(String topic, byte[] data) {
            return forTopic(topic).deserialize(topic, data);
        }

        @Override
        public Object deserialize(String topic, Headers headers, byte[] data) {
            return forTopic(topic).deserialize(topic, headers, data);
        }

        private Deserializer<Object> forTopic(String topic) {
            Deserializer<Object> deserializer = byTopic.get(topic);
            if (deserializer == null) {
                throw new IllegalStateException("the dataset inputs do not include topic " + topic);
            }
            return deserializer;
        }

        @Override
        public void close() {
            byTopic.values().forEach(Deserializer::close);
        }
    }

    private static final class NoSerializer implements Serializer<Object> {
        @Override
        public byte[] serialize(String topic, Object data) {
            throw new UnsupportedOperationException("the dataset inputs are only read; nothing writes with this serde");
        }
    }
}
