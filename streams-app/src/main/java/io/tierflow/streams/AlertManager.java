package io.tierflow.streams;

import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.streams.domain.AlertRules;
import io.tierflow.streams.domain.AlertPacing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Owns each alert (keyed by alert id): turns detector signals into FIRING / RESOLVED, operator acknowledgements
 * from {@code control} into ACKNOWLEDGED, and publishes an {@link Alert} to {@code alerts} only when it changes. An
 * acknowledged alert stays acknowledged while its condition lasts; it fires anew after it resolved. A dataset's signal
 * is one member of a group alert ({@link GroupAlerts}); a resolved alert is deleted once its retention has passed.
 *
 * <p>Its punctuator runs on the wall clock: held-back group changes and expiry must happen while no signal arrives,
 * and stream time stands still then.
 */
final class AlertManager implements Processor<String, SpecificRecord, String, Alert> {
    private static final Duration PUNCTUATION = Duration.ofSeconds(1);
    private static final long SWEEP_EVERY_MS = Duration.ofMinutes(1).toMillis();
    private final TieringMetrics metrics;
    private final AlertPacing pacing;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, Alert> alerts;
    /** Counted conditions' counts per reporting task, keyed {@code <alert id>|<task id>}. */
    private KeyValueStore<String, Long> counts;
    private GroupAlerts groups;
    private boolean recovered;
    private long nextSweep;

    AlertManager(TieringMetrics metrics, AlertPacing pacing) {
        this.metrics = metrics;
        this.pacing = pacing;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        alerts = context.getStateStore(TieringTopology.ALERTS_STORE);
        counts = context.getStateStore(TieringTopology.ALERT_COUNTS_STORE);
        groups = new GroupAlerts(pacing, alerts, context.getStateStore(TieringTopology.ALERT_MEMBERS_STORE),
                (alert, timestamp) -> publish(alert.getId(), alert, timestamp));
        recovered = false;
        context.schedule(PUNCTUATION, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        if (record.value() instanceof AlertSignal signal) {
            if (signal.getGroup() != null) {
                groups.onSignal(signal.getGroup(), signal, context.currentSystemTimeMs());
            } else {
                onSignal(record.key(), signal, record.timestamp());
            }
        } else if (record.value() instanceof ControlCommand command) {
            onControl(record.key(), command, record.timestamp());
        }
    }

    private void punctuate(long wallClock) {
        if (!recovered) {
            groups.recover(wallClock);
            recovered = true;
        }
        groups.publishDue(wallClock);
        if (wallClock >= nextSweep) {
            sweep(wallClock);
            nextSweep = wallClock + SWEEP_EVERY_MS;
        }
    }

    /**
     * Deletes the resolved alerts past their retention (a tombstone to {@code alerts}), and resolves the traffic
     * spikes of single datasets raised before they were grouped: their datasets now signal the group.
     */
    private void sweep(long wallClock) {
        List<Alert> expired = new ArrayList<>();
        List<Alert> ungrouped = new ArrayList<>();
        try (KeyValueIterator<String, Alert> all = alerts.all()) {
            all.forEachRemaining(kv -> {
                if (kv.value.getState() == AlertState.RESOLVED) {
                    // The backlog alert is kept: it holds the current count, and is written without being published.
                    if (kv.value.getType() != AlertType.MIGRATION_BACKLOG
                            && pacing.expired(kv.value.getUpdatedAt().toEpochMilli(), wallClock)) {
                        expired.add(kv.value);
                    }
                } else if (GroupAlertRecords.isUngroupedSpike(kv.value)) {
                    ungrouped.add(kv.value);
                }
            });
        }
        for (Alert alert : expired) {
            alerts.delete(alert.getId());
            groups.forget(alert.getId());
            context.forward(new Record<>(alert.getId(), null, wallClock));
        }
        for (Alert alert : ungrouped) {
            publish(alert.getId(), Alert.newBuilder(alert).setState(AlertState.RESOLVED)
                    .setUpdatedAt(Instant.ofEpochMilli(wallClock)).build(), wallClock);
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
            // The budget's drain time is measured per task too; the tasks drain side by side, so it is the longest.
            boolean drain = id.equals(DatasetAlerts.BACKLOG_DRAIN_ALERT);
            counts.put(id + "|" + signal.getSubject(), (long) signal.getValue());
            long sum = 0;
            long max = 0;
            try (KeyValueIterator<String, Long> perTask = counts.prefixScan(id + "|", new StringSerializer())) {
                while (perTask.hasNext()) {
                    long count = perTask.next().value;
                    sum += count;
                    max = Math.max(max, count);
                }
            }
            value = drain ? max : sum;
            firing = drain ? AlertRules.backlogDrain(max, (long) signal.getThreshold(), active)
                    : AlertRules.backlog(sum, active);
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
