package io.tierflow.streams;

import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.Tier;
import java.util.List;

/**
 * What the API shows of one dataset, assembled from the topology's stores by {@link DatasetViews}.
 *
 * @param inventory the latest inventory entry; null if only events have been seen
 * @param tier the tier last decided; null before the first decision
 * @param primarySite the site actually holding the primary copy; null while unknown
 * @param replicaSites the sites actually holding other copies
 * @param storageClass the storage class of the actual primary copy; null while unknown
 * @param lastDecision the desired placement with its explanation; null before the first decision
 * @param inFlight the migration command issued and not yet finished; null if none
 * @param inFlightPhase the latest phase reported for {@code inFlight}; null if none yet
 * @param lastFailure the error code of the last failed migration step; null if none
 * @param dueAt when the dataset is next evaluated (epoch ms); -1 if not scheduled
 * @param lastMoveAt when the last migration step was issued (epoch ms); 0 if never
 */
public record DatasetView(String key, Dataset inventory, ActivityView activity, Tier tier, String primarySite,
        List<String> replicaSites, String storageClass, Placement lastDecision, MigrationCommand inFlight,
        MigrationPhase inFlightPhase, String lastFailure, long dueAt, long lastMoveAt) {
}
