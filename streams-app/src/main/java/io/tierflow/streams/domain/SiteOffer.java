package io.tierflow.streams.domain;

import java.util.List;
import java.util.Optional;

/** What a site offers a dataset: location, performance, prices, and whether it can take data now. */
public record SiteOffer(String name, String provider, String region, double p95LatencyMs, double egressPerGb,
        boolean encrypted, boolean up, long capacityBytes, List<StorageClassOffer> classes) {

    /**
     * Price list of one storage class: storage, retrieval, read (GET) and write or transition (PUT) requests, the
     * minimum billed duration and object size, and a per-object monitoring fee (S3 Intelligent-Tiering's; 0 elsewhere).
     */
    public record StorageClassOffer(String name, Tier tier, double storagePerGbMonth, double retrievalPerGb,
            double requestPer1000, double putPer1000, int minimumStorageDays, long minimumBillableBytes,
            double monitoringPerObjectMonth) {

        /** A class priced only by storage, retrieval and reads: no write price, minimums or monitoring. */
        public StorageClassOffer(String name, Tier tier, double storagePerGbMonth, double retrievalPerGb,
                double requestPer1000) {
            this(name, tier, storagePerGbMonth, retrievalPerGb, requestPer1000, 0.0, 0, 0L, 0.0);
        }
    }

    /**
     * The class to store a dataset of {@code tier} in: the cheapest class of exactly that tier, else the cheapest
     * hotter one (hotter data may always sit in a hotter class, never the reverse).
     */
    public Optional<StorageClassOffer> classFor(Tier tier) {
        // Loops rather than streams: this runs several times per evaluation.
        StorageClassOffer exact = null;
        StorageClassOffer hotter = null;
        for (StorageClassOffer c : classes) {
            if (c.tier() == tier) {
                if (exact == null || c.storagePerGbMonth() < exact.storagePerGbMonth()) {
                    exact = c;
                }
            } else if (c.tier().hotterThan(tier)
                    && (hotter == null || c.storagePerGbMonth() < hotter.storagePerGbMonth())) {
                hotter = c;
            }
        }
        return Optional.ofNullable(exact != null ? exact : hotter);
    }
}
