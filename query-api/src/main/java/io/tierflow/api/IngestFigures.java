package io.tierflow.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * This instance's share of {@code /stats}'s {@code ingest}: access events taken in since it started (a counter: the
 * console derives the rate from two readings) and how many records its consumers are behind on their input topics.
 * Both add up across instances. Read from the node's own registry, where the topology and Kafka Streams put them.
 */
final class IngestFigures {
    static final String ACCESS_EVENTS_METER = "tierflow.access.events";
    /** Kafka's per-partition consumer lag, as Micrometer's Kafka binder names it. */
    static final String RECORDS_LAG_METER = "kafka.consumer.fetch.manager.records.lag";
    /** Changelogs are read by the restore consumer: their lag is a restore in progress, not input waiting. */
    private static final String CHANGELOG_SUFFIX = "-changelog";

    private IngestFigures() {
    }

    static ObjectNode of(MeterRegistry registry) {
        double events = registry.find(ACCESS_EVENTS_METER).counters().stream().mapToDouble(Counter::count).sum();
        double lag = registry.find(RECORDS_LAG_METER).gauges().stream()
                .filter(g -> g.getId().getTag("topic") == null || !g.getId().getTag("topic").endsWith(CHANGELOG_SUFFIX))
                .mapToDouble(Gauge::value).filter(Double::isFinite).sum();
        return JsonNodeFactory.instance.objectNode().put("accessEvents", (long) events).put("lagRecords", (long) lag);
    }
}
