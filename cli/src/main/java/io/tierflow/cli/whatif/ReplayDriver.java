package io.tierflow.cli.whatif;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DeadLetter;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.Site;
import io.tierflow.serde.InMemorySchemaRegistry;
import io.tierflow.streams.SingleTaskReplayConfig;
import io.tierflow.streams.TieringTopology;
import io.tierflow.streams.codec.TieringCodecs;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The tiering topology, built by {@link TieringTopology#build} as the app builds it, inside Kafka's
 * TopologyTestDriver: one task, no broker, a wall clock the replay moves, serdes on a schema registry held in memory
 * ({@code mock://}). It has no way to reach live topics, stores or objects. The recorded inputs come in as bytes
 * ({@link InputEncoding}), serialized once for every policy's driver.
 */
final class ReplayDriver implements AutoCloseable {
    /**
     * The application id of every replay. Short on purpose: the driver's public API compiles each source topic's
     * name as a regex for every record piped in and every record the task outputs (the catalogue, and every record
     * when {@link TaskPipe} is not available), and the repartition topics' names start with it.
     * Replays still keep apart: each has a state directory of its own, and the driver's metrics are its own.
     */
    private static final String APPLICATION_ID = "whatif";
    /**
     * Records piped in between two commits, at least: a commit comes at the first move of the wall clock after this
     * many. The driver commits at every move (once per punctuation interval of event time, a few dozen inputs apart
     * in a replay); each commit writes every activity value changed since the last one through its serde to the
     * in-memory store, so a dataset read a few times a minute was serialized at almost every read. A live node
     * commits once a second of wall-clock time, many thousands of records apart. Nothing restores a replay's stores,
     * so a commit decides nothing here; this bounds the values held unwritten between two (at most this many).
     */
    static final int COMMIT_EVERY_RECORDS = 10_000;

    final String registryUrl;
    final TopologyTestDriver driver;
    /** The inputs as {@link InputEncoding} serialized them. */
    final TestInputTopic<byte[], byte[]> encodedAccessEvents;
    final TestInputTopic<byte[], byte[]> encodedDatasets;
    final TestInputTopic<byte[], byte[]> encodedStatuses;
    /** The inputs serialized here, by the driver's own serdes. */
    final TestInputTopic<String, AccessEvent> accessEvents;
    final TestInputTopic<String, Dataset> datasets;
    final TestInputTopic<String, MigrationStatus> statuses;
    private final Serializer<MigrationStatus> statusSerializer;
    final TestOutputTopic<String, MigrationCommand> commands;
    final TestOutputTopic<String, Placement> placements;
    final TestOutputTopic<String, Alert> alerts;
    final TestOutputTopic<byte[], DeadLetter> deadLetters;
    /** Commands issued and not yet answered, by id: what a completed step did. */
    final Map<String, MigrationCommand> issued = new HashMap<>();
    private final WhatIfSetup setup;
    private final Topics topics;
    private final Path stateDir;
    /** The way records go in without a commit each; null when the driver's public API is used instead. */
    private final TaskPipe pipe;
    private final int commitEveryRecords;
    private long pipedSinceCommit;

    /** A driver on an in-memory registry of its own. */
    ReplayDriver(WhatIfSetup setup, Instant wallClock) {
        this(setup, wallClock, InMemorySchemaRegistry.URL_PREFIX + "whatif-" + UUID.randomUUID());
    }

    /**
     * @param registryUrl the in-memory registry the encoded inputs were written with ({@link InputEncoding})
     */
    ReplayDriver(WhatIfSetup setup, Instant wallClock, String registryUrl) {
        this(setup, wallClock, registryUrl, true);
    }

    /**
     * @param registryUrl the in-memory registry the encoded inputs were written with ({@link InputEncoding})
     * @param pipeWithoutCommits whether records go in through a {@link TaskPipe} (where this Kafka version allows it)
     *     rather than the driver's public API, which commits after every record; the two decide the same
     */
    ReplayDriver(WhatIfSetup setup, Instant wallClock, String registryUrl, boolean pipeWithoutCommits) {
        this(setup, wallClock, registryUrl, pipeWithoutCommits, COMMIT_EVERY_RECORDS);
    }

    /**
     * @param commitEveryRecords through a {@link TaskPipe}, the records piped in before a move of the wall clock
     *     commits (tests compare commit cadences)
     */
    ReplayDriver(WhatIfSetup setup, Instant wallClock, String registryUrl, boolean pipeWithoutCommits,
            int commitEveryRecords) {
        this.setup = setup;
        this.commitEveryRecords = commitEveryRecords;
        this.registryUrl = registryUrl;
        topics = Topics.using(SingleTaskReplayConfig.serdeConfig(registryUrl), TieringCodecs.ALL);
        try {
            Files.createDirectories(setup.stateDir());
            stateDir = Files.createTempDirectory(setup.stateDir(), "replay-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the replay's state directory under " + setup.stateDir(), e);
        }
        driver = new TopologyTestDriver(TieringTopology.build(topics, setup.settings()),
                SingleTaskReplayConfig.of(APPLICATION_ID, stateDir.toString(), registryUrl), wallClock);
        pipe = pipeWithoutCommits ? TaskPipe.of(driver).orElse(null) : null;
        encodedAccessEvents = encodedInput(Topics.ACCESS_EVENTS);
        encodedDatasets = encodedInput(Topics.DATASETS);
        encodedStatuses = encodedInput(Topics.MIGRATION_STATUS);
        accessEvents = input(Topics.ACCESS_EVENTS, topics.accessEvents.valueSerde());
        datasets = input(Topics.DATASETS, topics.datasets.valueSerde());
        statuses = input(Topics.MIGRATION_STATUS, topics.migrationStatus.valueSerde());
        statusSerializer = topics.migrationStatus.valueSerde().serializer();
        commands = driver.createOutputTopic(Topics.MIGRATION_COMMANDS, Serdes.String().deserializer(),
                topics.migrationCommands.valueSerde().deserializer());
        placements = driver.createOutputTopic(Topics.PLACEMENTS, Serdes.String().deserializer(),
                topics.placements.valueSerde().deserializer());
        alerts = driver.createOutputTopic(Topics.ALERTS, Serdes.String().deserializer(),
                topics.alerts.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, Serdes.ByteArray().deserializer(),
                topics.deadLetters.valueSerde().deserializer());
    }

    private <V> TestInputTopic<String, V> input(String topic, org.apache.kafka.common.serialization.Serde<V> serde) {
        return driver.createInputTopic(topic, Serdes.String().serializer(), serde.serializer());
    }

    private TestInputTopic<byte[], byte[]> encodedInput(String topic) {
        return driver.createInputTopic(topic, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    /** Whether records go in through a {@link TaskPipe}. */
    boolean pipesWithoutCommits() {
        return pipe != null;
    }

    /** Processes one encoded record of the task's source topic {@code topic} (not a catalogue topic). */
    void pipe(String topic, TestInputTopic<byte[], byte[]> input, TestRecord<byte[], byte[]> record) {
        if (pipe != null) {
            pipe.pipe(topic, record.key(), record.value(), record.timestamp());
            pipedSinceCommit++;
        } else {
            input.pipeInput(record);
        }
    }

    /** Processes one migration status, serialized by the driver's own serde. */
    void pipeStatus(MigrationStatus status, long timeMs) {
        if (pipe != null) {
            pipe.pipe(Topics.MIGRATION_STATUS, status.getKey().getBytes(StandardCharsets.UTF_8),
                    statusSerializer.serialize(Topics.MIGRATION_STATUS, status), timeMs);
            pipedSinceCommit++;
        } else {
            statuses.pipeInput(new TestRecord<>(status.getKey(), status, Instant.ofEpochMilli(timeMs)));
        }
    }

    /**
     * Moves the wall clock on by {@code ms}, firing the wall-clock punctuators; through a {@link TaskPipe} this commits
     * only once {@link #COMMIT_EVERY_RECORDS} records have gone in since the last commit, through the driver's public
     * API at every move.
     */
    void advanceWallClock(long ms) {
        if (pipe == null) {
            driver.advanceWallClockTime(Duration.ofMillis(ms));
            return;
        }
        boolean commit = pipedSinceCommit >= commitEveryRecords;
        pipe.advanceWallClock(ms, commit);
        if (commit) {
            pipedSinceCommit = 0;
        }
    }

    /**
     * Empties the output topic {@code topic}, whose records nobody reads (alerts, dead letters, placements without a
     * listener), and returns how many it held: through a {@link TaskPipe} without deserializing them.
     */
    int discardOutputs(String topic, TestOutputTopic<?, ?> output) {
        if (pipe != null) {
            return pipe.discardOutputs(topic);
        }
        // Read only once written: the driver warns at every read of a topic nothing was sent to yet.
        return driver.producedTopicNames().contains(topic) ? output.readRecordsToList().size() : 0;
    }

    /** The sites, the policy under test as {@code default} and the model as {@code current}, stamped {@code at}. */
    void publishCatalogue(Instant at) {
        TestInputTopic<String, Site> sites = input(Topics.SITES, topics.sites.valueSerde());
        for (Site site : setup.sites().values()) {
            sites.pipeInput(site.getName(), site, at);
        }
        input(Topics.POLICIES, topics.policies.valueSerde()).pipeInput("default", setup.policy(), at);
        if (setup.model() != null) {
            input(Topics.MODELS, topics.models.valueSerde()).pipeInput("current", setup.model(), at);
        }
    }

    @Override
    public void close() {
        driver.close();
        deleteQuietly(stateDir);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a replay's scratch state: left behind if it cannot be removed, never worth failing the run for
        }
    }
}
