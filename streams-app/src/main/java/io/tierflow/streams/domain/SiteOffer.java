package io.tierflow.streams.domain;

import java.util.List;
import java.util.Optional;

/** What a site offers a dataset: location, performance, prices, and whether it can take data now. */
public record SiteOffer(String name, String provider, String region, double p95LatencyMs, double egressPerGb,
        boolean encrypted, boolean up, long capacityBytes, List<StorageClassOffer> classes) {

    /** Price list of one storage class. */
    public record StorageClassOffer(String name, Tier tier, double storagePerGbMonth, double retrievalPerGb,
            double requestPer1000) {
    }

    /**
     * The class to store a dataset of {@code tier} in: the cheapest class of exactly that tier, else the cheapest
     * hotter one (hotter data may always sit in a hotter class, never the reverse).
     */
    public Optional<StorageClassOffer> classFor(Tier tier) {
        Optional<StorageClassOffer> exact = classes.stream().filter(c -> c.tier() == tier)
                .min(java.util.Comparator.comparingDouble(StorageClassOffer::storagePerGbMonth));
        if (exact.isPresent()) {
            return exact;
        }
        return classes.stream().filter(c -> c.tier().hotterThan(tier))
                .min(java.util.Comparator.comparingDouble(StorageClassOffer::storagePerGbMonth));
    }
}
