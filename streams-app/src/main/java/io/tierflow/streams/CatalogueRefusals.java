package io.tierflow.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The policies, sites and models this instance's global stores refused (see {@link GlobalStoreUpdater}), by topic and
 * key, with the reason, until a good record or a tombstone for the key arrives. Written by the global thread, read by
 * {@link CatalogueAlertReporter} on a stream thread: Kafka Streams cannot send a global store's records to
 * dead-letters, so a refusal reaches the operator as an alert.
 */
final class CatalogueRefusals {
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    void refused(String topic, String key, String reason) {
        refused.put(subject(topic, key), reason);
        changes.incrementAndGet();
    }

    void accepted(String topic, String key) {
        if (refused.remove(subject(topic, key)) != null) {
            changes.incrementAndGet();
        }
    }

    /** How many times the refusals changed: the reporter looks at them again only when this moved. */
    long changes() {
        return changes.get();
    }

    /** The refusals now, reason by subject ({@code <topic>/<key>}). */
    Map<String, String> current() {
        return Map.copyOf(refused);
    }

    static String subject(String topic, String key) {
        return topic + "/" + key;
    }
}
