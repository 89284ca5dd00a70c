package io.tierflow.streams;

import io.tierflow.streams.store.KeyPartitions;
import static io.tierflow.streams.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.schemas.DeadLetter;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Tier;
import io.tierflow.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge of the dataset inputs (DatasetInputsGate): records that break their topic's rules go to dead-letters with
 * the reason and the app goes on; records on a partition that does not own their key are re-routed and counted once.
 */
@ExtendWith(InMemoryRegistry.class)
class DatasetInputsGateTest {
    private static final long GB = 1_000_000_000L;
    private static final int PARTITIONS = 6;

    @TempDir
    Path stateDir;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    TopologyFixture fixture;

    private TopologyFixture start(InMemoryRegistry.Url registry, int partitions) {
        fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS, new TieringMetrics(meters),
                partitions).withStandardSites(false);
        return fixture;
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A key that Kafka's default partitioner puts on another partition than 0, the driver's one task. */
    private static String keyOfAnotherPartition(String prefix) {
        for (int i = 0; ; i++) {
            String key = prefix + i;
            if (KeyPartitions.of(key, PARTITIONS) != 0) {
                return key;
            }
        }
    }

    @Test
    void shouldRerouteEveryKindOfInputOnAPartitionThatDoesNotOwnItsKeyAndCountItOnce(InMemoryRegistry.Url registry) {
        start(registry, PARTITIONS);
        String key = keyOfAnotherPartition("datasets/rerouted-");
        fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "azure", "GLACIER_IR", GB), START);
        fixture.burst(key, START.plusSeconds(10), 30, Duration.ofMinutes(5));

        assertEquals(30, fixture.activity(key).activity.totalEvents(), "every event counted, once");
        assertNotNull(fixture.state(key).getInventory(), "the inventory reached the dataset's record");
        List<io.tierflow.schemas.Placement> placements = fixture.placementsFor(key);
        assertEquals(Tier.HOT, placements.get(placements.size() - 1).getTier(), "the dataset heated up");
        assertEquals(1.0, rerouted(Topics.DATASETS));
        assertEquals(30.0, rerouted(Topics.ACCESS_EVENTS));
        MigrationCommand copy = fixture.commands.readValue();

        // A status, a re-optimisation request and a tombstone find the dataset too, through the same topic.
        fixture.statuses.pipeInput(key, fixture.completed(copy, TopologyFixture.SHA), START.plusSeconds(400));
        assertTrue(fixture.state(key).getReplicaSites().contains(copy.getDestinationSite()),
                "the completed copy was recorded: " + fixture.state(key));
        assertEquals(1.0, rerouted(Topics.MIGRATION_STATUS));
        fixture.control.pipeInput(key, ControlCommand.newBuilder().setType(ControlType.REOPTIMIZE).setTarget(key)
                .setKeys(List.of(key)).setOperator("ops").setIssuedAt(START.plusSeconds(500)).build(),
                START.plusSeconds(500));
        assertEquals(1.0, rerouted(Topics.CONTROL));
        fixture.datasets.pipeInput(key, null, START.plusSeconds(600));
        assertNull(fixture.state(key), "the tombstone reached the dataset");
        assertNull(fixture.activity(key));
        assertEquals(2.0, rerouted(Topics.DATASETS));
        assertTrue(fixture.deadLetters.isEmpty());
    }

    @Test
    void shouldNotRerouteRecordsOnTheirOwnPartitionNorAReoptimizeOfEveryDataset(InMemoryRegistry.Url registry) {
        start(registry, PARTITIONS);
        String key = "datasets/home-0";
        for (int i = 0; KeyPartitions.of(key, PARTITIONS) != 0; i++) {
            key = "datasets/home-" + i;
        }
        fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "azure", "GLACIER_IR", GB), START);
        fixture.burst(key, START.plusSeconds(10), 3, Duration.ofMinutes(1));
        fixture.control.pipeInput(DatasetChanges.ALL, ControlCommand.newBuilder().setType(ControlType.REOPTIMIZE)
                .setTarget(DatasetChanges.ALL).setKeys(List.of()).setOperator("ops")
                .setIssuedAt(START.plusSeconds(100)).build(), START.plusSeconds(100));
        assertEquals(3, fixture.activity(key).activity.totalEvents());
        for (String topic : TieringMetrics.REROUTED_TOPICS) {
            assertEquals(0.0, rerouted(topic), topic);
        }
        assertTrue(fixture.deadLetters.isEmpty());
    }

    @Test
    void shouldDeadLetterKeysThatAreNotCanonicalOnDatasetsAndAccessEvents(InMemoryRegistry.Url registry) {
        start(registry, 1);
        List<String> badKeys = List.of("/etc/passwd", "a/../../b", "..", "a/./b", "a//b", "a/", "a\u0000b", "a\nb",
                "x".repeat(256), ("y".repeat(200) + "/").repeat(5) + "z".repeat(20));
        for (String key : badKeys) {
            fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "aws", "STANDARD", GB), START);
            assertDeadLetter(Topics.DATASETS, "the key");
            fixture.accessEvents.pipeInput(key, fixture.event(key, START.plusSeconds(1), "us-east"),
                    START.plusSeconds(1));
            assertDeadLetter(Topics.ACCESS_EVENTS, "the key");
            assertNull(fixture.state(key), key);
            assertNull(fixture.activity(key), key);
        }
        assertEquals(badKeys.size(), rejected(Topics.DATASETS));
        assertEquals(badKeys.size(), rejected(Topics.ACCESS_EVENTS));
        assertEquals(2.0 * badKeys.size(), meters.get("tierflow.dead.letters").tag("stage", "validation").counter()
                .count());
        fixture.datasets.pipeInput("ok", TopologyFixture.dataset("ok", "aws", "STANDARD", GB), START.plusSeconds(2));
        fixture.accessEvents.pipeInput("ok", fixture.event("ok", START.plusSeconds(3), "us-east"),
                START.plusSeconds(3));
        assertEquals(1, fixture.activity("ok").activity.totalEvents(), "the app goes on");
        assertTrue(fixture.deadLetters.isEmpty());
    }

    @Test
    void shouldDeadLetterAnEventFromTheFutureWithoutMakingLaterEventsLate(InMemoryRegistry.Url registry) {
        start(registry, 1);
        fixture.datasets.pipeInput("ds", TopologyFixture.dataset("ds", "aws", "STANDARD", GB), START);
        // The driver's clock is START, but the gate takes the real wall clock (as the timestamp extractor does).
        Instant future = Instant.now().plus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        fixture.accessEvents.pipeInput("ds", fixture.event("ds", future, "us-east"), future);
        DeadLetter letter = assertDeadLetter(Topics.ACCESS_EVENTS, "after the wall clock");
        assertTrue(letter.getReason().contains(future.toString()), letter.getReason());

        fixture.burst("ds", START.plusSeconds(10), 5, Duration.ofMinutes(1));
        assertEquals(5, fixture.activity("ds").activity.totalEvents(),
                "the future event did not move stream time: the later events are not too late");
        assertEquals(0.0, meters.get("tierflow.access.events").tag("outcome", "too_late").counter().count());
        assertTrue(fixture.deadLetters.isEmpty());
    }

    @Test
    void shouldDeadLetterEventsBeyondTheRetentionHorizonNegativeBytesAndBadLatencies(InMemoryRegistry.Url registry) {
        start(registry, 1);
        fixture.datasets.pipeInput("ds", TopologyFixture.dataset("ds", "aws", "STANDARD", GB), START);
        fixture.accessEvents.pipeInput("ds", fixture.event("ds", START.plusSeconds(5), "us-east"),
                START.plusSeconds(5));

        Instant ancient = START.minus(Duration.ofDays(8));
        fixture.accessEvents.pipeInput("ds", fixture.event("ds", ancient, "us-east"), ancient);
        assertDeadLetter(Topics.ACCESS_EVENTS, "beyond the retention horizon");
        Instant epochZero = Instant.EPOCH;
        fixture.accessEvents.pipeInput("ds", fixture.event("ds", epochZero, "us-east"), epochZero);
        assertDeadLetter(Topics.ACCESS_EVENTS, "beyond the retention horizon");
        AccessEvent negative = fixture.event("ds", START.plusSeconds(6), "us-east");
        negative.setBytes(-1);
        fixture.accessEvents.pipeInput("ds", negative, START.plusSeconds(6));
        assertDeadLetter(Topics.ACCESS_EVENTS, "negative bytes");
        for (double latency : new double[] {Double.NaN, -1, Double.POSITIVE_INFINITY}) {
            AccessEvent event = fixture.event("ds", START.plusSeconds(7), "us-east");
            event.setLatencyMs(latency);
            fixture.accessEvents.pipeInput("ds", event, START.plusSeconds(7));
            assertDeadLetter(Topics.ACCESS_EVENTS, "latencyMs is " + latency);
        }
        assertEquals(6.0, rejected(Topics.ACCESS_EVENTS));

        fixture.accessEvents.pipeInput("ds", fixture.event("ds", START.plusSeconds(8), "us-east"),
                START.plusSeconds(8));
        assertEquals(2, fixture.activity("ds").activity.totalEvents(), "only the two good events were counted");
        assertTrue(fixture.deadLetters.isEmpty());
    }

    private DeadLetter assertDeadLetter(String topic, String reason) {
        assertTrue(!fixture.deadLetters.isEmpty(), "a dead letter for " + reason);
        DeadLetter letter = fixture.deadLetters.readValue();
        assertEquals(topic, letter.getSourceTopic());
        assertEquals("validation in " + TieringTopology.DATASET_PROCESSOR, letter.getStage());
        assertTrue(letter.getReason().contains(reason), letter.getReason());
        assertTrue(letter.getSourceOffset() >= 0);
        assertNotNull(letter.getValue(), "the raw record is kept");
        return letter;
    }

    private double rerouted(String topic) {
        return meters.get("tierflow.records.rerouted").tag("topic", topic).counter().count();
    }

    private double rejected(String topic) {
        return meters.get("tierflow.records.rejected").tag("topic", topic).counter().count();
    }
}
