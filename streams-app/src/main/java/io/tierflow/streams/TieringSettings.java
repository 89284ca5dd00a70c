package io.tierflow.streams;

import io.tierflow.streams.domain.AlertPacing;
import io.tierflow.streams.store.StoreImplementation;
import java.time.Duration;
import java.util.Properties;

/**
 * Knobs of the tiering topology that are not part of the (published, per-run) policy.
 *
 * @param evaluationInterval how often the due-evaluation punctuator runs (wall clock)
 * @param maxEvaluationsPerPunctuation bound on work per punctuation, so a backlog cannot stall processing (the
 *     stream thread processes no event while it punctuates)
 * @param eventTimeClock true to evaluate due datasets at stream time only (replays and what-if give the same
 *     decisions as the recorded run); false to use max(stream time, wall clock), so idle partitions still demote
 * @param minReevaluation soonest a dataset is looked at again after an evaluation
 * @param maxReevaluation longest a dataset read since its last look waits for the next (which charges the reads and
 *     checks the latency and cost alerts); after a restart, longest any dataset waits after its last look
 * @param stores how the activity and cost-ledger stores are built and read ({@value #STORES}): write-behind (the
 *     default, fast, relies on Kafka Streams internals) or stock (public API only, for a Kafka Streams version the
 *     write-behind store does not pass its contract tests on; see docs/kafka-upgrade.md)
 * @param futureTolerance how far past the wall clock an access event may be dated (producers' clocks differ); one
 *     dated later goes to dead-letters and does not move stream time, so it cannot make every later event "too late"
 * @param eventRetention how far behind the task's stream time an access event may be dated before it is taken for a
 *     producer's error (a zero, seconds for milliseconds) and goes to dead-letters rather than being counted as late:
 *     the retention horizon. Events late by less than this but more than the policy's lateness are dropped and counted
 *     as {@code too_late}, as before
 * @param alertPacing how often a group alert may be published again and how long resolved alerts stay listed (a
 *     minute and a day; tests that watch a group change shorten the first)
 * @param models which published models score in shadow, and how their live figures are kept
 * @param migrationBacklogDrainLimit how long the moves waiting for the migration budget may take to drain at the
 *     budget before the MIGRATION_BACKLOG alert fires ({@value #BACKLOG_DRAIN_LIMIT}, an ISO-8601 duration)
 * @param capacityHeadroom the fraction of each site's capacity placement keeps free ({@value #CAPACITY_HEADROOM}, in
 *     [0, 1); {@link #DEFAULT_CAPACITY_HEADROOM} by default): each task places bytes on a site up to its share of the
 *     rest (ADR 19)
 */
