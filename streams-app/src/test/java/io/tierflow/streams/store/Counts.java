package io.tierflow.streams.store;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A value the stores' tests change in place, in two steps like an access event (counted, then its read tallied): a
 * copy taken between the two would show {@code reads != events}.
 */
final class Counts {
    long events;
    long reads;

    Counts(long events, long reads) {
        this.events = events;
        this.reads = reads;
    }

    static Counts of(long events) {
        return new Counts(events, events);
    }

    Counts copy() {
        return new Counts(events, reads);
    }

    /** Counts one event and its read. */
    void count() {
        events++;
        reads++;
    }

    static Serde<Counts> serde() {
        Serializer<Counts> serializer = (topic, counts) -> counts == null ? null
                : ByteBuffer.allocate(16).putLong(counts.events).putLong(counts.reads).array();
        Deserializer<Counts> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new Counts(buffer.getLong(), buffer.getLong());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
