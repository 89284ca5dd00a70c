package io.tierflow.streams;

import io.tierflow.topics.Topic;
import io.tierflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
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
 * processor instead of two (the edge, {@code DatasetInputsGate}, and the merge of re-routed records add two more).
 */
final class DatasetInputs {
    /** In the order the processor's switch names them; each record's topic picks its deserializer. */
    static final List<String> TOPICS = List.of(Topics.ACCESS_EVENTS, Topics.DATASETS, Topics.MIGRATION_STATUS);
    /**
     * Name of the repartition topic that records produced to a partition that does not own their key travel on to the
     * one that does ({@code <application.id>-dataset-inputs-rerouted-repartition}, see DatasetInputsGate).
     */
    static final String REROUTED = "dataset-inputs-rerouted";
    /** Header of a re-routed record: the topic it was produced to, which picks its serde and what it means. */
    static final String ORIGIN_TOPIC_HEADER = "tierflow.origin-topic";

    private DatasetInputs() {
    }

    /** The value serde of the source: deserializes by topic; a source never serializes. */
    static Serde<Object> valueSerde(Topics topics) {
        return Serdes.serdeFrom(new NoSerializer(), new ByTopic(Map.of(
                Topics.ACCESS_EVENTS, deserializer(topics.accessEvents),
                Topics.DATASETS, deserializer(topics.datasets),
                Topics.MIGRATION_STATUS, deserializer(topics.migrationStatus))));
    }

    /** The name of the re-routing topic of the application {@code applicationId}. */
    static String reroutedTopic(String applicationId) {
        return applicationId + "-" + REROUTED + "-repartition";
    }

    /**
     * The value serde of the re-routing topic: a record is written and read with the serde of the topic it was
     * produced to, named by its {@link #ORIGIN_TOPIC_HEADER} header (and under that topic's schema subject), so it
     * arrives as the same value, a tombstone included.
     */
    static Serde<Object> reroutedSerde(Topics topics) {
        Map<String, Serde<Object>> byTopic = Map.of(
                Topics.ACCESS_EVENTS, serde(topics.accessEvents),
                Topics.DATASETS, serde(topics.datasets),
                Topics.MIGRATION_STATUS, serde(topics.migrationStatus),
                Topics.CONTROL, serde(topics.control));
        return Serdes.serdeFrom(new ByOriginSerializer(byTopic), new ByOriginDeserializer(byTopic));
    }

    @SuppressWarnings("unchecked")
    private static Serde<Object> serde(Topic<String, ?> topic) {
        return (Serde<Object>) topic.valueSerde();
    }

    private static String origin(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(ORIGIN_TOPIC_HEADER);
        if (header == null) {
            throw new IllegalStateException("a re-routed dataset input without its " + ORIGIN_TOPIC_HEADER + " header");
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Serde<Object> forOrigin(Map<String, Serde<Object>> byTopic, String origin) {
        Serde<Object> serde = byTopic.get(origin);
        if (serde == null) {
            throw new IllegalStateException("a re-routed dataset input from topic " + origin
                    + ", which is not a dataset input");
        }
        return serde;
    }

    private record ByOriginSerializer(Map<String, Serde<Object>> byTopic) implements Serializer<Object> {
        @Override
        public byte[] serialize(String topic, Object data) {
            throw new UnsupportedOperationException("a re-routed record is written with its origin header");
        }

        @Override
        public byte[] serialize(String topic, Headers headers, Object data) {
            String origin = origin(headers);
            return data == null ? null : forOrigin(byTopic, origin).serializer().serialize(origin, headers, data);
        }
    }

    private record ByOriginDeserializer(Map<String, Serde<Object>> byTopic) implements Deserializer<Object> {
        @Override
        public Object deserialize(String topic, byte[] data) {
            throw new UnsupportedOperationException("a re-routed record is read with its origin header");
        }

        @Override
        public Object deserialize(String topic, Headers headers, byte[] data) {
            String origin = origin(headers);
            return data == null ? null : forOrigin(byTopic, origin).deserializer().deserialize(origin, headers, data);
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
