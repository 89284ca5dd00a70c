package io.tierflow.cli.traffic;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Plausible time to first byte of an access: the serving site's own latency (log-normal, with the p95 the local
 * site catalogue publishes for it) plus the network round trip from the client's region to the site's region.
 */
final class LatencyModel {
    /** Where a site is and its p95 time to first byte for a client next to it. */
    record SiteProfile(String region, double p95Ms) {
    }

    // The local stack's sites, as its site catalogue describes them (region, p95 latency).
    private static final Map<String, SiteProfile> SITES = Map.of(
            "aws", new SiteProfile("us-east", 25),
            "azure", new SiteProfile("eu-west", 35),
            "gcp", new SiteProfile("us-central", 30),
            "onprem", new SiteProfile("eu-west", 8));
    private static final SiteProfile UNKNOWN_SITE = new SiteProfile("unknown", 40);

    // Typical round trips between regions, in ms (public cloud inter-region measurements, rounded).
    private static final Map<String, Double> ROUND_TRIP_MS = Map.of(
            pair("us-east", "us-central"), 25.0,
            pair("us-east", "eu-west"), 75.0,
            pair("us-central", "eu-west"), 100.0,
            pair("us-east", "ap-south"), 190.0,
            pair("us-central", "ap-south"), 220.0,
            pair("eu-west", "ap-south"), 120.0);
    private static final double SAME_REGION_MS = 1.0;
    private static final double UNKNOWN_ROUND_TRIP_MS = 150.0;

    /** Spread of log(latency) at the site; with it, p95 = median · e^(1.645 σ). */
    private static final double SIGMA = 0.4;
    private static final double Z95 = 1.645;

    double latencyMs(String site, String clientRegion, RandomGenerator random) {
        SiteProfile profile = SITES.getOrDefault(site, UNKNOWN_SITE);
        double median = profile.p95Ms() / Math.exp(Z95 * SIGMA);
        double atSite = median * Math.exp(SIGMA * random.nextGaussian());
        return atSite + roundTripMs(clientRegion, profile.region());
    }

    static double roundTripMs(String from, String to) {
        if (from.equals(to)) {
            return SAME_REGION_MS;
        }
        return ROUND_TRIP_MS.getOrDefault(pair(from, to), UNKNOWN_ROUND_TRIP_MS);
    }

    private static String pair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }
}
