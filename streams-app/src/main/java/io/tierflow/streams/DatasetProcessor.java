package io.tierflow.streams;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.PlacementExplanation;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Severity;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.SiteScore;
import io.tierflow.streams.domain.Activity;
import io.tierflow.streams.domain.AlertRules;
import io.tierflow.streams.domain.DecayedHeat;
import io.tierflow.streams.domain.Features;
import io.tierflow.streams.domain.MigrationPlanner;
import io.tierflow.streams.domain.PlacementDecision;
import io.tierflow.streams.domain.PlacementOptimizer;
import io.tierflow.streams.domain.PlacementRequest;
import io.tierflow.streams.domain.ReadTally;
import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.TierDecider;
import io.tierflow.streams.domain.TieringPolicy;
import io.tierflow.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The per-dataset state machine: access events update activity, inventory records and migration statuses update
 * what exists where, and whenever the tier may have changed (or the dataset is due) it decides the placement and
 * the next migration step. An access event reads and writes only the small {@code dataset-activity} value; the
 * dataset record ({@code dataset-state}) is read and written, and the placement searched, only when the tier may
 * change, the inventory changes, a migration step reports, an operator asks, or the dataset's due time (when its heat
 * will have decayed below its tier's demotion threshold) comes.
 */
final class DatasetProcessor implements Processor<String, Object, String, TieringOutput> {
    static final String BACKLOG_ALERT = "MIGRATION_BACKLOG:global";
    /** Control target meaning every dataset. */
    static final String ALL = "*";
    private static final String SPIKE_PREFIX = "TRAFFIC_SPIKE:";
    /** Client regions are a handful; the bound keeps a stream of made-up names from growing the map without end. */
    private static final int MAX_REGION_NAMES = 1_024;
    private final TieringSettings settings;
    private final TieringMetrics metrics;
    private ProcessorContext<String, TieringOutput> context;
    private final Map<String, Boolean> siteUp = new HashMap<>();
    /** One instance per client region name, which the activity compares by reference (see Activity.regionIndex). */
    private final Map<String, String> regionNames = new HashMap<>();
    private KeyValueStore<String, DatasetState> states;
    private WriteBehindStore<DatasetActivity> activities;
    private DueIndex dueIndex;
    private Catalogue catalogue;
    private CostLedgerWriter costs;
    /**
     * This task's datasets with a command in flight: counted from the dataset records when the processor starts, then
     * kept as commands are issued and end. The punctuator reports it when it changed (see {@link #reportBacklog}).
     */
    private long commandsInFlight;
    /** The count last reported, or -1 if none since the processor started. */
    private long inFlightReported;
    /** The catalogue changed since the due datasets were last looked at: every dataset is due. */
    private boolean catalogueChanged;

    DatasetProcessor(TieringSettings settings, TieringMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, TieringOutput> context) {
        this.context = context;
        states = context.getStateStore(TieringTopology.DATASET_STATE_STORE);
        activities = writeBehindStore(context.getStateStore(TieringTopology.DATASET_ACTIVITY_STORE));
        KeyValueStore<String, Policy> policies = context.getStateStore(TieringTopology.POLICIES_STORE);
        KeyValueStore<String, Model> models = context.getStateStore(TieringTopology.MODELS_STORE);
        KeyValueStore<String, Site> sites = context.getStateStore(TieringTopology.SITES_STORE);
        catalogue = new Catalogue(policies, models, sites);
        catalogue.refresh();
        costs = new CostLedgerWriter(writeBehindStore(context.getStateStore(TieringTopology.COST_LEDGER_STORE)),
                catalogue);
        rebuildFromDatasetRecords();
        // Wall-clock punctuation: it must fire on partitions that receive nothing (cold data gets no events).
        // Which time it evaluates at is the clock setting's choice (see TieringSettings.eventTimeClock).
        context.schedule(settings.evaluationInterval(), PunctuationType.WALL_CLOCK_TIME, wallClockMs -> {
            try {
                evaluateDue(wallClockMs);
            } finally {
                finishUpdates();
            }
        });
    }

