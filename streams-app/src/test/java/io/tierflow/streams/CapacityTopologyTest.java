package io.tierflow.streams;

import static io.tierflow.streams.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.streams.domain.PlacementOptimizer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Site capacity on the whole topology: a burst of datasets that would all prefer one small site (aws: the readers'
 * region). At every step, the bytes the dataset records place on it or are copying to it stay within its capacity
 * less the headroom; the datasets that do not fit go to the next-best site with {@code bindingConstraint: capacity};
 * a failed copy gives its room back.
 */
@ExtendWith(InMemoryRegistry.class)
class CapacityTopologyTest {
    private static final long GB = 1_000_000_000L;
    private static final long AWS_CAPACITY = 5 * GB;
    /** The default headroom keeps a tenth free; the driver runs one task for one partition. */
    private static final long AWS_USABLE = (long) (AWS_CAPACITY * (1 - TieringSettings.DEFAULT_CAPACITY_HEADROOM));
    private static final int DATASETS = 6;

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;
    private Instant wall;
    private int checks;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldNeverPlaceMoreOnAFullSiteThanItsCapacityAndPlaceTheRestOnTheNextBest(InMemoryRegistry.Url registry) {
        fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS);
        wall = START;
        for (Site site : TopologyFixture.standardSites()) {
            Site catalogued = site.getName().equals("aws") ? Site.newBuilder(site).setCapacityBytes(AWS_CAPACITY)
                    .build() : site;
            fixture.sites.pipeInput(site.getName(), catalogued, START);
        }
        // Heat that lasts a week, so the burst's datasets stay hot while they wait; no migration budget.
        fixture.policies.pipeInput("default", Policy.newBuilder(TopologyFixture.policy(false))
                .setHeatHalfLifeSeconds(7 * 24 * 3600).build(), START);
        advanceTo(START.plusSeconds(10));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < DATASETS; i++) {
            String key = "burst-" + i;
            keys.add(key);
            fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "azure", "GLACIER_IR", GB), START);
        }

        // The burst: each dataset read from us-east until hot, one after another, while a migrator does every
        // command at once (COPY, SWITCH, RETIRE); checked after every event and every status.
        Instant t = START.plusSeconds(60);
        for (String key : keys) {
            for (int i = 0; i < 30; i++) {
                Instant at = t.plusSeconds(10L * i);
                fixture.accessEvents.pipeInput(key, fixture.event(key, at, "us-east"), at);
                assertAwsWithinItsCapacity();
                completeAll(at);
            }
            t = t.plus(Duration.ofMinutes(5));
            advanceTo(t);
            completeAll(t);
        }
        // A dataset read since its last look is looked at again within the hour: the moves a cooldown held back are
        // decided then, several in one punctuation, each seeing the copies the ones before it started.
        for (int round = 0; round < 20; round++) {
            t = t.plus(Duration.ofMinutes(5));
            advanceTo(t);
            assertAwsWithinItsCapacity();
            completeAll(t);
        }

        Map<String, Placement> placed = lastPlacements();
        List<String> onAws = keys.stream().filter(k -> "aws".equals(fixture.state(k).getPrimarySite())).toList();
        assertEquals(4, onAws.size(), "4 GB fit in the 4.5 GB usable, a fifth does not: " + onAws);
        List<String> turnedAway = keys.stream().filter(k -> !onAws.contains(k)).toList();
        for (String key : keys) {
            Placement placement = placed.get(key);
            if (onAws.contains(key)) {
                assertEquals("aws", placement.getPrimarySite());
            } else {
                assertTurnedAway(key, placement);
                assertTrue(fixture.state(key).getReplicaSites().isEmpty(), "no copy of " + key + " left on aws");
            }
        }

        // One dataset on aws is deleted: its room goes to a dataset turned away, whose copy counts while in flight.
        Instant clock = t.plus(Duration.ofMinutes(5));
        advanceTo(clock);
        fixture.datasets.pipeInput(onAws.get(0), null, clock);
        assertAwsWithinItsCapacity();
        String first = turnedAway.get(0);
        String second = turnedAway.get(1);
        reoptimize(first, clock);
        MigrationCommand copy = fixture.commands.readValue();
        assertEquals(List.of(first, "COPY", "aws"), List.of(copy.getKey(), copy.getAction().name(),
                copy.getDestinationSite()));
        assertEquals("aws", lastPlacements().get(first).getPrimarySite());
        assertAwsWithinItsCapacity();
        reoptimize(second, clock);
        assertTurnedAway(second, fixture.state(second).getLastPlacement());
        assertTrue(fixture.commands.isEmpty(), "no copy to a site full with the bytes in flight");

        // The copy fails: its bytes are released, and the other dataset fits now.
        fixture.statuses.pipeInput(first, MigrationStatus.newBuilder(fixture.completed(copy, null))
                .setPhase(MigrationPhase.FAILED).setErrorCode("site_unavailable").build(), clock);
        assertAwsWithinItsCapacity();
        reoptimize(second, clock);
        Placement reoptimized = lastPlacements().get(second);
        assertEquals("aws", reoptimized.getPrimarySite(), "the failed copy's room is free again");
        assertNull(reoptimized.getExplanation().getBindingConstraint());
        assertAwsWithinItsCapacity();

        // The migrator does every step from here on; the failed dataset tries again after its cooldown.
        for (int round = 0; round < 20; round++) {
            completeAll(clock);
            clock = clock.plus(Duration.ofMinutes(2));
            advanceTo(clock);
            assertAwsWithinItsCapacity();
        }
        assertTrue(fixture.commands.isEmpty());
        List<String> left = keys.stream().filter(k -> fixture.state(k) != null).toList();
        assertEquals(4, left.stream().filter(k -> "aws".equals(fixture.state(k).getPrimarySite())).count(),
                "the room the delete freed was taken once, and no more");
        for (String key : left) {
            DatasetState state = fixture.state(key);
            assertNull(state.getInFlight(), key);
            if (!"aws".equals(state.getPrimarySite())) {
                assertTurnedAway(key, state.getLastPlacement());
            }
        }
        assertTrue(checks > 200, "checked at every step: " + checks);
    }

    private static void assertTurnedAway(String key, Placement placement) {
        assertNotEquals("aws", placement.getPrimarySite(), key + " is placed on the next-best site");
        assertEquals(PlacementOptimizer.CAPACITY, placement.getExplanation().getBindingConstraint(), key);
        assertTrue(placement.getExplanation().getSiteScores().stream().anyMatch(s -> s.getSite().equals("aws")
                && !s.getFeasible() && PlacementOptimizer.CAPACITY.equals(s.getRejectedBecause())), key);
    }

    /** The migrator: every command issued is done at {@code clock}, and the steps that follow too. */
    private void completeAll(Instant clock) {
        while (!fixture.commands.isEmpty()) {
            MigrationCommand command = fixture.commands.readValue();
            fixture.statuses.pipeInput(command.getKey(), fixture.completed(command, TopologyFixture.SHA), clock);
            assertAwsWithinItsCapacity();
        }
    }

    private void reoptimize(String key, Instant at) {
        fixture.control.pipeInput(key, ControlCommand.newBuilder().setType(ControlType.REOPTIMIZE).setTarget(key)
                .setKeys(List.of(key)).setOperator("test").setIssuedAt(at).build(), at);
    }

    /** The bytes the dataset records place on aws or are copying there are within its usable capacity. */
    private void assertAwsWithinItsCapacity() {
        long bytes = 0;
        KeyValueStore<String, DatasetState> states = fixture.driver.getKeyValueStore(
                TieringTopology.DATASET_STATE_STORE);
        try (KeyValueIterator<String, DatasetState> all = states.all()) {
            while (all.hasNext()) {
                DatasetState state = all.next().value;
                if (holdsOrCopiesTo(state, "aws")) {
                    bytes += state.getInventory().getSizeBytes();
                }
            }
        }
        assertTrue(bytes <= AWS_USABLE, "aws holds or receives " + bytes + " bytes, above " + AWS_USABLE);
        checks++;
    }

    private static boolean holdsOrCopiesTo(DatasetState state, String site) {
        MigrationCommand inFlight = state.getInFlight();
        return site.equals(state.getPrimarySite()) || state.getReplicaSites().contains(site)
                || inFlight != null && inFlight.getAction() == MigrationAction.COPY
                        && site.equals(inFlight.getDestinationSite());
    }

    private Map<String, Placement> lastPlacements() {
        Map<String, Placement> last = new HashMap<>();
        fixture.placements.readKeyValuesToList().forEach(kv -> {
            if (kv.value != null) {
                last.put(kv.key, kv.value);
            }
        });
        return last;
    }

    private void advanceTo(Instant time) {
        if (time.isAfter(wall)) {
            fixture.driver.advanceWallClockTime(Duration.between(wall, time));
            wall = time;
        }
    }
}
