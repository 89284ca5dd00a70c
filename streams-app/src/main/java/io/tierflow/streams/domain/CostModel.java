package io.tierflow.streams.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What storing and reading data costs at a site, and the cheapest site meeting an SLA. */
public final class CostModel {
    private static final double MONTH_MS = 30.0 * 24 * 3_600_000;

    private CostModel() {
    }

    /** The costs of one read. */
    public record ReadCost(double egressUsd, double requestUsd, double retrievalUsd) {
    }

    public static ReadCost read(SiteOffer site, SiteOffer.StorageClassOffer storageClass, String clientRegion,
            long bytes) {
        double gb = bytes / 1e9;
        double egress = site.region().equals(clientRegion) ? 0.0 : gb * site.egressPerGb();
        return new ReadCost(egress, storageClass.requestPer1000() / 1000.0, gb * storageClass.retrievalPerGb());
    }

    /** The costs of {@code count} reads of {@code bytes} in all, from one client region: the sum of each read's. */
    public static ReadCost reads(SiteOffer site, SiteOffer.StorageClassOffer storageClass, String clientRegion,
            long count, long bytes) {
        double gb = bytes / 1e9;
        double egress = site.region().equals(clientRegion) ? 0.0 : gb * site.egressPerGb();
        return new ReadCost(egress, count * storageClass.requestPer1000() / 1000.0, gb * storageClass.retrievalPerGb());
    }

    /** GB-months of {@code sizeBytes} kept from {@code fromMs} to {@code toMs}. */
    public static double gbMonths(long sizeBytes, long fromMs, long toMs) {
        return toMs <= fromMs ? 0.0 : sizeBytes / 1e9 * (toMs - fromMs) / MONTH_MS;
    }

    /**
     * Everything hot on the single cheapest site whose p95 meets the SLA, or empty when no such site exists: one of
     * the what-if's baselines (a store one could have chosen). The live ledger's baseline is the status quo instead
     * ({@link io.tierflow.streams.domain.cost.StatusQuo}): that site may hold none of the data.
     */
    public static Optional<SiteOffer> baselineSite(List<SiteOffer> sites, double slaMs) {
        return sites.stream()
                .filter(s -> s.up() && s.p95LatencyMs() <= slaMs && s.classFor(Tier.HOT).isPresent())
                .min(Comparator.comparingDouble((SiteOffer s) -> s.classFor(Tier.HOT).orElseThrow().storagePerGbMonth())
                        .thenComparing(SiteOffer::name));
    }
}
