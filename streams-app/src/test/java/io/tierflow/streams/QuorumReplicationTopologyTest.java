package io.tierflow.streams;

import static io.tierflow.streams.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.ReplicationStatus;
import io.tierflow.schemas.Site;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three copies on three providers with a write quorum of two, while one of the three sites is down: the dataset is
 * durable once two copies are verified, and the third copy is made when the site is marked up, with no operator
 * action.
 */
@ExtendWith(InMemoryRegistry.class)
class QuorumReplicationTopologyTest {
    private static final long GB = 1_000_000_000L;

    @TempDir
    Path stateDir;
    TopologyFixture fixture;

    @BeforeEach
    void start(InMemoryRegistry.Url registry) {
        fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS).withStandardSites(false);
        fixture.policies.pipeInput("default", io.tierflow.schemas.Policy.newBuilder(TopologyFixture.policy(false))
                .setCopies(3).setWriteQuorum(2).build(), START);
        fixture.sites.pipeInput("gcp", Site.newBuilder(gcp()).setUp(false).build(), START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        fixture.alerts.readValuesToList(); // SITE_DOWN:gcp
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldBeDurableAtTwoCopiesAndMakeTheThirdOnceTheSiteThatWasDownIsUp() {
        fixture.datasets.pipeInput("q", TopologyFixture.dataset("q", "azure", "GLACIER_IR", GB), START);

        Placement first = last(fixture.placementsFor("q"));
        assertEquals(Set.of("aws", "azure"), sites(first), "gcp is down: two providers up");
        assertReplication(first, 3, 1, false, "2 copies missing: being copied to aws; waiting for gcp (down) to be "
                + "marked up");
        MigrationCommand toAws = fixture.commands.readValue();
        assertEquals(MigrationAction.COPY, toAws.getAction());
        assertEquals("azure", toAws.getSourceSite());
        assertEquals("aws", toAws.getDestinationSite());
        assertTrue(fixture.commands.isEmpty(), "no command for the site that is down");

        fixture.statuses.pipeInput("q", fixture.completed(toAws, TopologyFixture.SHA), START.plusSeconds(30));

        Placement durable = last(fixture.placementsFor("q"));
        assertReplication(durable, 3, 2, true, "1 copy missing: waiting for gcp (down) to be marked up");
        assertEquals("azure", fixture.state("q").getPrimarySite(), "aws costs as much as primary: no switch for nothing");
        assertEquals(List.of("aws"), fixture.state("q").getReplicaSites());
        fixture.driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertTrue(fixture.commands.isEmpty(), "the missing copy waits for its site; nothing waits in flight");
        assertNull(fixture.state("q").getInFlight());

        fixture.sites.pipeInput("gcp", gcp(), START.plusSeconds(700)); // marked up: nobody asks for the repair
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));

        MigrationCommand toGcp = fixture.commands.readValue();
        assertEquals(MigrationAction.COPY, toGcp.getAction());
        assertEquals("azure", toGcp.getSourceSite());
        assertEquals("gcp", toGcp.getDestinationSite());
        assertTrue(fixture.commands.isEmpty());
        assertReplication(last(fixture.placementsFor("q")), 3, 2, true, "1 copy missing: being copied to gcp");

        fixture.statuses.pipeInput("q", fixture.completed(toGcp, TopologyFixture.SHA), START.plusSeconds(720));

        assertReplication(last(fixture.placementsFor("q")), 3, 3, true, null);
        DatasetView view = DatasetViews.get(this::store, "q", START.plusSeconds(720).toEpochMilli()).orElseThrow();
        assertEquals(List.of("aws", "gcp"), view.replicaSites());
        assertEquals(3, view.lastDecision().getExplanation().getReplication().getCopiesVerified(),
                "what /datasets/{key} shows");
        assertTrue(fixture.commands.isEmpty(), "nothing left to do: no RETIRE, no further copy");
    }

    @Test
    void shouldCountACopyOnASiteThatGoesDownAgainWhenItReturnsWithoutCopyingIt() {
        fixture.sites.pipeInput("gcp", gcp(), START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        fixture.datasets.pipeInput("r", TopologyFixture.dataset("r", "azure", "GLACIER_IR", GB), START.plusSeconds(20));
        for (int i = 0; i < 2; i++) {
            MigrationCommand copy = fixture.commands.readValue();
            fixture.statuses.pipeInput("r", fixture.completed(copy, TopologyFixture.SHA), START.plusSeconds(30 + i));
        }
        assertReplication(last(fixture.placementsFor("r")), 3, 3, true, null);

        fixture.sites.pipeInput("gcp", Site.newBuilder(gcp()).setUp(false).build(), START.plusSeconds(60));
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertReplication(last(fixture.placementsFor("r")), 3, 2, true,
                "1 copy missing: waiting for gcp (down) to be marked up");
        assertTrue(fixture.commands.isEmpty(), "its copy there is kept: no RETIRE waiting on a site that is down");
        assertTrue(fixture.state("r").getReplicaSites().contains("gcp"));

        fixture.sites.pipeInput("gcp", gcp(), START.plusSeconds(120));
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertReplication(last(fixture.placementsFor("r")), 3, 3, true, null);
        assertTrue(fixture.commands.isEmpty(), "the copy came back with its site: nothing to copy");
    }

    private static Site gcp() {
        return TopologyFixture.standardSites().get(2);
    }

    private static void assertReplication(Placement placement, int wanted, int verified, boolean durable,
            String repair) {
        ReplicationStatus replication = placement.getExplanation().getReplication();
        assertEquals(wanted, replication.getCopiesWanted(), String.valueOf(replication));
        assertEquals(verified, replication.getCopiesVerified(), String.valueOf(replication));
        assertEquals(2, replication.getWriteQuorum());
        assertEquals(durable, replication.getDurable(), String.valueOf(replication));
        assertEquals(repair, replication.getRepair());
        if (!durable) {
            assertFalse(replication.getCopiesVerified() >= replication.getWriteQuorum());
        }
    }

    private static Set<String> sites(Placement placement) {
        Set<String> sites = new HashSet<>(placement.getReplicaSites());
        sites.add(placement.getPrimarySite());
        return sites;
    }

    private static Placement last(List<Placement> placements) {
        assertFalse(placements.isEmpty(), "a placement was published");
        return placements.get(placements.size() - 1);
    }

    private org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, ?> store(String name) {
        return fixture.driver.getKeyValueStore(name);
    }
}
