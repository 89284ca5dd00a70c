package io.tierflow.streams;

import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a global store equal to its compacted topic: the latest good value per key, deleted on a tombstone. A value
 * that breaks its topic's rules (the rules the API applies, {@code CatalogueRules}) is refused: the store keeps the
 * last good value for its key, so the policy, site or model in force stays in force, and the record goes to
 * {@code dead-letters} with the reason (see {@link InvalidRecordException}) and counts in
 * {@code tierflow_records_rejected_total{topic}}.
 */
final class GlobalStoreUpdater<V> implements Processor<String, V, Void, Void> {
    private final String storeName;
    private final String topic;
    private final Function<V, Optional<String>> problem;
    private final TieringMetrics metrics;
    private KeyValueStore<String, V> store;

    GlobalStoreUpdater(String storeName, String topic, Function<V, Optional<String>> problem, TieringMetrics metrics) {
        this.storeName = storeName;
        this.topic = topic;
        this.problem = problem;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        Optional<String> refused = problem.apply(record.value());
        if (refused.isPresent()) {
            metrics.rejected(topic);
            throw new InvalidRecordException(topic + " record '" + record.key() + "' refused, the last good one stays "
                    + "in force: " + refused.get());
        }
        store.put(record.key(), record.value());
    }
}
