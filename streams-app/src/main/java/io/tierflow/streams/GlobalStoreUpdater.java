package io.tierflow.streams;

import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a global store equal to its compacted topic: the latest good value per key, deleted on a tombstone. A value
 * that breaks its topic's rules (the rules the API applies, {@code CatalogueRules}) is refused: the store keeps the
 * last good value for its key, so the policy, site or model in force stays in force; the refusal counts in
 * {@code tierflow_records_rejected_total{topic}}, is logged with the reason (through {@link DeadLetterHandler}) and
 * raises an alert until a good record for the key arrives (see {@link CatalogueAlertReporter}).
 */
final class GlobalStoreUpdater<V> implements Processor<String, V, Void, Void> {
    private final String storeName;
    private final String topic;
    private final BiFunction<String, V, Optional<String>> problem;
    private final TieringMetrics metrics;
    private final CatalogueRefusals refusals;
    private final CatalogueChanges changes;
    private KeyValueStore<String, V> store;

    GlobalStoreUpdater(String storeName, String topic, BiFunction<String, V, Optional<String>> problem, TieringMetrics metrics,
            CatalogueRefusals refusals, CatalogueChanges changes) {
        this.storeName = storeName;
        this.topic = topic;
        this.problem = problem;
        this.metrics = metrics;
        this.refusals = refusals;
        this.changes = changes;
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
            changes.changed();
            refusals.accepted(topic, record.key());
            return;
        }
        Optional<String> refused = problem.apply(record.key(), record.value());
        if (refused.isPresent()) {
            metrics.rejected(topic);
            refusals.refused(topic, record.key(), refused.get());
            // The handler logs it; Kafka Streams 4.3 cannot write a global store's dead letters (it says so in the
            // log), so the alert of CatalogueAlertReporter is what reaches the operator.
            throw new InvalidRecordException(topic + " record '" + record.key() + "' refused, the last good one stays "
                    + "in force: " + refused.get());
        }
        store.put(record.key(), record.value());
        changes.changed();
        refusals.accepted(topic, record.key());
    }
}
