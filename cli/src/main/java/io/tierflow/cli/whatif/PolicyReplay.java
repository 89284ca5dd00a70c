package io.tierflow.cli.whatif;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Placement;
import io.tierflow.streams.TieringTopology;
import io.tierflow.streams.domain.ReadRouting;
import io.tierflow.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * One policy's replay: the tiering topology ({@link ReplayDriver}) fed the recorded inputs in event time, merged by
 * time with the statuses of the {@link SimulatedMigrator} (a priority queue), the driver's wall clock moved with
 * event time so its punctuator fires as it would live. Reads are served from the copy nearest the client among the
 * copies the topology holds ({@link SimulatedPlacements}, {@link ReadRouting}) and everything that happened is priced
 * by the {@link ReplayAccountant}.
 */
public final class PolicyReplay implements AutoCloseable {
    /** Outputs nobody reads here (placements, alerts, dead letters) are emptied every this many inputs. */
    private static final int DRAIN_EVERY = 4_096;

    private record Pending(long timeMs, long order, MigrationStatus status) {
    }

    private final WhatIfSetup setup;
    private final String name;
    /** Serializes the inputs offered one by one; shared with the run's other replays, or this replay's own. */
    private final InputEncoding encoding;
    private final boolean ownsEncoding;
    private final ReplayAccountant accountant;
    private final SimulatedPlacements placements;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            Comparator.comparingLong(Pending::timeMs).thenComparingLong(Pending::order));
    /** Told each decision the topology publishes; null if nobody listens (then they are dropped unread). */
    private BiConsumer<String, Placement> placementListener;
    private boolean pipeWithoutCommits = true;
    private int commitEveryRecords = ReplayDriver.COMMIT_EVERY_RECORDS;
    private ReplayDriver driver;
    private KeyValueStore<String, DatasetState> states;
    private final long intervalMs;
    private long clockMs;
    private long lastTimeMs = Long.MIN_VALUE;
    private long order;
    private long inputs;
    private long deadLetters;

    /**
     * @param name the row's name in the report
     * @param setup what every replay of a run shares: catalogue, settings, migrator, where the state goes
     * @param policy the policy under test, published as {@code default}
     */
    public PolicyReplay(String name, WhatIfSetup setup, io.tierflow.schemas.Policy policy) {
        this(name, setup, policy, new InputEncoding(), true);
    }

    /**
     * A replay of inputs encoded by {@code shared}, which the caller closes after this replay: the inputs of a run
     * are serialized once for all its policies ({@link ParallelReplays}).
     */
    PolicyReplay(String name, WhatIfSetup setup, io.tierflow.schemas.Policy policy, InputEncoding shared) {
        this(name, setup, policy, shared, false);
    }

    private PolicyReplay(String name, WhatIfSetup setup, io.tierflow.schemas.Policy policy, InputEncoding encoding,
            boolean ownsEncoding) {
        this.name = name;
        this.encoding = encoding;
        this.ownsEncoding = ownsEncoding;
        this.setup = setup.withPolicy(policy);
        this.accountant = new ReplayAccountant(name, setup.sites(), setup.sampleEvery().toMillis());
        this.placements = new SimulatedPlacements(accountant);
        this.intervalMs = setup.settings().evaluationInterval().toMillis();
    }

    /** Told each decision the topology publishes (tests compare them with a recorded run). */
    public PolicyReplay onPlacement(BiConsumer<String, Placement> listener) {
        this.placementListener = listener;
        return this;
    }

    /**
     * Has the replay feed its driver through the driver's public API only, which commits after every record (tests
     * compare the two ways in, see {@link TaskPipe}); before the first input.
     */
    PolicyReplay throughDriverApiOnly() {
        this.pipeWithoutCommits = false;
        return this;
    }

    /**
     * Has the replay commit once at least {@code records} records have gone in since the last commit, rather than
     * {@link ReplayDriver#COMMIT_EVERY_RECORDS} (tests compare cadences); before the first input.
     */
    PolicyReplay committingEvery(int records) {
        this.commitEveryRecords = records;
        return this;
    }

    /** Whether the replay's driver is fed without a commit per record (false before the first input). */
    boolean pipesWithoutCommits() {
        return driver != null && driver.pipesWithoutCommits();
    }

    /** Feeds one recorded input, after every migration status due before it. */
    public void offer(ReplayInput input) {
        offer(encoding.encode(input));
    }

    /** Feeds one recorded input, serialized by this replay's encoding, after every migration status due before it. */
    void offer(InputEncoding.Encoded encoded) {
        ReplayInput input = encoded.input();
        long timeMs = Math.max(input.timeMs(), lastTimeMs == Long.MIN_VALUE ? input.timeMs() : lastTimeMs);
        if (driver == null) {
            start(input.timeMs());
        }
        statusesUpTo(timeMs);
        advanceTo(input.timeMs());
        TestRecord<byte[], byte[]> record = new TestRecord<>(encoded.key(), encoded.value(),
                Instant.ofEpochMilli(input.timeMs()));
        if (input instanceof ReplayInput.Inventory inventory) {
            driver.pipe(Topics.DATASETS, driver.encodedDatasets, record);
            placements.sync(inventory.key(), states.get(inventory.key()), null, null, inventory.timeMs());
        } else if (input instanceof ReplayInput.Access access) {
            driver.pipe(Topics.ACCESS_EVENTS, driver.encodedAccessEvents, record);
            serve(access.event(), access.timeMs());
        } else if (input instanceof ReplayInput.Status recorded) {
            driver.pipe(Topics.MIGRATION_STATUS, driver.encodedStatuses, record);
            applyOutcome(recorded.status(), recorded.timeMs());
        }
        lastTimeMs = timeMs;
        commands();
        if (++inputs % DRAIN_EVERY == 0) {
            drainUnread();
        }
    }

    /** Lets migrations due by {@code endMs} finish and prices everything up to then. */
    public PolicyCosts finish(long endMs) {
        if (driver != null) {
            statusesUpTo(endMs);
            advanceTo(endMs);
            commands();
            drainUnread();
        }
        return accountant.finish(endMs);
    }

    /** Dead letters the topology wrote (events it refused, e.g. dated past the wall clock plus its tolerance). */
    public long deadLetters() {
        return deadLetters;
    }

    /** The copies the replay holds for {@code key}, primary first (site → class), or null. */
    public SimulatedPlacements.Copies copies(String key) {
        return placements.get(key);
    }

    public String name() {
        return name;
    }

    private void start(long firstMs) {
        // The catalogue is published before the first input, and the clock moved once so the punctuator loads it.
        Duration settle = setup.settings().evaluationInterval().multipliedBy(10);
        clockMs = firstMs - settle.toMillis();
        driver = new ReplayDriver(setup, Instant.ofEpochMilli(clockMs), encoding.registryUrl, pipeWithoutCommits,
                commitEveryRecords);
        driver.publishCatalogue(Instant.ofEpochMilli(clockMs));
        advanceTo(firstMs);
        states = driver.driver.getKeyValueStore(TieringTopology.DATASET_STATE_STORE);
    }

    private void advanceTo(long timeMs) {
        // Moved only once the punctuator's interval has passed: a shorter move cannot fire the punctuator, and a move
        // may commit the task (ReplayDriver.advanceWallClock). One move fires each wall-clock punctuator once however
        // far it goes, as on a live node busy for that long: with events every second or more often, that is one
        // punctuation per second of event time, as live.
        if (timeMs - clockMs >= intervalMs) {
            driver.advanceWallClock(timeMs - clockMs);
            clockMs = timeMs;
        }
    }

    private void statusesUpTo(long timeMs) {
        while (!pending.isEmpty() && pending.peek().timeMs() <= timeMs) {
            Pending next = pending.poll();
            advanceTo(next.timeMs());
            pipeStatus(next.status(), next.timeMs());
            commands();
        }
    }

    private void pipeStatus(MigrationStatus status, long timeMs) {
        driver.pipeStatus(status, timeMs);
        applyOutcome(status, timeMs);
    }

    private void applyOutcome(MigrationStatus status, long timeMs) {
        if (status.getPhase() == MigrationPhase.COMPLETED || status.getPhase() == MigrationPhase.FAILED) {
            applied(status, timeMs);
        }
    }

    private void applied(MigrationStatus status, long atMs) {
        String key = status.getKey();
        MigrationCommand command = driver.issued.remove(status.getCommandId());
        if (status.getPhase() == MigrationPhase.FAILED) {
            accountant.failedStep();
            return;
        }
        DatasetState state = states.get(key);
        if (command != null && command.getAction() == MigrationAction.COPY && placements.get(key) != null) {
            accountant.copied(key, command.getSourceSite(), command.getDestinationSite(), command.getStorageClass(),
                    command.getSizeBytes(), atMs);
        }
        boolean copy = command != null && command.getAction() == MigrationAction.COPY;
        placements.sync(key, state, copy ? command.getDestinationSite() : null,
                copy ? command.getStorageClass() : null, atMs);
    }

    private void commands() {
        while (!driver.commands.isEmpty()) {
            TestRecord<String, MigrationCommand> record = driver.commands.readRecord();
            MigrationCommand command = record.value();
            driver.issued.put(command.getId(), command);
            if (setup.migrator() == null) {
                continue; // the recorded run's statuses come in with the inputs
            }
            for (TimedStatus status : setup.migrator().execute(command, record.timestamp())) {
                pending.add(new Pending(status.timeMs(), order++, status.status()));
            }
        }
    }

    private void serve(AccessEvent event, long atMs) {
        boolean get = event.getOp() == AccessOp.GET;
        SimulatedPlacements.Held held = placements.held(event.getKey());
        ReadRouting.ServingCopy copy = held == null ? null
                : held.servingCopy(event.getClientRegion(), accountant.offers());
        if (copy == null) {
            if (get) {
                accountant.unplacedRead();
            }
            return;
        }
        SimulatedPlacements.Copies copies = held.copies;
        double slaMs = copies.slaMs() != null ? copies.slaMs() : setup.policy().getDefaultLatencySlaMs();
        accountant.served(event.getKey(), copy.site(), copies.classBySite().get(copy.site()), event.getClientRegion(),
                get, event.getBytes(), copy.p95LatencyMs(), slaMs, atMs);
    }

    private void drainUnread() {
        if (placementListener != null) {
            driver.placements.readKeyValuesToList().forEach(kv -> placementListener.accept(kv.key, kv.value));
        } else {
            driver.discardOutputs(Topics.PLACEMENTS, driver.placements);
        }
        driver.discardOutputs(Topics.ALERTS, driver.alerts);
        deadLetters += driver.discardOutputs(Topics.DEAD_LETTERS, driver.deadLetters);
    }

    @Override
    public void close() {
        if (driver != null) {
            driver.close();
        }
        if (ownsEncoding) {
            encoding.close();
        }
    }
}