    /**
     * Builds the due index, which is kept in memory only (see {@link DueIndex}), and the storage the task holds (see
     * {@link CostLedgerWriter#hold}) from the dataset records, and counts the commands in flight. Init runs once the task's stores are restored, and whenever the task starts again here
     * (after a rebalance, or after an aborted transaction).
     */
    private void rebuildFromDatasetRecords() {
        if (dueIndex != null) {
            metrics.untrack(dueIndex);
        }
        dueIndex = new DueIndex();
        commandsInFlight = 0;
        inFlightReported = -1;
        costs.clearHoldings();
        try (KeyValueIterator<String, DatasetState> all = states.all()) {
            all.forEachRemaining(entry -> {
                long dueAt = entry.value.getDueAt();
                if (entry.value.getInventory() != null) {
                    // No later than the longest interval after its last look: what the index held in memory and a
                    // restart lost (a read to charge, a change of the catalogue while no node ran) is caught up on.
                    long lookBy = entry.value.getCostAccruedAt() + settings.maxReevaluation().toMillis();
                    dueIndex.add(dueAt >= 0 ? Math.min(dueAt, lookBy) : lookBy, entry.key);
                } else if (dueAt >= 0) {
                    dueIndex.add(dueAt, entry.key);
                }
                costs.addHoldings(CostLedgerWriter.footprint(entry.value));
                if (entry.value.getInFlight() != null) {
                    commandsInFlight++;
                }
            });
        }
        metrics.track(dueIndex);
    }

    @Override
    public void close() {
        if (dueIndex != null) {
            metrics.untrack(dueIndex);
        }
    }

    /**
     * The activity value is changed in place (see {@link WriteBehindStore#getForUpdate}): a record whose processing
     * fails after its access was counted (while deciding, say) leaves the count, and goes to {@code dead-letters}.
     */
    @Override
    public void process(Record<String, Object> record) {
        String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
        if (record.key() == null) {
            throw new IllegalArgumentException("record without a dataset key on " + topic);
        }
        try {
            switch (topic) {
                case Topics.ACCESS_EVENTS -> onAccess(record.key(), (AccessEvent) record.value(), record.timestamp());
                case Topics.DATASETS -> onInventory(record.key(), (Dataset) record.value(), record.timestamp());
                case Topics.MIGRATION_STATUS -> onStatus(record.key(), (MigrationStatus) record.value(),
                        record.timestamp());
                case Topics.CONTROL -> onReoptimize((ControlCommand) record.value(), record.timestamp());
                default -> throw new IllegalStateException("dataset processor is not wired to topic " + topic);
            }
        } finally {
            finishUpdates();
        }
    }

    /** Ends the in-place changes of held values (activity, cost-ledger entries): readers copy them again. */
    private void finishUpdates() {
        activities.finishUpdates();
        costs.finishUpdates();
    }

    /** The store behind Kafka Streams' read-write decorator: its in-place updates are not part of KeyValueStore. */
    @SuppressWarnings("unchecked")
    private static <V> WriteBehindStore<V> writeBehindStore(StateStore store) {
        StateStore inner = store;
        while (!(inner instanceof WriteBehindStore) && inner instanceof WrappedStateStore<?, ?, ?> wrapper) {
            inner = wrapper.wrapped();
        }
        if (inner instanceof WriteBehindStore<?> writeBehind) {
            return (WriteBehindStore<V>) writeBehind;
        }
        throw new IllegalStateException("store " + store.name() + " is not a WriteBehindStore: " + store.getClass());
    }

