package io.tierflow.streams;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.streams.domain.CapacityShare;
import io.tierflow.topics.Topics;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import io.tierflow.streams.store.UpdatableStore;

/**
 * The per-dataset state machine: access events update activity ({@link AccessEvents}), inventory records, migration
 * statuses and operators change the dataset records ({@link DatasetChanges}), and the clock evaluates the datasets
 * that are due ({@link DuePunctuator}). Whenever the tier may have changed, or something else that decides the
 * placement did, the dataset is evaluated ({@link DatasetEvaluation}). An access event reads and writes only the small
 * {@code dataset-activity} value; the dataset record ({@code dataset-state}) is read and written, and the placement
 * searched, only when the tier may change, the inventory changes, a migration step reports, an operator asks, or the
 * dataset's due time (when its heat will have decayed below its tier's demotion threshold) comes.
 */
final class DatasetProcessor implements Processor<String, Object, String, TieringOutput> {
    private final TieringSettings settings;
    private final TieringMetrics metrics;
    // Kept across restarts of the task (init runs again then): what they remember outlives the task's stores.
    private final DatasetAlerts alerts = new DatasetAlerts();
    private final RegionNames regionNames = new RegionNames();
    /** The serving sites events name, one instance per name, as the read tally compares them like regions. */
    private final RegionNames siteNames = new RegionNames();
    /** Keys with events but no inventory entry a task holds the activity of (see UnregisteredActivity). */
    static final int UNREGISTERED_KEYS = 1_000;
    /** How long after its first event such a key's activity waits for its inventory entry. */
    static final java.time.Duration UNREGISTERED_FOR = java.time.Duration.ofHours(1);
    private final DueScheduler due;
    private final DatasetInputsGate gate;
    private final CatalogueChanges catalogueChanges;
    private ProcessorContext<String, TieringOutput> context;
    private DatasetRecords records;
    private AccessEvents accessEvents;
    private DatasetChanges changes;
    private LiveModelScoring live;
    private MigrationAdmission admission;

    DatasetProcessor(TieringSettings settings, AccessEventRules eventRules, TieringMetrics metrics,
            CatalogueChanges catalogueChanges) {
        this.settings = settings;
        this.catalogueChanges = catalogueChanges;
        this.metrics = metrics;
        this.due = new DueScheduler(settings, metrics);
        this.gate = new DatasetInputsGate(eventRules, metrics);
    }

    @Override
    public void init(ProcessorContext<String, TieringOutput> context) {
        this.context = context;
        gate.init(context);
        Catalogue catalogue = new Catalogue(context.getStateStore(TieringTopology.POLICIES_STORE),
                context.getStateStore(TieringTopology.MODELS_STORE),
                context.getStateStore(TieringTopology.SITES_STORE), catalogueChanges, settings.models().candidates());
        catalogue.refresh();
        CostLedgerWriter costs = new CostLedgerWriter(
                updatableStore(context.getStateStore(TieringTopology.COST_LEDGER_STORE)), catalogue);
        int partitions = DatasetInputsGate.partitions(context.appConfigs().get(DatasetInputsGate.PARTITIONS_CONFIG));
        SiteCapacity capacity = new SiteCapacity(new CapacityShare(settings.capacityHeadroom(), partitions));
        records = new DatasetRecords(context.getStateStore(TieringTopology.DATASET_STATE_STORE),
                updatableStore(context.getStateStore(TieringTopology.DATASET_ACTIVITY_STORE)), costs, due, capacity);
        long commandsInFlight = records.rebuild();
        alerts.start(context);
        live = new LiveModelScoring(catalogue, settings.models(), metrics.modelScoreboard(),
                context.taskId().partition());
        if (admission != null) {
            metrics.untrack(admission);
        }
        admission = new MigrationAdmission(context.getStateStore(TieringTopology.MIGRATION_BUDGET_STORE),
                context.getStateStore(TieringTopology.DATASET_STATE_STORE), catalogue, due, alerts, settings,
                partitions);
        metrics.track(admission);
        MigrationCommands commands = new MigrationCommands(context, catalogue, metrics, commandsInFlight,
                !settings.eventTimeClock(), admission);
        DatasetEvaluation evaluation = new DatasetEvaluation(context, catalogue, costs, alerts, commands, due,
                metrics, live, capacity);
        UnregisteredActivity unregistered = new UnregisteredActivity(UNREGISTERED_KEYS,
                UNREGISTERED_FOR.toMillis(), metrics::unregisteredDropped);
        accessEvents = new AccessEvents(records, unregistered, evaluation, alerts, due, catalogue, regionNames,
                siteNames, metrics);
        changes = new DatasetChanges(context, records, unregistered, evaluation, commands, due, costs, catalogue);
        DuePunctuator punctuator = new DuePunctuator(settings, catalogue, records, evaluation, due, alerts, commands,
                costs, live, admission);
        // Wall-clock punctuation: it must fire on partitions that receive nothing (cold data gets no events).
        // Which time it evaluates at is the clock setting's choice (see TieringSettings.eventTimeClock).
        context.schedule(settings.evaluationInterval(), PunctuationType.WALL_CLOCK_TIME, wallClockMs -> {
            try {
                punctuator.punctuate(wallClockMs, context.currentStreamTimeMs());
            } finally {
                records.finishUpdates();
            }
        });
    }

    @Override
    public void close() {
        due.close();
        if (live != null) {
            live.close();
        }
        if (admission != null) {
            metrics.untrack(admission);
        }
    }

    /**
     * Checks a record at the edge ({@link DatasetInputsGate}), then routes it by its topic. Values held for in-place changes (activity, cost-ledger entries) are handed back
     * to readers after each record, whether it was processed or failed.
     */
    @Override
    public void process(Record<String, Object> record) {
        String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
        if (!gate.admits(record, topic)) {
            return;
        }
        try {
            switch (topic) {
                case Topics.ACCESS_EVENTS -> accessEvents.count(record.key(), (AccessEvent) record.value(),
                        record.timestamp(), context.currentStreamTimeMs());
                case Topics.DATASETS -> changes.inventory(record.key(), (Dataset) record.value(), record.timestamp(),
                        now(record));
                case Topics.MIGRATION_STATUS -> changes.status(record.key(), (MigrationStatus) record.value(),
                        now(record));
                case Topics.CONTROL -> changes.reoptimize((ControlCommand) record.value(), now(record));
                default -> throw new IllegalStateException("dataset processor is not wired to topic " + topic);
            }
        } finally {
            records.finishUpdates();
        }
    }

    /** The time a change is made at: the record's, or stream time if the record is late. */
    private long now(Record<String, Object> record) {
        return Math.max(record.timestamp(), context.currentStreamTimeMs());
    }

    /** The store as the configured implementation updates it (Kafka Streams internals stay in its package). */
    private <V> UpdatableStore<V> updatableStore(StateStore store) {
        return settings.stores().open(store);
    }
}
