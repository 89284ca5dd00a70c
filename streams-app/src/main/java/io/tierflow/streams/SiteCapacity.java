package io.tierflow.streams;

import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.streams.domain.CapacityShare;
import io.tierflow.streams.domain.SiteOffer;
import java.util.List;

/**
 * The task's share of each site's capacity ({@link CapacityShare}) as the dataset records fill it: what a record holds
 * (its copies, and the destination of its COPY in flight) and the sites as placement may use them for a dataset. The
 * counts change only through {@link DatasetRecords} (rebuilt when the task starts, moved with every record saved or
 * deleted), so they follow the logged records through restarts and rebalances (ADR 19).
 */
final class SiteCapacity {
    private final CapacityShare share;

    SiteCapacity(CapacityShare share) {
        this.share = share;
    }

    /** Where a record's bytes are; null for a record without an inventory entry (it holds nothing known). */
    static CapacityShare.Holding holding(DatasetState state) {
        if (state == null || state.getInventory() == null) {
            return null;
        }
        MigrationCommand inFlight = state.getInFlight();
        String destination = inFlight != null && inFlight.getAction() == MigrationAction.COPY
                ? inFlight.getDestinationSite() : null;
        // A copy of the list: the record's own may be changed in place before it is saved.
        return new CapacityShare.Holding(state.getInventory().getSizeBytes(), state.getPrimarySite(),
                List.copyOf(state.getReplicaSites()), destination);
    }

    /** The sites as the dataset may use them now: those it does not hold offer only the room left in the share. */
    List<SiteOffer> offersFor(DatasetState state, List<SiteOffer> sites) {
        return share.offersFor(sites, holding(state), state.getInventory().getSizeBytes());
    }

    void clear() {
        share.clear();
    }

    void add(CapacityShare.Holding holding) {
        share.add(holding);
    }

    void move(CapacityShare.Holding before, CapacityShare.Holding after) {
        share.move(before, after);
    }
}
