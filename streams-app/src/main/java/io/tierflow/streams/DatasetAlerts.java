package io.tierflow.streams;

import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.Severity;
import io.tierflow.streams.domain.AlertGroups;
import io.tierflow.streams.domain.AlertRules;
import io.tierflow.streams.domain.HoltForecast;
import io.tierflow.streams.domain.MigrationBudget;
import io.tierflow.streams.domain.SiteOffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The alert signals the dataset processor sends the alert manager: a dataset's traffic spike, latency SLA and cost
 * spike, a site going down or up, the task's count of migration commands in flight, and how long its moves waiting
 * for the migration budget take to drain. A signal is sent when a condition changes; the alert manager turns signals
 * into alerts. A dataset's condition is one member of a group
 * alert (its {@link AlertGroups cause}), and its signal is keyed by the group, so the whole group meets in one task.
 */
final class DatasetAlerts {
    static final String BACKLOG_ALERT = "MIGRATION_BACKLOG:global";
    /** The moves waiting for the migration budget take longer than the limit to drain (MigrationAdmission). */
    static final String BACKLOG_DRAIN_ALERT = "MIGRATION_BACKLOG:budget";
    private static final String SPIKE_PREFIX = "TRAFFIC_SPIKE:";
    /** There is one policy in force, so every traffic spike is a member of one group. */
    static final String SPIKE_GROUP = AlertGroups.id(AlertType.TRAFFIC_SPIKE.name(), AlertGroups.BY_POLICY,
            Catalogue.DEFAULT_POLICY);
    /** Whether each site was up when last seen; kept across restarts of the task, as the alerts it signalled are. */
    private final Map<String, Boolean> siteUp = new HashMap<>();
    private ProcessorContext<String, TieringOutput> context;
    /** The count of commands in flight last reported, or -1 if none since the task started. */
    private long inFlightReported = -1;
    /** The drain time last reported, whole seconds, or -1 if none since the task started. */
    private long drainReported = -1;

    /** Signals through {@code context} from now on: the task (re)started, and reports its backlog anew. */
    void start(ProcessorContext<String, TieringOutput> context) {
        this.context = context;
        inFlightReported = -1;
        drainReported = -1;
    }

    /**
     * Raises or resolves the dataset's traffic spike: reads in the last hour against the forecast, judged only with
     * enough history, and reported again as it grows. The dataset is one member of its policy's traffic-spike group
     * (see {@link AlertGroups}).
     */
    void checkTrafficSpike(String key, DatasetActivity activity, long now) {
        long reads1h = activity.activity.count1h(now);
        HoltForecast holt = activity.activity.holt();
        double forecast = holt.nextHour();
        boolean on = AlertRules.trafficSpike(reads1h, forecast, holt.observations(), activity.spiking);
        if (on != activity.spiking || on && AlertRules.spikeGrew(reads1h)) {
            activity.spiking = on;
            // Concatenated, not String.format (which parses its pattern on every call): this is on the event path,
            // and formatting showed in the benchmark's profile.
            signal(SPIKE_PREFIX + key, SPIKE_GROUP, AlertType.TRAFFIC_SPIKE, Severity.WARNING, key, activity.spiking,
                    reads1h, AlertRules.SPIKE_FACTOR * Math.max(forecast, 1.0), reads1h
                            + " accesses in the last hour against a forecast of " + oneDecimal(forecast), now);
        }
    }

