package io.tierflow.localstack;

import io.tierflow.schemas.Provider;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.schemas.Tier;
import java.util.List;

/**
 * Catalogue entries for the local sites, priced like the public clouds they stand for (list prices per GB-month
 * in USD, rounded), so placement and cost figures on the local stack have realistic proportions.
 */
public final class LocalSiteCatalogue {
    private LocalSiteCatalogue() {
    }

    public static Site site(SiteEndpoint endpoint) {
        return switch (endpoint.name()) {
            case "aws" -> build(endpoint, Provider.AWS, "us-east", 25, 0.09, true, Long.MAX_VALUE,
                    price("STANDARD", Tier.HOT, 0.023, 0.0, 0.0004, 0),
                    price("STANDARD_IA", Tier.WARM, 0.0125, 0.01, 0.001, 30),
                    price("GLACIER_IR", Tier.COLD, 0.004, 0.03, 0.01, 90));
            case "azure" -> build(endpoint, Provider.AZURE, "eu-west", 35, 0.087, true, Long.MAX_VALUE,
                    price("STANDARD", Tier.HOT, 0.0208, 0.0, 0.0004, 0),
                    price("STANDARD_IA", Tier.WARM, 0.0152, 0.01, 0.001, 30),
                    price("GLACIER_IR", Tier.COLD, 0.0036, 0.03, 0.01, 90));
            case "gcp" -> build(endpoint, Provider.GCP, "us-central", 30, 0.12, false, Long.MAX_VALUE,
                    price("STANDARD", Tier.HOT, 0.020, 0.0, 0.0004, 0),
                    price("STANDARD_IA", Tier.WARM, 0.010, 0.01, 0.001, 30),
                    price("GLACIER_IR", Tier.COLD, 0.004, 0.05, 0.01, 90));
            case "onprem" -> build(endpoint, Provider.ONPREM, "eu-west", 8, 0.0, false, 50L << 30,
                    price("STANDARD", Tier.HOT, 0.010, 0.0, 0.0, 0));
            default -> throw new IllegalArgumentException("no catalogue entry for local site " + endpoint.name());
        };
    }

    private static Site build(SiteEndpoint endpoint, Provider provider, String region, double p95LatencyMs,
            double egressPerGb, boolean encrypted, long capacityBytes, StorageClassPrice... classes) {
        return Site.newBuilder()
                .setName(endpoint.name())
                .setProvider(provider)
                .setRegion(region)
                .setEndpoint(endpoint.endpoint().toString())
                .setBucket(endpoint.bucket())
                .setStorageClasses(List.of(classes))
                .setP95LatencyMs(p95LatencyMs)
                .setEgressPricePerGb(egressPerGb)
                .setEncrypted(encrypted)
                .setCapacityBytes(capacityBytes)
                .setUp(true)
                .build();
    }

    private static StorageClassPrice price(String name, Tier tier, double perGbMonth, double retrievalPerGb,
            double per1000Requests, int minimumDays) {
        return StorageClassPrice.newBuilder()
                .setName(name)
                .setTier(tier)
                .setStoragePricePerGbMonth(perGbMonth)
                .setRetrievalPricePerGb(retrievalPerGb)
                .setRequestPricePer1000(per1000Requests)
                .setMinimumStorageDays(minimumDays)
                .build();
    }
}
