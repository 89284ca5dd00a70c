package io.tierflow.api;

import io.tierflow.topics.Topic;

/**
 * Where the write endpoints' records go: Kafka in production ({@link KafkaRecordSink}), a list in the handler tests.
 * A write is answered accepted only once {@link #send} returns, so an accepted write is never lost.
 */
interface RecordSink extends AutoCloseable {
    /**
     * Writes a record and waits until it is stored; fails with a 503 {@link ApiException} when it cannot be.
     *
     * @param partition the partition to write to, or null to place the record by its key
     */
    <V> Written send(Topic<String, V> topic, String key, V value, Integer partition);

    @Override
    void close();

    /** Where a record was stored: what the write endpoints answer. */
    record Written(String topic, int partition, long offset) {
    }
}
