package io.tierflow.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code bench api} loads and how it measures.
 *
 * @param datasets datasets loaded into the two nodes (issue 5: at least 100 k)
 * @param events access events loaded with them, spread over the hour before now
 * @param seed seed of the inventory and the traffic
 * @param warmup wrk run of each kind before the measured ones, so the JIT has compiled the request path
 * @param load threads, connections and duration of each measured wrk run
 * @param freshness how freshness is measured
 * @param catchUpTimeout the nodes must have processed the load within this long
 * @param workParent where the temporary data directory (broker logs, state stores) is made
 * @param profileDir if not null, a JFR recording of the wrk runs is written here
 */
record ApiBenchSettings(int datasets, long events, long seed, Duration warmup, Wrk.Load load,
        Freshness.Settings freshness, Duration catchUpTimeout, Path workParent, Path profileDir) {

    ApiBenchSettings {
        if (datasets < 2) {
            throw new IllegalArgumentException("need at least two datasets, got " + datasets);
        }
        if (events < 1) {
            throw new IllegalArgumentException("need at least one access event to load, got " + events);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("the warm-up cannot be negative, got " + warmup);
        }
        if (freshness.probeDatasets() > datasets / 2) {
            throw new IllegalArgumentException("at most half of the " + datasets + " datasets can take probes, not "
                    + freshness.probeDatasets());
        }
    }
}
