package io.tierflow.streams;

import io.tierflow.catalogue.CatalogueRules;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.schemas.CostLedger;
import io.tierflow.schemas.DatasetState;
import io.tierflow.streams.codec.RecordCopies;
import io.tierflow.topics.Topic;
import io.tierflow.topics.Topics;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The tiering topology of DESIGN.md, built in one place and used by the app, the tests and what-if alike.
 *
 * <pre>
 * access-events ──┐ (one source)                    ┌─▶ placements
 * datasets ───────┤                                 ├─▶ migration-commands
 * migration-status┼─▶ dataset-processor ────────────┼─▶ alert-signals (repartition by alert id) ──────┐
 * control ──┬─────┘   (gate first: invalid →        └─▶ misplaced records back to their own topic     │
 *  REOPTIMIZE          dead-letters; dataset-activity,     (dataset-inputs-rerouted-sink)              ▼
 *           │          dataset-state, cost-ledger,                       alert-manager (alerts-store,
 *           ├── catalogue-alert-reporter ─────────────────────────────▶  alert-counts, alert-members) ─▶ alerts
 *           └── other types ─▶ alert-control (repartition) ─────────────────────────────▲
 * sites, policies, models ─▶ global stores (a refused record leaves the last good one) read by dataset-processor
 * </pre>
 * The dataset inputs (and control's re-optimisation requests) are co-partitioned by dataset key, so one processor
 * owns all of a dataset's state; alerts are keyed by alert id (a group's for a dataset's condition), so their signals
 * are repartitioned to the task that owns each alert, where the operator's acknowledgements (control, keyed by alert
 * id) arrive too.
 */
public final class TieringTopology {
    public static final String DATASET_STATE_STORE = "dataset-state";
    public static final String DATASET_ACTIVITY_STORE = "dataset-activity";
    public static final String COST_LEDGER_STORE = "cost-ledger";
    public static final String ALERTS_STORE = "alerts-store";
    /** What each task's share of the migration budget counts and which moves wait for it (MigrationBudgetCodec). */
    public static final String MIGRATION_BUDGET_STORE = "migration-budget";
    /** Counted alerts' counts per reporting task (MIGRATION_BACKLOG: commands in flight per dataset-processor task). */
    public static final String ALERT_COUNTS_STORE = "alert-counts";
    /** The members of each group alert (see {@link AlertMembers} for the layout). */
    public static final String ALERT_MEMBERS_STORE = "alert-members";
    public static final String SITES_STORE = "sites-store";
    public static final String POLICIES_STORE = "policies-store";
    public static final String MODELS_STORE = "models-store";
    /** Name of the internal topic alert signals travel on ({@code <application.id>-alert-signals-repartition}). */
    public static final String ALERT_SIGNALS = "alert-signals";
    /**
     * How the name of the topic the alert manager's store is partitioned like ends: {@code <application.id>} followed
     * by this (the alert-signals repartition topic; the store is not partitioned like {@code control} any more).
     */
    public static final String ALERTS_PARTITIONED_LIKE_SUFFIX = "-" + ALERT_SIGNALS + "-repartition";
    /** Name of the internal topic operator commands for alerts travel on ({@code <application.id>-alert-control-repartition}). */
    public static final String ALERT_CONTROL = "alert-control";

    /**
     * Size of a generation of the activity values a task holds as objects (at most two generations, plus the values
     * written since the last commit): about 1 KB of heap each, so up to about 60 MB per task, 360 MB for the six
     * partitions of a topic created with the defaults. A task with fewer datasets than this holds all of them, and an
     * access event never reads RocksDB: with 20 000, a task of 33 k datasets (the benchmark's, on three partitions)
     * read a tenth of its events' values from RocksDB (docs/perf-log has the measurement).
     */
    static final int ACTIVITIES_HELD_PER_TASK = 30_000;
    /** Cost-ledger entries held per generation: there are a few per site and tier, so in practice all of them. */
    static final int LEDGER_ENTRIES_HELD_PER_TASK = 1_000;
    static final String DATASET_PROCESSOR = "dataset-processor";
    static final String ALERT_MANAGER = "alert-manager";

    private TieringTopology() {
    }

    /** The topology without metrics (tools and tests that do not export them). */
    public static Topology build(Topics topics, TieringSettings settings) {
        return build(topics, settings, TieringMetrics.noop());
    }

    /** The topology, counting what it does in {@code metrics}. */
    public static Topology build(Topics topics, TieringSettings settings, TieringMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        // Policies, sites and models are checked with the API's rules; a refused one leaves the last good one in force
        // and raises an alert (CatalogueAlertReporter, below).
        // The metrics' refusals: DeadLetterHandler, which Kafka Streams creates by class name, reports through them a
        // catalogue record that cannot even be read.
        CatalogueRefusals refusals = metrics.catalogueRefusals();
        CatalogueChanges catalogueChanges = new CatalogueChanges();
        addGlobalStore(builder, topics.sites, SITES_STORE, CatalogueRules::siteProblem, metrics, refusals,
                catalogueChanges);
        addGlobalStore(builder, topics.policies, POLICIES_STORE, (key, policy) -> CatalogueRules.policyProblem(policy),
                metrics, refusals, catalogueChanges);
        addGlobalStore(builder, topics.models, MODELS_STORE, (key, model) -> CatalogueRules.modelProblem(model)
                .or(() -> StateMapper.modelProblem(key, model)),
                metrics, refusals, catalogueChanges);

        // Read and written on every access event, and popularity is skewed: the store holds the values written since
        // the last commit as objects, so a popular dataset's many writes between two commits cost one serialization,
        // one RocksDB write and one changelog record (see store.WriteBehindStore; settings.stores() may choose the
        // stock store instead).
        builder.addStateStore(settings.stores().builder(DATASET_ACTIVITY_STORE, new DatasetActivitySerde(),
                DatasetActivity::copy, ACTIVITIES_HELD_PER_TASK));
        // Read and written only when a dataset is evaluated or its inventory or migration changes, rarely twice between
        // two commits: no record cache, which leaves the thread's cache to the activity values that it does help (a
        // replay holds them as objects, see StoreImplementation.recordBuilder).
        builder.addStateStore(settings.stores().recordBuilder(DATASET_STATE_STORE,
                topics.valueSerde(DatasetState.class), RecordCopies::datasetState));
        // A handful of keys (site and tier) updated at every evaluation: held as objects between commits too.
        builder.addStateStore(settings.stores().builder(COST_LEDGER_STORE, topics.valueSerde(CostLedger.class),
                ledger -> CostLedger.newBuilder(ledger).build(), LEDGER_ENTRIES_HELD_PER_TASK));
        // Logged: copies counted against the budget and moves waiting for it survive a restart or a rebalance.
        builder.addStateStore(settings.stores().keyValueBuilder(MIGRATION_BUDGET_STORE,
                Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(settings.stores().keyValueBuilder(ALERTS_STORE,
                Serdes.String(), topics.valueSerde(Alert.class)).withCachingEnabled());
        builder.addStateStore(settings.stores().keyValueBuilder(ALERT_COUNTS_STORE,
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALERT_MEMBERS_STORE),
                Serdes.String(), topics.valueSerde(AlertSignal.class)));

        // One source for the three topics keyed by dataset (see DatasetInputs for why). The access events' own time is
        // their event time; the other two keep their record timestamps (AccessEventTimestamps falls back to them). An
        // access dated in the future keeps the partition's time, and the gate dead-letters it.
        AccessEventRules eventRules = AccessEventRules.of(settings);
        KStream<String, Object> inputs = builder.stream(DatasetInputs.TOPICS,
                Consumed.with(Serdes.String(), DatasetInputs.valueSerde(topics))
                        .withTimestampExtractor(new AccessEventTimestamps(eventRules))
                        .withName("dataset-inputs-source"));
        // A topic has one source node, so control is split by type: re-optimisation requests (keyed by dataset key,
        // or '*' for a whole partition) go to the dataset processor, everything else (acknowledgements, keyed by
        // alert id) to the alert manager. Acknowledgements travel through their own repartition topic so the alert
        // manager stays out of the dataset processor's sub-topology: every extra input of that task costs work on
        // each access event (Kafka Streams checks every input partition of a task before each record).
        KStream<String, ControlCommand> control = builder.stream(Topics.CONTROL,
                Consumed.with(Serdes.String(), topics.control.valueSerde()).withName("control-source"));
        KStream<String, Object> reoptimize = control
                .filter((k, c) -> c != null && c.getType() == ControlType.REOPTIMIZE, Named.as("control-reoptimize"))
                .mapValues(v -> (Object) v, Named.as("reoptimize-input"));

        // The processor's first step, the gate (DatasetInputsGate), dead-letters records that break their topic's
        // rules and writes a record on a partition that does not own its key back to its topic, on the partition that
        // does (a producer not partitioning by murmur2).
        KStream<String, TieringOutput> outputs = inputs
                .merge(reoptimize, Named.as("merge-reoptimize"))
                .process(() -> new DatasetProcessor(settings, eventRules, metrics, catalogueChanges),
                        Named.as(DATASET_PROCESSOR), DATASET_ACTIVITY_STORE, DATASET_STATE_STORE, COST_LEDGER_STORE,
                        MIGRATION_BUDGET_STORE);
        outputs.filter((k, o) -> o.kind() == TieringOutput.Kind.REROUTED, Named.as("rerouted-only"))
                .mapValues(TieringOutput::input, Named.as("rerouted-value"))
                .to((key, value, context) -> context.topic(), Produced.with(Serdes.String(),
                        DatasetInputs.reroutedSerde(topics)).withName(DatasetInputs.REROUTED_SINK));

        outputs.filter((k, o) -> o.kind() == TieringOutput.Kind.PLACEMENT, Named.as("placements-only"))
                .mapValues(TieringOutput::placement, Named.as("placement-value"))
                .to(Topics.PLACEMENTS, Produced.with(Serdes.String(), topics.placements.valueSerde())
                        .withName("placements-sink"));
        outputs.filter((k, o) -> o.kind() == TieringOutput.Kind.COMMAND, Named.as("commands-only"))
                .mapValues(TieringOutput::command, Named.as("command-value"))
                .to(Topics.MIGRATION_COMMANDS, Produced.with(Serdes.String(), topics.migrationCommands.valueSerde())
                        .withName("migration-commands-sink"));

        KStream<String, AlertSignal> catalogueSignals = control.process(
                () -> new CatalogueAlertReporter(refusals, settings.evaluationInterval()),
                Named.as("catalogue-alert-reporter"));
        KStream<String, SpecificRecord> signals = outputs
                .filter((k, o) -> o.kind() == TieringOutput.Kind.ALERT_SIGNAL, Named.as("alert-signals-only"))
                .mapValues(TieringOutput::signal, Named.as("alert-signal-value"))
                .merge(catalogueSignals, Named.as("merge-catalogue-alerts"))
                .repartition(Repartitioned.with(Serdes.String(), topics.valueSerde(AlertSignal.class))
                        .withName(ALERT_SIGNALS))
                .mapValues(v -> (SpecificRecord) v, Named.as("alert-signals-input"));
        KStream<String, SpecificRecord> acknowledgements = control
                .filter((k, c) -> c != null && c.getType() != ControlType.REOPTIMIZE, Named.as("control-for-alerts"))
                .repartition(Repartitioned.with(Serdes.String(), topics.control.valueSerde()).withName(ALERT_CONTROL))
                .mapValues(v -> (SpecificRecord) v, Named.as("alert-control-input"));
        signals.merge(acknowledgements, Named.as("merge-control"))
                .process(() -> new AlertManager(metrics, settings.alertPacing()), Named.as(ALERT_MANAGER), ALERTS_STORE,
                        ALERT_COUNTS_STORE, ALERT_MEMBERS_STORE)
                .to(Topics.ALERTS, Produced.with(Serdes.String(), topics.alerts.valueSerde()).withName("alerts-sink"));
        return builder.build();
    }

    private static <V> void addGlobalStore(StreamsBuilder builder, Topic<String, V> topic, String storeName,
            BiFunction<String, V, Optional<String>> problem, TieringMetrics metrics, CatalogueRefusals refusals,
            CatalogueChanges changes) {
        // Global stores restore from their topic itself, so they need no changelog of their own.
        StoreBuilder<KeyValueStore<String, V>> store = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(storeName), Serdes.String(), topic.valueSerde()).withLoggingDisabled();
        builder.addGlobalStore(store, topic.name(),
                Consumed.with(Serdes.String(), topic.valueSerde()).withName(topic.name() + "-global-source"),
                () -> new GlobalStoreUpdater<>(storeName, topic.name(), problem, metrics, refusals, changes));
    }
}
