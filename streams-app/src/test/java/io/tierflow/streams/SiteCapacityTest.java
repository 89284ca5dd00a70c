package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.streams.domain.CapacityShare;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a dataset record holds on the sites, as the capacity shares count it. */
class SiteCapacityTest {
    private static final long GB = 1_000_000_000L;

    @Test
    void shouldCountTheCopiesAndTheDestinationOfACopyInFlightOnly() {
        DatasetState state = record();
        assertEquals(new CapacityShare.Holding(GB, "azure", List.of("gcp"), null), SiteCapacity.holding(state));

        state.setInFlight(command(MigrationAction.COPY, "azure", "aws"));
        assertEquals(new CapacityShare.Holding(GB, "azure", List.of("gcp"), "aws"), SiteCapacity.holding(state));

        state.setInFlight(command(MigrationAction.SWITCH, "azure", "gcp"));
        assertNull(SiteCapacity.holding(state).copyDestination(), "a SWITCH moves no bytes");
        state.setInFlight(command(MigrationAction.RETIRE, "gcp", "gcp"));
        assertNull(SiteCapacity.holding(state).copyDestination(), "a RETIRE moves no bytes");
    }

    @Test
    void shouldKeepWhatTheRecordHeldWhenItsReplicaListIsChangedInPlace() {
        DatasetState state = record();
        CapacityShare.Holding loaded = SiteCapacity.holding(state);

        state.getReplicaSites().add("aws");

        assertEquals(List.of("gcp"), loaded.replicas(), "the holding at load must not follow the record's list");
    }

    @Test
    void shouldHoldNothingForARecordWithoutInventory() {
        assertNull(SiteCapacity.holding(StateMapper.newDatasetState("k")));
    }

    private static DatasetState record() {
        DatasetState state = StateMapper.newDatasetState("k");
        state.setInventory(TopologyFixture.dataset("k", "azure", "GLACIER_IR", GB));
        state.setPrimarySite("azure");
        state.setReplicaSites(new ArrayList<>(List.of("gcp")));
        return state;
    }

    private static MigrationCommand command(MigrationAction action, String source, String destination) {
        return MigrationCommand.newBuilder().setId("c").setKey("k").setAction(action).setSourceSite(source)
                .setDestinationSite(destination).setStorageClass("STANDARD").setExpectedVersionToken("\"v1\"")
                .setExpectedSha256(TopologyFixture.SHA).setSizeBytes(GB).setReason("test")
                .setIssuedAt(Instant.EPOCH).setSequence(1).build();
    }
}
