package io.tierflow.bench;

import io.tierflow.streams.AccessEventTimestamps;
import io.tierflow.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;

/**
 * The reference of {@code bench topology}: reads {@code access-events} with the real Avro serde and the tiering
 * topology's timestamp extractor, and writes every record unchanged (serialized again) to a sink topic. What the
 * tiering topology costs beyond this is its own work: state, decisions, changelogs.
 */
final class PassThroughTopology {
    static final String SOURCE = "passthrough-source";
    static final String SINK = "passthrough-sink";

    private PassThroughTopology() {
    }

    static Topology build(Topics topics, String sinkTopic) {
        Topology topology = new Topology();
        topology.addSource(AutoOffsetReset.earliest(), SOURCE, new AccessEventTimestamps(),
                Serdes.String().deserializer(), topics.accessEvents.valueSerde().deserializer(), Topics.ACCESS_EVENTS);
        topology.addSink(SINK, sinkTopic, Serdes.String().serializer(), topics.accessEvents.valueSerde().serializer(),
                SOURCE);
        return topology;
    }
}
