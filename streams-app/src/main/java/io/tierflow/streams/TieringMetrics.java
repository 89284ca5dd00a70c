package io.tierflow.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.streams.domain.Activity;
import io.tierflow.streams.domain.Tier;
import io.tierflow.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The topology's own counters and histograms (Prometheus names {@code tierflow_*}, base units, {@code _total} for
 * counters). Every meter is created here once, for every value of its tags, so the hot path only increments a
 * cached object (no registry or tag lookup per event) and every series exists, at zero, from the start.
 * Per-dataset facts are never tags: the heat of datasets is a histogram.
 */
public final class TieringMetrics {
    /** Config key under which the app hands this object to the handlers Kafka Streams creates by class name. */
    public static final String CONFIG = "tierflow.metrics";
    /** Upper bounds of the heat histogram: around the built-in warm (2) and hot (20) thresholds, and far above. */
    /** Topics whose records are checked against their rules (DatasetInputsGate, GlobalStoreUpdater). */
    static final List<String> CHECKED_TOPICS = List.of(Topics.ACCESS_EVENTS, Topics.DATASETS,
            Topics.MIGRATION_STATUS, Topics.CONTROL, Topics.POLICIES, Topics.SITES, Topics.MODELS);
    /** Topics keyed by dataset, whose records are re-routed when they sit on another partition. */
    static final List<String> REROUTED_TOPICS = List.of(Topics.ACCESS_EVENTS, Topics.DATASETS,
            Topics.MIGRATION_STATUS, Topics.CONTROL);
    static final double[] HEAT_BUCKETS = {0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000};

    private final Counter[] accessEvents = new Counter[Activity.Outcome.values().length];
    private final Counter[] evaluations = new Counter[Tier.values().length];
    private final Counter[] commands = new Counter[MigrationAction.values().length];
    private final Counter deserializationDeadLetters;
    private final Counter unregisteredDropped;
    private final Counter processingDeadLetters;
    private final Counter validationDeadLetters;
    private final Map<String, Counter> rejected = new HashMap<>();
    private final Map<String, Counter> rerouted = new HashMap<>();
    private final Counter[][] alertTransitions = new Counter[AlertType.values().length][AlertState.values().length];
    private final Timer evaluationTime;
    private final DistributionSummary heat;
    /** The due indexes of this instance's dataset-processor tasks. */
    private final Set<DueIndex> dueIndexes = ConcurrentHashMap.newKeySet();
    private final ModelScoreboard modelScoreboard;
    /** Held here because this object is what the handlers Kafka Streams creates by class name are given. */
    private final CatalogueRefusals catalogueRefusals = new CatalogueRefusals();