public record TieringSettings(Duration evaluationInterval, int maxEvaluationsPerPunctuation, boolean eventTimeClock,
        Duration minReevaluation, Duration maxReevaluation, StoreImplementation stores, Duration futureTolerance,
        Duration eventRetention, AlertPacing alertPacing, ModelRollout models, Duration migrationBacklogDrainLimit,
        double capacityHeadroom) {
    /** Setting (in the layered config: a {@code --config} file) that selects {@link #stores}. */
    public static final String STORES = "tierflow.streams.stores";
    /** Setting that sets {@link #migrationBacklogDrainLimit}. */
    public static final String BACKLOG_DRAIN_LIMIT = "tierflow.streams.migration-backlog-drain-limit";
    /** A backlog that takes longer than a working day to drain at the budget needs a person (a bigger budget). */
    public static final Duration DEFAULT_BACKLOG_DRAIN_LIMIT = Duration.ofHours(8);
    /** Setting that sets {@link #capacityHeadroom}. */
    public static final String CAPACITY_HEADROOM = "tierflow.streams.capacity-headroom";
    /**
     * A tenth kept free, as {@code tierflow rebalance} assumes: room for the bytes Tierflow does not count (an owner's
     * new version, an old version's bytes left behind, a multipart upload's parts before they are joined) and for a
     * store's own slowdown near full.
     */
    public static final double DEFAULT_CAPACITY_HEADROOM = 0.1;
    /** Default tolerance for access events dated in the future. */
    public static final Duration DEFAULT_FUTURE_TOLERANCE = Duration.ofHours(1);
    /** Default retention horizon for access events, behind stream time. */
    public static final Duration DEFAULT_EVENT_RETENTION = Duration.ofDays(7);

    /**
     * Due datasets are evaluated every second, at most 1 000 at a time: up to 1 000 evaluations per second and per
     * task, as with 10 000 every 10 s, but a punctuation holds the stream thread (and every event behind it) for a
     * tenth as long. A batch of 10 000 took 1.4-3 s on two cores (`scripts/bench api`: the freshness p99), 1 000 take
     * about a tenth of a second.
     */
    public static final TieringSettings DEFAULTS = new TieringSettings(Duration.ofSeconds(1), 1_000, false,
            Duration.ofMinutes(1), Duration.ofHours(1));

    /** Settings with the default stores (write-behind) and the default bounds on access events' dates. */
    public TieringSettings(Duration evaluationInterval, int maxEvaluationsPerPunctuation, boolean eventTimeClock,
            Duration minReevaluation, Duration maxReevaluation) {
        this(evaluationInterval, maxEvaluationsPerPunctuation, eventTimeClock, minReevaluation, maxReevaluation,
                StoreImplementation.WRITE_BEHIND, DEFAULT_FUTURE_TOLERANCE, DEFAULT_EVENT_RETENTION, AlertPacing.DEFAULTS,
                ModelRollout.DEFAULTS, DEFAULT_BACKLOG_DRAIN_LIMIT, DEFAULT_CAPACITY_HEADROOM);
    }

    /** The defaults, with what {@code config} sets ({@value #STORES}); an unknown value fails with a clear error. */
    public static TieringSettings from(Properties config) {
        TieringSettings settings = DEFAULTS.withModels(ModelRollout.from(config));
        String stores = config.getProperty(STORES);
        if (stores != null) {
            try {
                settings = settings.withStores(StoreImplementation.fromConfig(stores));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(STORES + ": " + e.getMessage(), e);
            }
        }
        String drainLimit = config.getProperty(BACKLOG_DRAIN_LIMIT);
        if (drainLimit != null) {
            Duration limit;
            try {
                limit = Duration.parse(drainLimit.trim());
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(BACKLOG_DRAIN_LIMIT + ": '" + drainLimit
                        + "' is not an ISO-8601 duration (e.g. PT8H)", e);
            }
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException(BACKLOG_DRAIN_LIMIT + ": must be positive, got " + drainLimit);
            }
            settings = settings.withMigrationBacklogDrainLimit(limit);
        }
        String headroom = config.getProperty(CAPACITY_HEADROOM);
        if (headroom != null) {
            double fraction;
            try {
                fraction = Double.parseDouble(headroom.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(CAPACITY_HEADROOM + ": '" + headroom
                        + "' is not a number (a fraction in [0, 1), e.g. 0.1)", e);
            }
            settings = settings.withCapacityHeadroom(fraction);
        }
        return settings;
    }

    public TieringSettings withEventTimeClock(boolean eventTime) {
        return new TieringSettings(evaluationInterval, maxEvaluationsPerPunctuation, eventTime, minReevaluation,
                maxReevaluation, stores, futureTolerance, eventRetention, alertPacing, models,
                migrationBacklogDrainLimit, capacityHeadroom);
    }

    public TieringSettings withStores(StoreImplementation implementation) {
        return new TieringSettings(evaluationInterval, maxEvaluationsPerPunctuation, eventTimeClock, minReevaluation,
                maxReevaluation, implementation, futureTolerance, eventRetention, alertPacing, models,
                migrationBacklogDrainLimit, capacityHeadroom);
    }

    public TieringSettings withAlertPacing(AlertPacing pacing) {
        return new TieringSettings(evaluationInterval, maxEvaluationsPerPunctuation, eventTimeClock, minReevaluation,
                maxReevaluation, stores, futureTolerance, eventRetention, pacing, models, migrationBacklogDrainLimit,
                capacityHeadroom);
    }

    public TieringSettings withModels(ModelRollout rollout) {
        return new TieringSettings(evaluationInterval, maxEvaluationsPerPunctuation, eventTimeClock, minReevaluation,
                maxReevaluation, stores, futureTolerance, eventRetention, alertPacing, rollout,
                migrationBacklogDrainLimit, capacityHeadroom);
    }

    public TieringSettings withMigrationBacklogDrainLimit(Duration limit) {
        return new TieringSettings(evaluationInterval, maxEvaluationsPerPunctuation, eventTimeClock, minReevaluation,
                maxReevaluation, stores, futureTolerance, eventRetention, alertPacing, models, limit,
                capacityHeadroom);
    }

    public TieringSettings withCapacityHeadroom(double headroom) {
        if (!(headroom >= 0 && headroom < 1)) {
            throw new IllegalArgumentException(CAPACITY_HEADROOM + ": must be in [0, 1), got " + headroom);
        }
        return new TieringSettings(evaluationInterval, maxEvaluationsPerPunctuation, eventTimeClock, minReevaluation,
                maxReevaluation, stores, futureTolerance, eventRetention, alertPacing, models,
                migrationBacklogDrainLimit, headroom);
    }
}