    /**
     * Latency and cost alerts from the reads priced since the last evaluation. The record keeps the alerts the dataset
     * counts toward ({@code activeAlerts}): the group, by the site of its primary copy when the condition began, so
     * the dataset leaves the group it joined even if it has moved since. An id from before grouping
     * ({@code <TYPE>:<key>}) is resolved as the alert of its own it was.
     */
    void checkReads(DatasetState state, CostLedgerWriter.ReadCosts reads, long now) {
        String slaAlert = activeAlert(state, AlertType.LATENCY_SLA);
        Boolean slaNow = AlertRules.latencySla(reads.reads(), reads.slaMisses(), slaAlert != null);
        if (slaNow != null && slaNow != (slaAlert != null)) {
            String alert = slaNow ? siteGroup(AlertType.LATENCY_SLA, state) : slaAlert;
            setActive(state, alert, slaNow);
            signalMember(alert, AlertType.LATENCY_SLA, state.getKey(), slaNow, reads.slaMisses(),
                    AlertRules.SLA_MISS_SHARE, reads.slaMisses() + " of " + reads.reads()
                            + " hot reads slower than the SLA", now);
        }
        long since = state.getCostAccruedAt();
        if (since > 0 && now > since) {
            double perHour = reads.chargedUsd() / ((now - since) / 3_600_000.0);
            String costAlert = activeAlert(state, AlertType.COST_SPIKE);
            boolean costNow = AlertRules.costSpike(perHour, costAlert != null);
            if (costNow != (costAlert != null)) {
                String alert = costNow ? siteGroup(AlertType.COST_SPIKE, state) : costAlert;
                setActive(state, alert, costNow);
                signalMember(alert, AlertType.COST_SPIKE, state.getKey(), costNow, perHour,
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
                signal("SITE_DOWN:" + site.name(), null, AlertType.SITE_DOWN, Severity.CRITICAL, site.name(),
                        !site.up(), site.up() ? 1 : 0, 1,
                        "site " + site.name() + (site.up() ? " is up again" : " is down"), now);
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
        signal(BACKLOG_ALERT, null, AlertType.MIGRATION_BACKLOG, Severity.WARNING, context.taskId().toString(),
                commandsInFlight >= AlertRules.BACKLOG_LIMIT, commandsInFlight, AlertRules.BACKLOG_LIMIT,
                "migration commands in flight", now);
        inFlightReported = commandsInFlight;
    }

    /**
     * Tells the alert manager how long this task's moves waiting for the migration budget take to drain at its share
     * (whole seconds, {@code Long.MAX_VALUE} when its share is zero), when that changed by a minute or more since the
     * last report: the tasks drain side by side, so the alert's value is the longest of them, and it fires above
     * {@code limit}. Reported as a measurement for the same reasons as {@link #reportBacklog}.
     */
    void reportBacklogDrain(MigrationBudget.Backlog backlog, Duration limit, long now) {
        long seconds = Double.isInfinite(backlog.drainSeconds()) ? Long.MAX_VALUE : (long) backlog.drainSeconds();
        boolean changed = drainReported < 0
                || (seconds == Long.MAX_VALUE) != (drainReported == Long.MAX_VALUE)
                || (seconds == 0) != (drainReported == 0)
                || Math.abs(seconds - drainReported) >= 60;
        if (!changed) {
            return;
        }
        signal(BACKLOG_DRAIN_ALERT, null, AlertType.MIGRATION_BACKLOG, Severity.WARNING, context.taskId().toString(),
                AlertRules.backlogDrain(seconds, limit.toSeconds(), false), seconds, limit.toSeconds(),
                backlog.moves() + " moves (" + backlog.bytes() + " bytes) wait for the migration budget", now);
        drainReported = seconds;
    }

    /** {@code value} (not negative) with one decimal, as {@code %.1f} gives it for the values alerts show. */
    static String oneDecimal(double value) {
        long tenths = Math.round(value * 10);
        return tenths / 10 + "." + tenths % 10;
    }

    /** The alert of {@code type} this dataset counts toward (a group, or an alert of its own from before), or null. */
    private static String activeAlert(DatasetState state, AlertType type) {
        String prefix = type.name() + ":";
        for (String id : state.getActiveAlerts()) {
            if (id.startsWith(prefix)) {
                return id;
            }
        }
        return null;
    }

    private static String siteGroup(AlertType type, DatasetState state) {
        String site = state.getPrimarySite() == null ? "unknown" : state.getPrimarySite();
        return AlertGroups.id(type.name(), AlertGroups.BY_SITE, site);
    }

    private static void setActive(DatasetState state, String alertId, boolean active) {
        List<String> ids = new ArrayList<>(state.getActiveAlerts());
        ids.remove(alertId);
        if (active) {
            ids.add(alertId);
        }
        state.setActiveAlerts(ids);
    }

    /** Signals a dataset's condition to {@code alert}: its group, or (from before grouping) its own alert. */
    private void signalMember(String alert, AlertType type, String key, boolean firing, double value,
            double threshold, String message, long at) {
        if (AlertGroups.isGroup(alert)) {
            signal(type.name() + ":" + key, alert, type, Severity.WARNING, key, firing, value, threshold, message, at);
        } else {
            signal(alert, null, type, Severity.WARNING, key, firing, value, threshold, message, at);
        }
    }

    /** Sends a signal keyed by the alert it counts toward: {@code group} if it has one, else its own. */
    private void signal(String alertId, String group, AlertType type, Severity severity, String subject,
            boolean firing, double value, double threshold, String message, long at) {
        AlertSignal signal = AlertSignal.newBuilder().setAlertId(alertId).setGroup(group).setType(type)
                .setSeverity(severity).setSubject(subject).setFiring(firing).setDelta(0).setValue(value)
                .setThreshold(threshold).setMessage(message).setAt(at).build();
        String owner = group == null ? alertId : group;
        context.forward(new Record<>(owner, TieringOutput.signal(signal), at));
    }
}