    public TieringMetrics(MeterRegistry registry) {
        modelScoreboard = new ModelScoreboard(registry);
        unregisteredDropped = Counter.builder("tierflow.unregistered.keys.dropped")
                .description("Keys whose access events were counted without an inventory entry and dropped unclaimed")
                .register(registry);
        for (Activity.Outcome outcome : Activity.Outcome.values()) {
            accessEvents[outcome.ordinal()] = Counter.builder("tierflow.access.events")
                    .description("Access events read, by what they did to the dataset's activity")
                    .tag("outcome", lower(outcome)).register(registry);
        }
        for (Tier tier : Tier.values()) {
            evaluations[tier.ordinal()] = Counter.builder("tierflow.placement.evaluations")
                    .description("Placement evaluations, by the tier they decided")
                    .tag("tier", lower(tier)).register(registry);
        }
        for (MigrationAction action : MigrationAction.values()) {
            commands[action.ordinal()] = Counter.builder("tierflow.migration.commands.issued")
                    .description("Migration commands the topology issued, by action")
                    .tag("action", lower(action)).register(registry);
        }
        deserializationDeadLetters = deadLetters(registry, "deserialization");
        processingDeadLetters = deadLetters(registry, "processing");
        validationDeadLetters = deadLetters(registry, "validation");
        for (String topic : CHECKED_TOPICS) {
            rejected.put(topic, Counter.builder("tierflow.records.rejected")
                    .description("Records read from Kafka that broke a rule of their topic (sent to dead-letters; for "
                            + "policies, sites and models the last good record stays in force), by topic")
                    .tag("topic", topic).register(registry));
        }
        for (String topic : REROUTED_TOPICS) {
            rerouted.put(topic, Counter.builder("tierflow.records.rerouted")
                    .description("Records produced to a partition that does not own their key (a producer not using "
                            + "Kafka's default murmur2 partitioner), sent on to the one that does, by topic")
                    .tag("topic", topic).register(registry));
        }
        for (AlertType type : AlertType.values()) {
            for (AlertState state : AlertState.values()) {
                alertTransitions[type.ordinal()][state.ordinal()] = Counter.builder("tierflow.alerts")
                        .description("Alert state changes published to the alerts topic, by type and new state")
                        .tag("type", lower(type)).tag("state", lower(state)).register(registry);
            }
        }
        // Fixed buckets rather than percentiles: they aggregate across nodes, and an evaluation takes microseconds
        // (a placement search over a handful of sites) unless something is wrong.
        evaluationTime = Timer.builder("tierflow.placement.evaluation")
                .description("Time to decide one dataset's tier, placement and next migration step")
                .serviceLevelObjectives(Duration.ofNanos(10_000), Duration.ofNanos(25_000), Duration.ofNanos(50_000),
                        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
                        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100))
                .register(registry);
        heat = DistributionSummary.builder("tierflow.dataset.heat")
                .description("Decayed heat of datasets at their evaluations (decayed accesses, weighted by operation)")
                .serviceLevelObjectives(HEAT_BUCKETS)
                .register(registry);
        Gauge.builder("tierflow.datasets.scheduled", dueIndexes,
                        indexes -> indexes.stream().mapToInt(DueIndex::size).sum())
                .description("Datasets of this instance's tasks with a next evaluation scheduled (the due indexes)")
                .register(registry);
    }

    /** The live figures of the models in force on this instance's tasks (and their gauges). */
    public ModelScoreboard modelScoreboard() {
        return modelScoreboard;
    }

    /** The catalogue records this instance's global stores refused (see {@link GlobalStoreUpdater}). */
    CatalogueRefusals catalogueRefusals() {
        return catalogueRefusals;
    }

    /** Meters that go nowhere: for topology tests and tools that do not export metrics. */
    public static TieringMetrics noop() {
        return new TieringMetrics(new CompositeMeterRegistry());
    }

    /** One access event read, with what it did (counted, a duplicate, or beyond the lateness bound). */
    void accessEvent(Activity.Outcome outcome) {
        accessEvents[outcome.ordinal()].increment();
    }

    /** One placement evaluation that decided {@code tier}, took {@code nanos} and saw the dataset at {@code heat}. */
    void evaluated(Tier tier, long nanos, double heat) {
        evaluations[tier.ordinal()].increment();
        evaluationTime.record(nanos, TimeUnit.NANOSECONDS);
        this.heat.record(heat);
    }

    /** Counts the datasets {@code index} holds in the scheduled-datasets gauge, until {@link #untrack}. */
    void track(DueIndex index) {
        dueIndexes.add(index);
    }

    void untrack(DueIndex index) {
        dueIndexes.remove(index);
    }

    void commandIssued(MigrationAction action) {
        commands[action.ordinal()].increment();
    }

    void deadLetter(boolean deserialization) {
        (deserialization ? deserializationDeadLetters : processingDeadLetters).increment();
    }

    /** A record dead-lettered because it broke a rule of its topic (see InvalidRecordException). */
    void invalidDeadLetter() {
        validationDeadLetters.increment();
    }

    /** A key with events but no inventory entry dropped unclaimed (see UnregisteredActivity). */
    void unregisteredDropped() {
        unregisteredDropped.increment();
    }

    /** A record of {@code topic} refused for breaking a rule of its topic. */
    void rejected(String topic) {
        Counter counter = rejected.get(topic);
        if (counter != null) {
            counter.increment();
        }
    }

    /** A record of {@code topic} sent on to the partition that owns its key. */
    void rerouted(String topic) {
        Counter counter = rerouted.get(topic);
        if (counter != null) {
            counter.increment();
        }
    }

    void alertChanged(AlertType type, AlertState state) {
        alertTransitions[type.ordinal()][state.ordinal()].increment();
    }

    private static Counter deadLetters(MeterRegistry registry, String stage) {
        return Counter.builder("tierflow.dead.letters")
                .description("Records sent to dead-letters, by the stage that could not handle them")
                .tag("stage", stage).register(registry);
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
