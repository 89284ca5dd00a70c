package io.tierflow.streams;

import io.tierflow.schemas.AccessEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/** Event time of an access is the time it happened, whatever the producer put in the record timestamp. */
public final class AccessEventTimestamps implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof AccessEvent event) {
            return event.getEventTime().toEpochMilli();
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
