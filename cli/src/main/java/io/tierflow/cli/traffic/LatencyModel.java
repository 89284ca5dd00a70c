package io.tierflow.cli.traffic;

import io.tierflow.streams.domain.ReadRouting.ServingCopy;
import io.tierflow.streams.domain.RegionRoundTrips;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Plausible time to first byte of an access: the serving site's own latency (log-normal, with the p95 the site
 * catalogue publishes for it) plus the network round trip from the client's region to the site's region
 * ({@link RegionRoundTrips}).
 */
final class LatencyModel {
    // The local stack's sites, as its site catalogue describes them (region, p95 latency): what a site is taken to be
    // while the catalogue is not known.
    private static final Map<String, ServingCopy> SITES = Map.of(
            "aws", new ServingCopy("aws", "us-east", 25),
            "azure", new ServingCopy("azure", "eu-west", 35),
            "gcp", new ServingCopy("gcp", "us-central", 30),
            "onprem", new ServingCopy("onprem", "eu-west", 8));
    private static final String UNKNOWN_REGION = "unknown";
    private static final double UNKNOWN_P95_MS = 40;

    /** Spread of log(latency) at the site; with it, p95 = median · e^(1.645 σ). */
    private static final double SIGMA = 0.4;
    private static final double Z95 = 1.645;

    /** A site as the local stack's catalogue describes it, for when no catalogue entry of it is known. */
    static ServingCopy builtIn(String site) {
        ServingCopy known = SITES.get(site);
        return known != null ? known : new ServingCopy(site, UNKNOWN_REGION, UNKNOWN_P95_MS);
    }

    /** A read served by {@code site} of the local stack's catalogue ({@link #builtIn}). */
    double latencyMs(String site, String clientRegion, RandomGenerator random) {
        return latencyMs(builtIn(site), clientRegion, random);
    }

    /** A read served by {@code copy}: log-normal at the site around its p95, plus the round trip to it. */
    double latencyMs(ServingCopy copy, String clientRegion, RandomGenerator random) {
        double median = copy.p95LatencyMs() / Math.exp(Z95 * SIGMA);
        double atSite = median * Math.exp(SIGMA * random.nextGaussian());
        return atSite + RegionRoundTrips.ms(clientRegion, copy.region());
    }
}
