package io.tierflow.streams;

import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.Severity;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Raises an alert ({@code OTHER:invalid-record:<topic>/<key>}, a warning) for each policy, site or model the global
 * stores refused, and resolves it when a good record for the key arrives. Runs in the dataset tasks (it hangs off
 * {@code control}, whose records it ignores) and reports from the task of partition 0 only: every instance's global
 * stores see every record, so one task of the application is enough. A task that starts reports the refusals it
 * finds, which re-fires nothing already firing.
 */
final class CatalogueAlertReporter implements Processor<String, ControlCommand, String, AlertSignal> {
    static final String ALERT_PREFIX = AlertType.OTHER.name() + ":invalid-record:";
    private final CatalogueRefusals refusals;
    private final Duration interval;
    private ProcessorContext<String, AlertSignal> context;
    /** What this task reported as firing, reason by subject. */
    private final Map<String, String> reported = new HashMap<>();
    private long changesSeen = -1;

    CatalogueAlertReporter(CatalogueRefusals refusals, Duration interval) {
        this.refusals = refusals;
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, AlertSignal> context) {
        this.context = context;
        if (context.taskId().partition() == 0) {
            // Wall clock: refusals come from the global thread, whatever this task's inputs do.
            context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::report);
        }
    }

    @Override
    public void process(Record<String, ControlCommand> record) {
        // Only here to be part of the dataset tasks; control records are for the other processors.
    }

    private void report(long wallClockMs) {
        long changes = refusals.changes();
        if (changes == changesSeen) {
            return;
        }
        changesSeen = changes;
        Map<String, String> now = refusals.current();
        now.forEach((subject, reason) -> {
            if (!reason.equals(reported.get(subject))) {
                signal(subject, true, reason + "; the last good record stays in force", wallClockMs);
            }
        });
        reported.keySet().stream().filter(subject -> !now.containsKey(subject)).toList()
                .forEach(subject -> signal(subject, false, "a good record replaced the refused one", wallClockMs));
        reported.clear();
        reported.putAll(now);
    }

    private void signal(String subject, boolean firing, String message, long at) {
        String id = ALERT_PREFIX + subject;
        context.forward(new Record<>(id, AlertSignal.newBuilder().setAlertId(id).setType(AlertType.OTHER)
                .setSeverity(Severity.WARNING).setSubject(subject).setFiring(firing).setValue(firing ? 1 : 0)
                .setThreshold(0).setMessage(subject + " refused: " + message).setAt(at).build(), at));
    }
}
