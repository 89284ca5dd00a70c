package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.TierCandidate;
import io.tierflow.schemas.TierDecision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The tiering topology under a policy that decides by expected cost. */
@ExtendWith(InMemoryRegistry.class)
class CostDecisionTopologyTest {
    private static final long GB = 1_000_000_000L;

    @TempDir
    Path stateDir;
    TopologyFixture fixture;

    @BeforeEach
    void start(InMemoryRegistry.Url registry) {
        fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS).withStandardSites(false);
        fixture.policies.pipeInput("default", io.tierflow.schemas.Policy.newBuilder(TopologyFixture.policy(false))
                .setDecision(TierDecision.COST).setHorizonDays(90).build(), TopologyFixture.START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldMoveAnUnreadDatasetToTheCheapestClassAndExplainEveryCandidate() {
        // Known for a day: watched for longer than the policy's one-hour half-life.
        fixture.datasets.pipeInput("idle", io.tierflow.schemas.Dataset.newBuilder(
                TopologyFixture.dataset("idle", "aws", "STANDARD", 10 * GB))
                .setUpdatedAt(TopologyFixture.START.minus(Duration.ofDays(1))).build(),
                TopologyFixture.START.plusSeconds(1));

        List<MigrationCommand> commands = fixture.commands.readValuesToList();
        assertEquals(1, commands.size(), "one step at a time: " + commands);
        MigrationCommand copy = commands.get(0);
        assertEquals(MigrationAction.COPY, copy.getAction());
        assertEquals("GLACIER_IR", copy.getStorageClass(), "unread for 90 days: the cold class is cheapest");

        Placement placement = fixture.placementsFor("idle").get(0);
        assertEquals("COST", placement.getExplanation().getDecision());
        List<TierCandidate> candidates = placement.getExplanation().getCandidates();
        assertEquals(3, candidates.size(), "one candidate per tier");
        TierCandidate chosen = candidates.stream().filter(c -> c.getTier() == placement.getTier()).findFirst()
                .orElseThrow();
        for (TierCandidate other : candidates) {
            assertTrue(chosen.getTotalUsd() <= other.getTotalUsd(), "the chosen tier is the cheapest: " + candidates);
            assertEquals(other.getStorageUsd() + other.getReadsUsd() + other.getEgressUsd() + other.getOneOffUsd(),
                    other.getTotalUsd(), 1e-12);
        }
    }

    @Test
    void shouldDemoteANewDatasetItHasSeenNoReadsOfOnceTheMoveIsEarned() {
        // 1 MB saves 1.9e-5 USD a month in the cold class and its move costs a GET, 4e-7 USD: earned in 15 hours.
        fixture.datasets.pipeInput("new", TopologyFixture.dataset("new", "aws", "STANDARD", 1_000_000L),
                TopologyFixture.START.plusSeconds(1));
        fixture.datasets.pipeInput("other", TopologyFixture.dataset("other", "aws", "STANDARD", 1_000_000L),
                TopologyFixture.START.plus(Duration.ofHours(10)));
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertTrue(fixture.commands.readValuesToList().isEmpty(), "ten hours without reads have not paid the move");

        fixture.datasets.pipeInput("other", TopologyFixture.dataset("other", "aws", "STANDARD", 1_000_000L),
                TopologyFixture.START.plus(Duration.ofHours(16)));
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));

        List<MigrationCommand> commands = fixture.commands.readValuesToList();
        assertTrue(commands.stream().anyMatch(c -> c.getKey().equals("new") && c.getAction() == MigrationAction.COPY
                && c.getStorageClass().equals("GLACIER_IR")), "demoted once the move is earned: " + commands);
    }

    @Test
    void shouldKeepADatasetReadHeavilyInTheHotClass() {
        fixture.datasets.pipeInput("busy", TopologyFixture.dataset("busy", "aws", "STANDARD", GB),
                TopologyFixture.START.plusSeconds(1));
        fixture.commands.readValuesToList();
        // 100 MB reads, 3000 of them in an hour: Glacier IR's retrieval would cost far more than the storage saved.
        fixture.burst("busy", TopologyFixture.START.plusSeconds(2), 3000, Duration.ofHours(1));
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));

        Placement last = fixture.state("busy").getLastPlacement();
        assertEquals(io.tierflow.schemas.Tier.HOT, last.getTier());
        assertTrue(last.getExplanation().getExpectedReads() > 10, "priced on the reads to come: "
                + last.getExplanation().getExpectedReads());
        assertFalse(fixture.commands.readValuesToList().stream()
                .anyMatch(c -> c.getAction() == MigrationAction.COPY && !"STANDARD".equals(c.getStorageClass())),
                "no move out of the hot class");
    }
}
