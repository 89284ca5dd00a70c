package io.tierflow.api;

import io.tierflow.topics.Topic;
import java.util.ArrayList;
import java.util.List;

/**
 * The write endpoints' records kept in a list, each written through its topic's serde and read back, so a record the
 * registry would refuse fails here as it would in production. Offsets count per sink.
 */
final class RecordingSink implements RecordSink {
    /** A record as the handler sent it, read back from its serialized form. */
    record Sent(String topic, String key, Object value, Integer partition, Written written) {
    }

    final List<Sent> sent = new ArrayList<>();
    /** When set, every send fails as the Kafka sink does when the broker does not acknowledge. */
    boolean unavailable;

    @Override
    public synchronized <V> Written send(Topic<String, V> topic, String key, V value, Integer partition) {
        if (unavailable) {
            throw ApiException.unavailable("Kafka did not accept the write to " + topic.name() + "; retry shortly", 1);
        }
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        V readBack = topic.valueSerde().deserializer().deserialize(topic.name(), bytes);
        Written written = new Written(topic.name(), partition == null ? 0 : partition, sent.size());
        sent.add(new Sent(topic.name(), key, readBack, partition, written));
        return written;
    }

    @Override
    public void close() {
    }
}
