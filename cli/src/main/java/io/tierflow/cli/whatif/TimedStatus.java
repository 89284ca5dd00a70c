package io.tierflow.cli.whatif;

import io.tierflow.schemas.MigrationStatus;

/** A migration status the simulated migrator reports, and the event time at which it reaches the topology. */
public record TimedStatus(long timeMs, MigrationStatus status) {
}
