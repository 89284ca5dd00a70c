package io.tierflow.cli.whatif;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.MigrationStatus;

/** One recorded input of a replay, in event-time order: an inventory record, an access event or a migration status. */
public sealed interface ReplayInput {
    /** Event time (the record timestamp) in epoch ms. */
    long timeMs();

    /** The dataset the input is about. */
    String key();

    /** An inventory record; {@code dataset} null for a tombstone (the dataset was deleted). */
    record Inventory(String key, Dataset dataset, long timeMs) implements ReplayInput {
    }

    /** A migration status recorded in a live run, replayed instead of the simulated migrator's. */
    record Status(MigrationStatus status, long timeMs) implements ReplayInput {
        @Override
        public String key() {
            return status.getKey();
        }
    }

    /** An access event. */
    record Access(AccessEvent event, long timeMs) implements ReplayInput {
        @Override
        public String key() {
            return event.getKey();
        }
    }
}
