package io.tierflow.streams.domain;

import java.util.HashMap;
import java.util.Map;

/**
 * Network round trips between client and site regions: typical public-cloud inter-region round-trip times (published
 * inter-region latency measurements of the large clouds, rounded), the same table wherever a read's latency is
 * expected (routing a read to a copy, checking a placement against the SLA) or simulated (the traffic generator).
 */
public final class RegionRoundTrips {
    /** Within one region: the client and the site are a data centre apart at most. */
    public static final double SAME_REGION_MS = 1.0;
    /** Between regions the table does not know: a long intercontinental hop. */
    public static final double UNKNOWN_MS = 150.0;

    /** Round trips in ms by region and region, both ways; looked up on every read routed, so no key is built. */
    private static final Map<String, Map<String, Double>> MS = new HashMap<>();

    static {
        between("us-east", "us-central", 25.0);
        between("us-east", "eu-west", 75.0);
        between("us-central", "eu-west", 100.0);
        between("us-east", "ap-south", 190.0);
        between("us-central", "ap-south", 220.0);
        between("eu-west", "ap-south", 120.0);
    }

    private RegionRoundTrips() {
    }

    private static void between(String a, String b, double ms) {
        MS.computeIfAbsent(a, k -> new HashMap<>()).put(b, ms);
        MS.computeIfAbsent(b, k -> new HashMap<>()).put(a, ms);
    }

    /** The round trip between a client in {@code from} and a site in {@code to}, in ms. */
    public static double ms(String from, String to) {
        if (from.equals(to)) {
            return SAME_REGION_MS;
        }
        Map<String, Double> fromRegion = MS.get(from);
        Double known = fromRegion == null ? null : fromRegion.get(to);
        return known != null ? known : UNKNOWN_MS;
    }

    /** What a read from a client in {@code clientRegion} is expected to take at {@code site}: its p95 plus the trip. */
    public static double expectedLatencyMs(SiteOffer site, String clientRegion) {
        return site.p95LatencyMs() + ms(clientRegion, site.region());
    }
}
