package io.tierflow.streams;

import static io.tierflow.streams.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.GlobalPassPin;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Site;
import io.tierflow.streams.domain.PinnedPlacement;
import io.tierflow.streams.domain.PlacementOptimizer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The global pass's pins on the whole topology, through the control topic as {@code tierflow rebalance --apply} sends
 * them: a cold dataset on azure, its own cheapest site, pinned to aws.
 */
@ExtendWith(InMemoryRegistry.class)
class GlobalPinTopologyTest {
    private static final long GB = 1_000_000_000L;
    private static final Instant EXPIRES = START.plus(Duration.ofHours(2));

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldMoveAPinnedDatasetAndNameThePassThenForgetThePinWhenItExpires(InMemoryRegistry.Url registry) {
        fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS).withStandardSites(false);
        Instant t = START.plusSeconds(60);
        fixture.datasets.pipeInput("cold", TopologyFixture.dataset("cold", "azure", "GLACIER_IR", GB), t);
        assertTrue(fixture.commands.isEmpty(), "by itself a cold dataset stays on the cheapest site");

        pin("cold", "aws", EXPIRES, t);

        MigrationCommand copy = fixture.commands.readValue();
        assertEquals(List.of(MigrationAction.COPY, "azure", "aws"),
                List.of(copy.getAction(), copy.getSourceSite(), copy.getDestinationSite()));
        assertEquals("placed by the global pass", copy.getReason());
        DatasetState state = fixture.state("cold");
        assertEquals("aws", state.getGlobalPin().getSite());
        assertEquals("aws", state.getLastPlacement().getPrimarySite());
        assertEquals(PinnedPlacement.GLOBAL_PASS, state.getLastPlacement().getExplanation().getBindingConstraint());
        GlobalPassPin named = state.getLastPlacement().getExplanation().getGlobalPass();
        assertEquals(List.of("pass-1", "aws", "azure"), List.of(named.getPass(), named.getSite(),
                named.getOwnPrimary()));
        assertNull(named.getRefusedBecause());

        // The migrator does each step: the pin holds the dataset to aws through the switch and the retire.
        fixture.statuses.pipeInput("cold", fixture.completed(copy, TopologyFixture.SHA), t.plusSeconds(1));
        List<MigrationAction> steps = new java.util.ArrayList<>();
        while (!fixture.commands.isEmpty()) {
            MigrationCommand command = fixture.commands.readValue();
            steps.add(command.getAction());
            t = t.plusSeconds(2);
            fixture.statuses.pipeInput("cold", fixture.completed(command, TopologyFixture.SHA), t);
        }
        assertEquals(List.of(MigrationAction.SWITCH, MigrationAction.RETIRE), steps);
        state = fixture.state("cold");
        assertEquals("aws", state.getPrimarySite());
        assertEquals(List.of(), state.getReplicaSites(), "the copy on azure was retired");

        // Once the pin expires, the next look drops it and the dataset decides alone (the move back does not pay).
        Instant later = EXPIRES.plusSeconds(1);
        reoptimize("cold", later);
        state = fixture.state("cold");
        assertNull(state.getGlobalPin(), "an expired pin is dropped");
        assertNull(state.getLastPlacement().getExplanation().getGlobalPass());
        assertEquals("aws", state.getLastPlacement().getPrimarySite());
        assertTrue(fixture.commands.isEmpty());
    }

    @Test
    void shouldKeepTheDatasetsOwnDecisionWhenThePinnedSiteIsFullAndLookAgainSoon(InMemoryRegistry.Url registry) {
        fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS).withStandardSites(false);
        Site small = TopologyFixture.standardSites().stream().filter(s -> s.getName().equals("aws")).findFirst()
                .map(s -> Site.newBuilder(s).setCapacityBytes(GB / 2).build()).orElseThrow();
        fixture.sites.pipeInput("aws", small, START);
        Instant t = START.plusSeconds(60);
        fixture.datasets.pipeInput("cold", TopologyFixture.dataset("cold", "azure", "GLACIER_IR", GB), t);

        pin("cold", "aws", EXPIRES, t);

        assertTrue(fixture.commands.isEmpty(), "no copy to a site without room");
        DatasetState state = fixture.state("cold");
        assertEquals("azure", state.getLastPlacement().getPrimarySite());
        GlobalPassPin named = state.getLastPlacement().getExplanation().getGlobalPass();
        assertEquals(PlacementOptimizer.CAPACITY, named.getRefusedBecause());
        assertEquals("pass-1", named.getPass());
        assertNotNull(state.getGlobalPin(), "kept: room may be freed while it holds");
        long retryBy = t.toEpochMilli() + TieringSettings.DEFAULTS.minReevaluation().toMillis();
        assertEquals(retryBy, state.getDueAt(), "looked at again as soon as may be, to take the room when freed");
    }

    @Test
    void shouldSendAPinWithoutItsExpiryToDeadLetters(InMemoryRegistry.Url registry) {
        fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS).withStandardSites(false);
        Instant t = START.plusSeconds(60);
        fixture.datasets.pipeInput("cold", TopologyFixture.dataset("cold", "azure", "GLACIER_IR", GB), t);

        fixture.control.pipeInput("cold", command("cold", Map.of(GlobalPins.SITE, "aws", GlobalPins.PASS, "p"), t), t);

        assertTrue(fixture.deadLetters.readValue().getReason().contains(GlobalPins.EXPIRES_AT));
        assertNull(fixture.state("cold").getGlobalPin());
        assertTrue(fixture.commands.isEmpty());
    }

    private void pin(String key, String site, Instant expires, Instant at) {
        fixture.control.pipeInput(key, command(key, Map.of(GlobalPins.SITE, site, GlobalPins.PASS, "pass-1",
                GlobalPins.EXPIRES_AT, Long.toString(expires.toEpochMilli())), at), at);
    }

    private void reoptimize(String key, Instant at) {
        fixture.control.pipeInput(key, command(key, Map.of(), at), at);
    }

    private static ControlCommand command(String key, Map<String, String> parameters, Instant at) {
        return ControlCommand.newBuilder().setType(ControlType.REOPTIMIZE).setTarget(key).setKeys(List.of(key))
                .setParameters(parameters).setOperator("rebalance").setIssuedAt(at).build();
    }
}
