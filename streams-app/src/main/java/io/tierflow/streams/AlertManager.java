package io.tierflow.streams;

import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.streams.domain.AlertRules;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Owns each alert (keyed by alert id): turns detector signals into FIRING / RESOLVED, operator acknowledgements
 * from {@code control} into ACKNOWLEDGED, and publishes an {@link Alert} to {@code alerts} only when the state
 * changes. An acknowledged alert stays acknowledged while its condition lasts; it fires anew after it resolved.
 */
final class AlertManager implements Processor<String, SpecificRecord, String, Alert> {
    private final TieringMetrics metrics;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, Alert> alerts;
    /** Counted conditions' counts per reporting task, keyed {@code <alert id>|<task id>}. */
    private KeyValueStore<String, Long> counts;

    AlertManager(TieringMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        alerts = context.getStateStore(TieringTopology.ALERTS_STORE);
        counts = context.getStateStore(TieringTopology.ALERT_COUNTS_STORE);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        if (record.value() instanceof AlertSignal signal) {
            onSignal(record.key(), signal, record.timestamp());
        } else if (record.value() instanceof ControlCommand command) {
            onControl(record.key(), command, record.timestamp());
        }
    }

    private void onSignal(String id, AlertSignal signal, long timestamp) {
        Alert current = alerts.get(id);
        boolean active = current != null && current.getState() != AlertState.RESOLVED;
        boolean firing = signal.getFiring();
        double value = signal.getValue();
        String subject = signal.getSubject();
        if (signal.getType() == AlertType.MIGRATION_BACKLOG) {
            // A counted condition: each task of the dataset processor reports its own count (subject: the task id) and
            // the alert's value is their sum. A signal of the earlier +1 / -1 protocol reports 0 for "global".
            counts.put(id + "|" + signal.getSubject(), (long) signal.getValue());
            long sum = 0;
            try (KeyValueIterator<String, Long> perTask = counts.prefixScan(id + "|", new StringSerializer())) {
                while (perTask.hasNext()) {
                    sum += perTask.next().value;
                }
            }
            value = sum;
            firing = AlertRules.backlog(sum, active);
            subject = "global";
        }
        Instant at = Instant.ofEpochMilli(signal.getAt());
        if (firing && !active) {
            publish(id, Alert.newBuilder().setId(id).setType(signal.getType()).setSeverity(signal.getSeverity())
                    .setState(AlertState.FIRING).setSubject(subject).setMessage(signal.getMessage())
                    .setValue(value).setThreshold(signal.getThreshold()).setRaisedAt(at).setUpdatedAt(at)
                    .setAcknowledgedBy(null).build(), timestamp);
        } else if (!firing && active) {
            publish(id, Alert.newBuilder(current).setState(AlertState.RESOLVED).setValue(value).setUpdatedAt(at)
                    .build(), timestamp);
        } else if (current != null && current.getValue() != value) {
            // Same state, new measurement: keep it for readers of the store without re-publishing.
            alerts.put(id, Alert.newBuilder(current).setValue(value).build());
        } else if (current == null && signal.getType() == AlertType.MIGRATION_BACKLOG) {
            alerts.put(id, Alert.newBuilder().setId(id).setType(signal.getType()).setSeverity(signal.getSeverity())
                    .setState(AlertState.RESOLVED).setSubject(subject).setMessage(signal.getMessage())
                    .setValue(value).setThreshold(signal.getThreshold()).setRaisedAt(at).setUpdatedAt(at).build());
        }
    }

    private void onControl(String id, ControlCommand command, long timestamp) {
        if (command.getType() != ControlType.ACK_ALERT) {
            return; // other operator commands are for other parts of the app
        }
        Alert current = alerts.get(id);
        if (current == null || current.getState() != AlertState.FIRING) {
            return; // nothing to acknowledge: unknown, already acknowledged, or resolved
        }
        publish(id, Alert.newBuilder(current).setState(AlertState.ACKNOWLEDGED)
                .setAcknowledgedBy(command.getOperator()).setUpdatedAt(command.getIssuedAt()).build(), timestamp);
    }

    private void publish(String id, Alert alert, long timestamp) {
        alerts.put(id, alert);
        context.forward(new Record<>(id, alert, timestamp));
        metrics.alertChanged(alert.getType(), alert.getState());
    }
}
