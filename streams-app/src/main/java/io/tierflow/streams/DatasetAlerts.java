package io.tierflow.streams;

import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.Severity;
import io.tierflow.streams.domain.AlertRules;
import io.tierflow.streams.domain.SiteOffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The alert signals the dataset processor sends the alert manager: a dataset's traffic spike, latency SLA and cost
 * spike, a site going down or up, and the task's count of migration commands in flight. A signal is sent when a
 * condition changes; the alert manager turns signals into alerts.
 */
final class DatasetAlerts {
    static final String BACKLOG_ALERT = "MIGRATION_BACKLOG:global";
    private static final String SPIKE_PREFIX = "TRAFFIC_SPIKE:";
    /** Whether each site was up when last seen; kept across restarts of the task, as the alerts it signalled are. */
    private final Map<String, Boolean> siteUp = new HashMap<>();
    private ProcessorContext<String, TieringOutput> context;
    /** The count of commands in flight last reported, or -1 if none since the task started. */
    private long inFlightReported = -1;

    /** Signals through {@code context} from now on: the task (re)started, and reports its backlog anew. */
    void start(ProcessorContext<String, TieringOutput> context) {
        this.context = context;
        inFlightReported = -1;
    }

    /** Raises or resolves the dataset's traffic-spike alert: reads in the last hour against the forecast. */
    void checkTrafficSpike(String key, DatasetActivity activity, long now) {
        long reads1h = activity.activity.count1h(now);
        double forecast = activity.activity.holt().nextHour();
        if (AlertRules.trafficSpike(reads1h, forecast, activity.spiking) != activity.spiking) {
            activity.spiking = !activity.spiking;
            // Concatenated, not String.format (which parses its pattern on every call): this is on the event path,
            // and formatting showed in the benchmark's profile.
            signal(SPIKE_PREFIX + key, AlertType.TRAFFIC_SPIKE, Severity.WARNING, key, activity.spiking, 0, reads1h,
                    AlertRules.SPIKE_FACTOR * Math.max(forecast, 1.0), reads1h
                            + " accesses in the last hour against a forecast of " + oneDecimal(forecast), now);
        }
    }

    /** Latency and cost alerts from the reads priced since the last evaluation; the record keeps which are active. */
    void checkReads(DatasetState state, CostLedgerWriter.ReadCosts reads, long now) {
        String slaId = "LATENCY_SLA:" + state.getKey();
        boolean slaWas = state.getActiveAlerts().contains(slaId);
        Boolean slaNow = AlertRules.latencySla(reads.reads(), reads.slaMisses(), slaWas);
        if (slaNow != null && slaNow != slaWas) {
            setActive(state, slaId, slaNow);
            signal(slaId, AlertType.LATENCY_SLA, Severity.WARNING, state.getKey(), slaNow, 0, reads.slaMisses(),
                    AlertRules.SLA_MISS_SHARE, reads.slaMisses() + " of " + reads.reads()
                            + " hot reads slower than the SLA", now);
        }
        long since = state.getCostAccruedAt();
        if (since > 0 && now > since) {
            double perHour = reads.chargedUsd() / ((now - since) / 3_600_000.0);
            String costId = "COST_SPIKE:" + state.getKey();
            boolean costWas = state.getActiveAlerts().contains(costId);
            boolean costNow = AlertRules.costSpike(perHour, costWas);
            if (costNow != costWas) {
                setActive(state, costId, costNow);
                signal(costId, AlertType.COST_SPIKE, Severity.WARNING, state.getKey(), costNow, 0, perHour,
                        AlertRules.COST_SPIKE_USD_PER_HOUR, String.format("reads cost %.2f USD/h", perHour), now);
            }
        }
    }

    /** Every task sees the catalogue; each reports changes, and the alert manager publishes a change once. */
    void checkSites(List<SiteOffer> sites, long now) {
        for (SiteOffer site : sites) {
            Boolean before = siteUp.put(site.name(), site.up());
            boolean wasDown = before != null && !before;
            if (!site.up() && !wasDown || site.up() && wasDown) {
                signal("SITE_DOWN:" + site.name(), AlertType.SITE_DOWN, Severity.CRITICAL, site.name(), !site.up(), 0,
                        site.up() ? 1 : 0, 1, "site " + site.name() + (site.up() ? " is up again" : " is down"), now);
            }
        }
    }

    /**
     * Tells the alert manager this task's count of commands in flight, when it changed since the last report: the
     * MIGRATION_BACKLOG alert's value is the sum over the tasks. A count, not a signal per command: a report lost with
     * an aborted transaction is made again when the task starts again (it counts from its records), where a lost or
     * repeated +1 / -1 would have shifted the sum for good; and a burst of commands (a whole inventory arriving) is one
     * report a second per task rather than one record per command through the repartition topic.
     */
    void reportBacklog(long commandsInFlight, long now) {
        if (commandsInFlight == inFlightReported) {
            return;
        }
        signal(BACKLOG_ALERT, AlertType.MIGRATION_BACKLOG, Severity.WARNING, context.taskId().toString(),
                commandsInFlight >= AlertRules.BACKLOG_LIMIT, 0, commandsInFlight, AlertRules.BACKLOG_LIMIT,
                "migration commands in flight", now);
        inFlightReported = commandsInFlight;
    }

    /** {@code value} (not negative) with one decimal, as {@code %.1f} gives it for the values alerts show. */
    static String oneDecimal(double value) {
        long tenths = Math.round(value * 10);
        return tenths / 10 + "." + tenths % 10;
    }

    private static void setActive(DatasetState state, String alertId, boolean active) {
        List<String> ids = new ArrayList<>(state.getActiveAlerts());
        ids.remove(alertId);
        if (active) {
            ids.add(alertId);
        }
        state.setActiveAlerts(ids);
    }

    private void signal(String alertId, AlertType type, Severity severity, String subject, boolean firing, long delta,
            double value, double threshold, String message, long at) {
        AlertSignal signal = AlertSignal.newBuilder().setAlertId(alertId).setType(type).setSeverity(severity)
                .setSubject(subject).setFiring(firing).setDelta(delta).setValue(value).setThreshold(threshold)
                .setMessage(message).setAt(at).build();
        context.forward(new Record<>(alertId, TieringOutput.signal(signal), at));
    }
}
