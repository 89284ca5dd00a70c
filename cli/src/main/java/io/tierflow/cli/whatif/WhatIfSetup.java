package io.tierflow.cli.whatif;

import io.tierflow.schemas.Model;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.streams.TieringSettings;
import io.tierflow.streams.store.StoreImplementation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the replays of one what-if share.
 *
 * @param sites the catalogue by name (the live one, or the local stack's)
 * @param policy the policy of a replay ({@link #withPolicy}); null in the shared setup
 * @param migrator the simulated migrator, or null to replay the statuses a live run recorded
 * @param model the model published as {@code current}, or null for the topology's hand-set one
 * @param settings the live topology settings, with the event-time clock on and the state in memory
 * @param stateDir where the replays' stores live (a directory of their own each)
 * @param sampleEvery how often (event time) the cumulative cost is sampled for the chart
 */
public record WhatIfSetup(Map<String, Site> sites, Policy policy, Model model, TieringSettings settings,
        SimulatedMigrator migrator, Path stateDir, Duration sampleEvery) {
    public WhatIfSetup {
        // Decisions at stream time only, so the replay is reproducible; state in memory, since a persistent store
        // would flush RocksDB at each of the driver's commits (docs/adr/0015).
        settings = settings.withEventTimeClock(true).withStores(StoreImplementation.IN_MEMORY);
    }

    WhatIfSetup withPolicy(Policy chosen) {
        return new WhatIfSetup(sites, chosen, model, settings, migrator, stateDir, sampleEvery);
    }
}
