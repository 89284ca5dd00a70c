package io.tierflow.streams;

import io.tierflow.schemas.AccessEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of an access is the time it happened, whatever the producer put in the record timestamp. An access dated
 * in the future (or before 1970) keeps the partition's time instead: the record's timestamp moves stream time before
 * any processor sees it, and one event from a wrong clock would otherwise make every later event "too late". The gate
 * then dead-letters it (see {@link AccessEventRules}).
 */
public final class AccessEventTimestamps implements TimestampExtractor {
    private final AccessEventRules rules;

    /** With the default tolerance of future dates. */
    public AccessEventTimestamps() {
        this(AccessEventRules.of(TieringSettings.DEFAULTS));
    }

    AccessEventTimestamps(AccessEventRules rules) {
        this.rules = rules;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof AccessEvent event) {
            long eventTime = event.getEventTime().toEpochMilli();
            return rules.isPlausibleTime(eventTime) ? eventTime : Math.max(partitionTime, 0);
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
