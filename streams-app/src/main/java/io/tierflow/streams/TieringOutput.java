package io.tierflow.streams;

import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Placement;

/**
 * What the dataset processor emits, routed to its topic by type. Lives only between two nodes of one task (never
 * serialized), so a placement tombstone can be told from the other outputs.
 */
record TieringOutput(Kind kind, Placement placement, MigrationCommand command, AlertSignal signal, Object input) {
    /** REROUTED: an input record on a partition that does not own its key, written back to its topic. */
    enum Kind { PLACEMENT, COMMAND, ALERT_SIGNAL, REROUTED }

    static TieringOutput placement(Placement placement) {
        return new TieringOutput(Kind.PLACEMENT, placement, null, null, null);
    }

    static TieringOutput command(MigrationCommand command) {
        return new TieringOutput(Kind.COMMAND, null, command, null, null);
    }

    static TieringOutput signal(AlertSignal signal) {
        return new TieringOutput(Kind.ALERT_SIGNAL, null, null, signal, null);
    }

    static TieringOutput rerouted(Object input) {
        return new TieringOutput(Kind.REROUTED, null, null, null, input);
    }
}