    private void onAccess(String key, AccessEvent event, long eventTime) {
        if (event == null) {
            return; // a tombstone on a stream topic means nothing
        }
        DatasetActivity activity = loadActivity(key);
        DatasetState legacy = null;
        if (activity == null) {
            // A new dataset, or one whose state predates the activity store: then its record carries the activity.
            legacy = states.get(key);
            activity = restore(legacy);
        }
        TieringPolicy policy = catalogue.policy();
        long streamTime = context.currentStreamTimeMs();
        String region = regionName(event.getClientRegion());
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
                activity.uncharged.add(region, event.getBytes(),
                        activity.tier == Tier.HOT && event.getLatencyMs() > sla);
            }
            long now = Math.max(eventTime, streamTime);
            checkTrafficSpike(key, activity, now);
            if (activity.tier == null || tierMayChange(activity, now, policy)) {
                DatasetState state = legacy != null ? legacy : states.get(key);
                CostLedgerWriter.Footprint held = CostLedgerWriter.footprint(state);
                evaluate(state, activity, now);
                save(key, state, held, now);
                legacy = null;
            }
            if (noReadsToCharge && !activity.uncharged.isEmpty()) {
                // Its first read since its last look: looked at again within the longest interval, to charge it and
                // to check its latency and cost alerts (and whether its readers' regions favour other sites).
                dueIndex.addBy(now + settings.maxReevaluation().toMillis(), key);
            }
        }
        if (legacy != null) {
            states.put(key, legacy); // without the activity it carried, now in the activity store
        }
        saveActivity(key, activity);
    }

    /**
     * Whether the tier may differ from the one decided, checked without scoring when possible: the boosted heat lies
     * between heat and heat + boost (the model's probability is between 0 and 1) and the tier only grows with it, so
     * if both ends give the current tier, so does the score.
     */
    private boolean tierMayChange(DatasetActivity activity, long now, TieringPolicy policy) {
        double heat = activity.activity.heatAt(now, policy.halfLifeMs());
        double boost = policy.scoreBoost();
        if (TierDecider.decide(heat + Math.min(0, boost), activity.tier, policy) == activity.tier
                && TierDecider.decide(heat + Math.max(0, boost), activity.tier, policy) == activity.tier) {
            return false;
        }
        Features features = activity.activity.features(now, activity.sizeBytes, policy.halfLifeMs());
        double boosted = features.heat() + boost * catalogue.scorer().score(features);
        return TierDecider.decide(boosted, activity.tier, policy) != activity.tier;
    }

    private void checkTrafficSpike(String key, DatasetActivity activity, long now) {
        long reads1h = activity.activity.count1h(now);
        double forecast = activity.activity.holt().nextHour();
        if (AlertRules.trafficSpike(reads1h, forecast, activity.spiking) != activity.spiking) {
            activity.spiking = !activity.spiking;
            // Concatenated, not String.format (which parses its pattern on every call): this is on the event path,
            // and formatting was 2 % of the stream thread in the benchmark's profile.
            signal(SPIKE_PREFIX + key, AlertType.TRAFFIC_SPIKE, Severity.WARNING, key, activity.spiking, 0, reads1h,
                    AlertRules.SPIKE_FACTOR * Math.max(forecast, 1.0), reads1h
                            + " accesses in the last hour against a forecast of " + oneDecimal(forecast), now);
        }
    }

    /** The one instance of this region name (the name itself while the map is full). */
    private String regionName(String region) {
        String known = regionNames.get(region);
        if (known != null) {
            return known;
        }
        if (regionNames.size() < MAX_REGION_NAMES) {
            regionNames.put(region, region);
        }
        return region;
    }

    /**
     * The dataset's activity value itself, to change in place and {@link #saveActivity save}; null if it has none. A
     * change not saved is seen in memory but never written (see {@link WriteBehindStore#getForUpdate}).
     */
    private DatasetActivity loadActivity(String key) {
        return activities.getForUpdate(key);
    }

    /** Saves a changed activity value: it is written at the next commit. */
    private void saveActivity(String key, DatasetActivity activity) {
        activities.put(key, activity);
    }

    private void deleteActivity(String key) {
        activities.delete(key);
    }

    /** The dataset's activity value, from its store or, for state that predates it, from the dataset record. */
    private DatasetActivity activityOf(String key, DatasetState state) {
        DatasetActivity activity = loadActivity(key);
        return activity != null ? activity : restore(state);
    }

    /**
     * A new activity value for a dataset without one: empty for a new dataset; for a record written before the
     * activity store existed, its activity and alert state, which are moved out of the record (the caller writes it).
     */
    private static DatasetActivity restore(DatasetState state) {
        if (state == null) {
            return DatasetActivity.empty();
        }
        DatasetActivity activity = new DatasetActivity(state.getActivity() == null ? new Activity()
                : StateMapper.activity(state.getActivity()), new ReadTally());
        state.setActivity(null);
        copyFacts(state, activity);
        String spikeId = SPIKE_PREFIX + state.getKey();
        if (state.getActiveAlerts().contains(spikeId)) {
            activity.spiking = true;
            setActive(state, spikeId, false);
        }
        return activity;
    }

    /** Copies what the event path needs to know of the dataset record into its activity value. */
    private static void copyFacts(DatasetState state, DatasetActivity activity) {
        Dataset inventory = state.getInventory();
        activity.placed = inventory != null;
        activity.sizeBytes = inventory == null ? 0 : inventory.getSizeBytes();
        activity.slaMs = inventory == null || inventory.getLatencySlaMs() == null ? Double.NaN
                : inventory.getLatencySlaMs();
        activity.tier = StateMapper.tier(state.getTier());
    }

    private void onInventory(String key, Dataset dataset, long timestamp) {
        DatasetState state = states.get(key);
        DatasetActivity stored = loadActivity(key);
        DatasetActivity activity = stored != null ? stored : restore(state);
        long now = Math.max(timestamp, context.currentStreamTimeMs());
        CostLedgerWriter.Footprint held = CostLedgerWriter.footprint(state);
        if (dataset == null) {
            if (state != null) {
                costs.chargeReads(state, activity.uncharged, now);
                costs.hold(held, null, now);
                dueIndex.remove(key);
                states.delete(key);
                if (state.getInFlight() != null) {
                    commandsInFlight--; // its status, if one comes, finds no record and is dropped
                }
            }
            if (stored != null) {
                deleteActivity(key);
            }
            context.forward(new Record<>(key, TieringOutput.placement(null), timestamp));
            return;
        }
        if (state == null) {
            state = StateMapper.newDatasetState(key);
        }
        state.setInventory(dataset);
        if (state.getPrimarySite() == null) {
            // The inventory says where the dataset is until Tierflow moves it; afterwards completed migrations do.
            state.setPrimarySite(dataset.getPrimarySite());
            state.setReplicaSites(new ArrayList<>(dataset.getReplicaSites()));
            state.setStorageClass(dataset.getStorageClass());
        }
        copyFacts(state, activity);
        evaluate(state, activity, now);
        save(key, state, held, now);
        saveActivity(key, activity);
    }

    private void onStatus(String key, MigrationStatus status, long timestamp) {
        if (status == null) {
            return;
        }
        DatasetState state = states.get(key);
        MigrationCommand inFlight = state == null ? null : state.getInFlight();
        if (inFlight == null || !inFlight.getId().equals(status.getCommandId())) {
            return; // a status for a command that is no longer current (duplicate or stale)
        }
        long now = Math.max(timestamp, context.currentStreamTimeMs());
        CostLedgerWriter.Footprint held = CostLedgerWriter.footprint(state);
        if (status.getPhase() == io.tierflow.schemas.MigrationPhase.COMPLETED
                || status.getPhase() == io.tierflow.schemas.MigrationPhase.FAILED
                || status.getPhase() == io.tierflow.schemas.MigrationPhase.SUPERSEDED) {
            commandsInFlight--;
        }
        switch (status.getPhase()) {
            case COMPLETED -> {
                DatasetActivity activity = activityOf(key, state);
                costs.chargeReads(state, activity.uncharged, now); // at the old placement, before it changes
                String failure = applyCompleted(state, inFlight, status);
                state.setInFlight(null);
                state.setInFlightPhase(null);
                state.setLastFailure(failure);
                if (failure == null) {
                    evaluate(state, activity, now);
                } else {
                    schedule(state, now + catalogue.policy().cooldownMs());
                }
                saveActivity(key, activity);
            }
            case FAILED, SUPERSEDED -> { // SUPERSEDED: the migrator saw a newer command; nothing was changed
                state.setInFlight(null);
                state.setInFlightPhase(null);
                state.setLastFailure(status.getErrorCode() != null ? status.getErrorCode()
                        : status.getPhase() == io.tierflow.schemas.MigrationPhase.SUPERSEDED ? "superseded" : "failed");
                // Not at once: a site that just failed is not hammered; try again after the cooldown.
                schedule(state, now + catalogue.policy().cooldownMs());
            }
            default -> state.setInFlightPhase(status.getPhase()); // progress: only shown to readers
        }
        save(key, state, held, now);
    }

    /**
     * An operator's REOPTIMIZE: listed datasets are evaluated now; target '*' with no keys makes every dataset of this
     * partition due now, so the punctuator re-evaluates them within its per-run bound.
     */
    private void onReoptimize(ControlCommand command, long timestamp) {
        long now = Math.max(timestamp, context.currentStreamTimeMs());
        // Decided on the catalogue as it is now, not as the last punctuation saw it (a change makes the rest due).
        catalogueChanged |= catalogue.refresh();
        if (!command.getKeys().isEmpty()) {
            for (String key : command.getKeys()) {
                DatasetState state = states.get(key);
                if (state == null || state.getInventory() == null) {
                    continue; // not a dataset of this partition, or nothing known to place yet
                }
                CostLedgerWriter.Footprint held = CostLedgerWriter.footprint(state);
                DatasetActivity activity = activityOf(key, state);
                evaluate(state, activity, now);
                save(key, state, held, now);
                saveActivity(key, activity);
            }
        } else if (ALL.equals(command.getTarget())) {
            // An operator action, rare by nature: a scan of the partition's datasets is acceptable here. Only the due
            // index changes, so the evaluations themselves are spread over the next punctuations. The scan keeps keys
            // only (not records of a kilobyte each); each record is read again when it is rescheduled.
            List<String> placed = new ArrayList<>();
            try (KeyValueIterator<String, DatasetState> all = states.all()) {
                all.forEachRemaining(entry -> {
                    if (entry.value.getInventory() != null) {
                        placed.add(entry.key);
                    }
                });
            }
            for (String key : placed) { // written after the scan: a store is not changed under its iterator
                DatasetState state = states.get(key);
                schedule(state, now);
                states.put(key, state);
            }
        } else {
            throw new IllegalArgumentException("REOPTIMIZE needs dataset keys, or target '" + ALL
                    + "' for every dataset; got target '" + command.getTarget() + "' and no keys");
        }
    }

    /** Applies a completed step to the actual placement; returns an error code if it must not be trusted. */
    private static String applyCompleted(DatasetState state, MigrationCommand command, MigrationStatus status) {
        List<String> replicas = new ArrayList<>(state.getReplicaSites());
        switch (command.getAction()) {
            case COPY -> {
                String expected = state.getInventory() == null ? null : state.getInventory().getSha256();
                if (expected == null || !expected.equalsIgnoreCase(Objects.requireNonNullElse(status.getSha256(), ""))) {
                    return "checksum_mismatch";
                }
                if (command.getDestinationSite().equals(state.getPrimarySite())) {
                    state.setStorageClass(command.getStorageClass());
                } else if (!replicas.contains(command.getDestinationSite())) {
                    replicas.add(command.getDestinationSite());
                }
            }
            case SWITCH -> {
                String previous = state.getPrimarySite();
                replicas.remove(command.getDestinationSite());
                if (previous != null && !replicas.contains(previous)) {
                    replicas.add(previous);
                }
                state.setPrimarySite(command.getDestinationSite());
                state.setStorageClass(command.getStorageClass());
            }
            case RETIRE -> replicas.remove(command.getSourceSite());
            default -> throw new IllegalStateException("unknown action " + command.getAction());
        }
        state.setReplicaSites(replicas);
        return null;
    }

    private void evaluateDue(long wallClockMs) {
        catalogueChanged |= catalogue.refresh();
        long streamTime = context.currentStreamTimeMs();
        long now = settings.eventTimeClock() ? streamTime : Math.max(streamTime, wallClockMs);
        if (now <= 0) {
            return;
        }
        if (catalogueChanged) {
            // Prices, sites, the policy or the model changed: every dataset is looked at again, within the bound per
            // punctuation. Only the index changes; a restart before they all were makes each dataset due within the
            // longest interval since its last look (see rebuildFromDatasetRecords).
            dueIndex.addEveryBy(now);
            catalogueChanged = false;
        }
        signalSiteChanges(now);
        reportBacklog(now);
        costs.chargeStorage(now);
        for (DueIndex.Due due : dueIndex.takeDue(now, settings.maxEvaluationsPerPunctuation())) {
            String key = due.key();
            DatasetState state = states.get(key);
            if (state == null) {
                continue; // cannot happen while the index follows every record (a deleted dataset leaves it)
            }
            CostLedgerWriter.Footprint held = CostLedgerWriter.footprint(state);
            state.setDueAt(-1L);
            if (state.getInventory() != null) {
                DatasetActivity stored = loadActivity(key);
                DatasetActivity activity = stored != null ? stored : restore(state);
                boolean readsToCharge = !activity.uncharged.isEmpty();
                Tier tierBefore = activity.tier;
                evaluate(state, activity, now);
                // Most due datasets are idle: their look changes the dataset record only. The activity value is
                // written when the look changed it (reads charged and cleared, a new tier) or it is new, which
                // spares most due evaluations a serialization and a record-cache write.
                if (stored == null || readsToCharge || activity.tier != tierBefore) {
                    saveActivity(key, activity);
                }
                finishUpdates(); // readers may copy them again before the next dataset is looked at
            } else {
                dueIndex.unschedule(key);
            }
            save(key, state, held, now);
        }
    }

    /** Writes a dataset record whose storage was {@code held} when it was read (see {@link CostLedgerWriter#hold}). */
    private void save(String key, DatasetState state, CostLedgerWriter.Footprint held, long now) {
        costs.hold(held, CostLedgerWriter.footprint(state), now);
        states.put(key, state);
    }

    /**
     * Tells the alert manager this task's count of commands in flight, when it changed since the last report: the
     * MIGRATION_BACKLOG alert's value is the sum over the tasks. A count, not a signal per command: a report lost with
     * an aborted transaction is made again when the task starts again (it counts from its records), where a lost or
     * repeated +1 / -1 would have shifted the sum for good; and a burst of commands (a whole inventory arriving) is one
     * report a second per task rather than one record per command through the repartition topic.
     */
    private void reportBacklog(long now) {
        if (commandsInFlight == inFlightReported) {
            return;
        }
        signal(BACKLOG_ALERT, AlertType.MIGRATION_BACKLOG, Severity.WARNING, context.taskId().toString(),
                commandsInFlight >= AlertRules.BACKLOG_LIMIT, 0, commandsInFlight, AlertRules.BACKLOG_LIMIT,
                "migration commands in flight", now);
        inFlightReported = commandsInFlight;
    }

    /** Every task sees the catalogue; each reports changes, and the alert manager publishes a change once. */
    private void signalSiteChanges(long now) {
        for (io.tierflow.streams.domain.SiteOffer site : catalogue.sites()) {
            Boolean before = siteUp.put(site.name(), site.up());
            boolean wasDown = before != null && !before;
            if (!site.up() && !wasDown || site.up() && wasDown) {
                signal("SITE_DOWN:" + site.name(), AlertType.SITE_DOWN, Severity.CRITICAL, site.name(), !site.up(), 0,
                        site.up() ? 1 : 0, 1, "site " + site.name() + (site.up() ? " is up again" : " is down"), now);
            }
        }
    }

    /** Latency and cost alerts from the reads charged since the last evaluation. */
    private void checkReadAlerts(DatasetState state, CostLedgerWriter.ReadCosts reads, long now) {
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

    /** Decides tier and placement, emits the decision and the next migration step, schedules the next look. */
    private void evaluate(DatasetState state, DatasetActivity dataset, long now) {
        long started = System.nanoTime();
        CostLedgerWriter.ReadCosts reads = costs.price(state, dataset.uncharged);
        checkReadAlerts(state, reads, now);
        costs.chargeReads(state, dataset.uncharged, reads, now);
        Activity activity = dataset.activity;
        TieringPolicy policy = catalogue.policy();
        Dataset inventory = state.getInventory();
        Features features = activity.features(now, inventory.getSizeBytes(), policy.halfLifeMs());
        double pHotSoon = catalogue.scorer().score(features);
        double boosted = features.heat() + policy.scoreBoost() * pHotSoon;
        Tier tier = TierDecider.decide(boosted, StateMapper.tier(state.getTier()), policy);

        Set<String> held = new HashSet<>(state.getReplicaSites());
        if (state.getPrimarySite() != null) {
            held.add(state.getPrimarySite());
        }
        double sla = inventory.getLatencySlaMs() != null ? inventory.getLatencySlaMs() : policy.defaultSlaMs();
        PlacementRequest request = new PlacementRequest(state.getKey(), inventory.getSizeBytes(), tier,
                policy.replicationFor(tier), sla, policy.encryptedOnly(), policy.horizonMonths(), state.getPrimarySite(),
                held, activity.monthlyGbByRegion(now, policy.halfLifeMs()),
                activity.monthlyRequests(now, policy.halfLifeMs()));
        PlacementDecision decision = PlacementOptimizer.optimize(request, catalogue.sites());

        Placement placement = placement(state, decision, features.heat(), pHotSoon, boosted, policy,
                catalogue.scorer().version(), now);
        if (!sameDecision(state.getLastPlacement(), placement)) {
            context.forward(new Record<>(state.getKey(), TieringOutput.placement(placement), now));
        }
        state.setLastPlacement(placement);
        state.setTier(StateMapper.tier(tier));
        if (dataset.tier != tier) {
            dataset.tier = tier; // only if it changes: see WriteBehindStore.put on why
        }

        if (state.getInFlight() == null) {
            MigrationPlanner.Actual actual = new MigrationPlanner.Actual(state.getPrimarySite(),
                    state.getReplicaSites(), state.getStorageClass(), state.getLastMoveAt());
            Optional<MigrationPlanner.Step> step = MigrationPlanner.next(actual, decision, request, catalogue.sites(),
                    policy, now);
            step.ifPresent(s -> issue(state, s, now));
        }
        double demoteBelow = TierDecider.demotionThreshold(tier, policy) - policy.scoreBoost() * pHotSoon;
        long demotionAt = demoteBelow <= 0 ? Long.MAX_VALUE
                : DecayedHeat.timeToFallTo(features.heat(), now, demoteBelow, policy.halfLifeMs());
        scheduleAfterLook(state, now, demotionAt);
        metrics.evaluated(tier, System.nanoTime() - started, features.heat());
    }

    private void issue(DatasetState state, MigrationPlanner.Step step, long now) {
        Dataset inventory = state.getInventory();
        String id = CommandIds.of(state.getKey(), step.action(), step.source(), step.destination(), step.storageClass(),
                inventory.getVersionToken(), state.getCommandsIssued());
        MigrationCommand command = MigrationCommand.newBuilder()
                .setId(id)
                .setKey(state.getKey())
                .setAction(MigrationAction.valueOf(step.action()))
                .setSourceSite(step.source())
                .setDestinationSite(step.destination())
                .setStorageClass(step.storageClass())
                .setExpectedVersionToken(inventory.getVersionToken())
                .setExpectedSha256(inventory.getSha256())
                .setSizeBytes(inventory.getSizeBytes())
                .setNotBefore(step.notBeforeMs() > 0 ? Instant.ofEpochMilli(step.notBeforeMs()) : null)
                .setReason(step.reason())
                .setRequireEncryption(catalogue.policy().encryptedOnly())
                .setIssuedAt(Instant.ofEpochMilli(now))
                // What the migrator must keep and how new the decision is (issue 18): a RETIRE drops a replica and
                // deletes nothing unless the primary's copy is there; an older command than one it saw is skipped.
                .setSequence(state.getCommandsIssued() + 1)
                .setKeepSite("RETIRE".equals(step.action()) ? state.getPrimarySite() : null)
                .build();
        state.setInFlight(command);
        state.setInFlightPhase(null);
        state.setCommandsIssued(state.getCommandsIssued() + 1);
        state.setLastMoveAt(now);
        context.forward(new Record<>(state.getKey(), TieringOutput.command(command), now));
        metrics.commandIssued(command.getAction());
        commandsInFlight++;
    }

    /** Schedules the dataset's next look at {@code dueAt}, instead of any it had. */
    private void schedule(DatasetState state, long dueAt) {
        dueIndex.add(dueAt, state.getKey());
        state.setDueAt(dueAt);
    }

    /**
     * Schedules the next look after one at {@code now}: when the heat will have decayed below the tier's demotion
     * threshold ({@code Long.MAX_VALUE}: never), not sooner than the shortest interval. Nothing else is scheduled: a
     * read, a migration step, an operator or a change of the catalogue makes a dataset due when it happens, so an idle
     * dataset is not looked at until its tier can change (a restart is the exception: see rebuildFromDatasetRecords).
     */
    private void scheduleAfterLook(DatasetState state, long now, long demotionAt) {
        if (demotionAt == Long.MAX_VALUE) {
            dueIndex.unschedule(state.getKey());
            state.setDueAt(-1L);
        } else {
            schedule(state, Math.max(now + settings.minReevaluation().toMillis(), demotionAt));
        }
    }

    private static Placement placement(DatasetState state, PlacementDecision decision, double heat, double pHotSoon,
            double boosted, TieringPolicy policy, String modelVersion, long now) {
        List<SiteScore> scores = new ArrayList<>();
        for (PlacementDecision.SiteEvaluation e : decision.evaluations()) {
            scores.add(SiteScore.newBuilder().setSite(e.site()).setStorageUsdPerMonth(finite(e.storageUsd()))
                    .setEgressUsdPerMonth(finite(e.egressUsd())).setMoveUsd(finite(e.moveUsd()))
                    .setFeasible(e.feasible()).setRejectedBecause(e.rejectedBecause()).build());
        }
        boolean placed = decision.isPlaced();
        return Placement.newBuilder()
                .setKey(state.getKey())
                .setTier(StateMapper.tier(decision.tier()))
                .setPrimarySite(placed ? decision.primary() : Objects.requireNonNullElse(state.getPrimarySite(), ""))
                .setReplicaSites(placed ? decision.replicas() : state.getReplicaSites())
                .setStorageClass(placed ? decision.storageClass()
                        : Objects.requireNonNullElse(state.getStorageClass(), ""))
                .setObjectiveUsdPerMonth(finite(decision.objective()))
                .setExplanation(PlacementExplanation.newBuilder()
                        .setHeat(heat).setPHotSoon(pHotSoon).setBoostedHeat(boosted)
                        .setHotThreshold(policy.hotThreshold()).setWarmThreshold(policy.warmThreshold())
                        .setModelVersion(modelVersion)
                        .setPolicyName(policy.name())
                        .setBindingConstraint(decision.bindingConstraint())
                        .setSiteScores(scores)
                        .build())
                .setDecidedAt(Instant.ofEpochMilli(now))
                .build();
    }

    /** Same tier, sites, class and binding constraint: re-publishing it would only repeat the decision. */
    private static boolean sameDecision(Placement previous, Placement next) {
        return previous != null && previous.getTier() == next.getTier()
                && previous.getPrimarySite().equals(next.getPrimarySite())
                && previous.getReplicaSites().equals(next.getReplicaSites())
                && previous.getStorageClass().equals(next.getStorageClass())
                && Objects.equals(previous.getExplanation().getBindingConstraint(),
                        next.getExplanation().getBindingConstraint());
    }

    /** {@code value} (not negative) with one decimal, as {@code %.1f} gives it for the values alerts show. */
    static String oneDecimal(double value) {
        long tenths = Math.round(value * 10);
        return tenths / 10 + "." + tenths % 10;
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0.0;
    }
}
