package io.tierflow.streams.domain;

import java.util.Map;
import java.util.Set;

/**
 * One dataset to place.
 *
 * @param monthlyGbByRegion expected GB read per month, by client region
 * @param monthlyRequests expected read requests per month
 * @param currentPrimary site holding the primary copy now, or null
 * @param currentSites every site holding a copy now
 */
public record PlacementRequest(String key, long sizeBytes, Tier tier, int replicationFactor, double slaMs,
        boolean encryptedOnly, double horizonMonths, String currentPrimary, Set<String> currentSites,
        Map<String, Double> monthlyGbByRegion, double monthlyRequests) {

    public double sizeGb() {
        return sizeBytes / 1e9;
    }
}
