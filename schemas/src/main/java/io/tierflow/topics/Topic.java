package io.tierflow.topics;

import org.apache.kafka.common.serialization.Serde;

/** A topic with the serdes of its keys and values, so no caller can pair a topic with the wrong serde. */
public record Topic<K, V>(TopicSpec spec, Serde<K> keySerde, Serde<V> valueSerde) {
    public String name() {
        return spec.name();
    }
}
