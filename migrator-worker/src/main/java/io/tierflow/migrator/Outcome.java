package io.tierflow.migrator;

import io.tierflow.schemas.MigrationStatus;
import java.time.Instant;

/** How one attempt at a command ended. */
public sealed interface Outcome {
    /** Done: the terminal COMPLETED status to publish. */
    record Completed(MigrationStatus status) implements Outcome {
    }

    /** This attempt failed; the pool decides whether to try again. */
    record Failed(ErrorCode code, String message) implements Outcome {
    }

    /** Too early (a retire grace period): run the command again at {@code notBefore}. */
    record NotYet(Instant notBefore) implements Outcome {
    }

    /** Skipped, nothing changed: a newer command for the same dataset was seen, so this one is stale. */
    record Superseded(String reason) implements Outcome {
    }
}
