package io.tierflow.streams;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.streams.domain.Activity;
import io.tierflow.streams.domain.DatasetEvaluator;
import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.TieringPolicy;

/**
 * Counts access events into each dataset's activity value, the path every event takes: it reads and writes only the
 * small activity value, changed in place (see {@link io.tierflow.streams.store.UpdatableStore#getForUpdate}), and loads the dataset record
 * only when the event may change the dataset's tier. It allocates nothing per event beyond what the activity does.
 */
final class AccessEvents {
    private final DatasetRecords records;
    private final UnregisteredActivity unregistered;
    private final DatasetEvaluation evaluation;
    private final DatasetAlerts alerts;
    private final DueScheduler due;
    private final Catalogue catalogue;
    private final RegionNames regionNames;
    private final RegionNames siteNames;
    private final TieringMetrics metrics;

    AccessEvents(DatasetRecords records, UnregisteredActivity unregistered, DatasetEvaluation evaluation,
            DatasetAlerts alerts, DueScheduler due, Catalogue catalogue, RegionNames regionNames, RegionNames siteNames,
            TieringMetrics metrics) {
        this.records = records;
        this.unregistered = unregistered;
        this.evaluation = evaluation;
        this.alerts = alerts;
        this.due = due;
        this.catalogue = catalogue;
        this.regionNames = regionNames;
        this.siteNames = siteNames;
        this.metrics = metrics;
    }

    /**
     * Counts one access at {@code eventTime}. An event whose processing fails after its access was counted (while
     * deciding, say) leaves the count, and goes to {@code dead-letters}.
     */
    void count(String key, AccessEvent event, long eventTime, long streamTime) {
        if (event == null) {
            return; // a tombstone on a stream topic means nothing
        }
        DatasetActivity activity = records.activityForUpdate(key);
        boolean stored = activity != null;
        if (!stored) {
            // No inventory entry (yet): counted in memory, bounded, until the entry comes (see UnregisteredActivity).
            activity = unregistered.forUpdate(key, Math.max(eventTime, streamTime));
        }
        // The dataset's own policy (heat weights, half-life, lateness): by key alone while no inventory entry is known.
        TieringPolicy policy = catalogue.policyFor(key, activity.owner, activity.mediaType);
        String region = regionNames.of(event.getClientRegion());
        Activity.Outcome outcome = activity.activity.record(eventTime, event.getOp().name(), event.getBytes(),
                region, event.getEventId(), policy, streamTime);
        metrics.accessEvent(outcome);
        if (outcome != Activity.Outcome.COUNTED) {
            return; // duplicate or beyond the lateness bound: nothing changes
        }
        if (activity.placed) {
            boolean noReadsToCharge = activity.uncharged.isEmpty();
            if (event.getOp() == AccessOp.GET) {
                double sla = Double.isNaN(activity.slaMs) ? policy.defaultSlaMs() : activity.slaMs;
                // As the event says: the SLA is judged on the latency it saw, egress priced from the site that served it.
                activity.uncharged.add(region, siteNames.of(event.getServedFrom()), event.getBytes(),
                        activity.tier == Tier.HOT && event.getLatencyMs() > sla);
            }
            long now = Math.max(eventTime, streamTime);
            alerts.checkTrafficSpike(key, activity, now);
            if (activity.tier == null || DatasetEvaluator.tierMayChange(activity.activity, activity.sizeBytes,
                    activity.tier, activity.staying, policy, catalogue.scorer(), catalogue.sites(), now)) {
                DatasetRecords.Loaded record = records.load(key);
                evaluation.evaluate(record.state, activity, now);
                records.save(record, now);
            }
            if (noReadsToCharge && !activity.uncharged.isEmpty()) {
                due.firstReadSinceLook(key, now);
            }
        }
        if (stored) {
            records.saveActivity(key, activity);
        }
    }
}
