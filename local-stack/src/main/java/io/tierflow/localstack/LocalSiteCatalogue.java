package io.tierflow.localstack;

import io.tierflow.schemas.Provider;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.schemas.Tier;
import java.util.List;

/**
 * Catalogue entries for the local sites, priced like the public clouds they stand for, so placement and cost figures
 * on the local stack have realistic proportions. The local sites all speak S3, so their classes keep S3's names; the
 * prices are the providers' public list prices (USD, rounded; check your own region and contract) of the classes
 * named in each comment: per GB-month stored, per GB retrieved, per 1000 reads (GET / class B), per 1000 writes or
 * transitions (PUT / class A / write operations), the minimum storage days and the minimum billable object size.
 */
public final class LocalSiteCatalogue {
    private static final long KIB = 1024;

    private LocalSiteCatalogue() {
    }

    public static Site site(SiteEndpoint endpoint) {
        return switch (endpoint.name()) {
            // S3 Standard / Standard-IA / Glacier Instant Retrieval, us-east-1
            case "aws" -> build(endpoint, Provider.AWS, "us-east", 25, 0.09, true, Long.MAX_VALUE,
                    price("STANDARD", Tier.HOT, 0.023, 0.0, 0.0004, 0.005, 0, 0),
                    price("STANDARD_IA", Tier.WARM, 0.0125, 0.01, 0.001, 0.01, 30, 128 * KIB),
                    price("GLACIER_IR", Tier.COLD, 0.004, 0.03, 0.01, 0.02, 90, 128 * KIB));
            // Azure Blob Storage Hot / Cool / Cold, LRS, West Europe; no minimum billable size
            case "azure" -> build(endpoint, Provider.AZURE, "eu-west", 35, 0.087, true, Long.MAX_VALUE,
                    price("STANDARD", Tier.HOT, 0.0208, 0.0, 0.0004, 0.0065, 0, 0),
                    price("STANDARD_IA", Tier.WARM, 0.0152, 0.01, 0.001, 0.013, 30, 0),
                    price("GLACIER_IR", Tier.COLD, 0.0036, 0.03, 0.01, 0.0234, 90, 0));
            // Google Cloud Storage Standard / Nearline / Coldline, us-central1; no minimum billable size
            case "gcp" -> build(endpoint, Provider.GCP, "us-central", 30, 0.12, false, Long.MAX_VALUE,
                    price("STANDARD", Tier.HOT, 0.020, 0.0, 0.0004, 0.005, 0, 0),
                    price("STANDARD_IA", Tier.WARM, 0.010, 0.01, 0.001, 0.01, 30, 0),
                    price("GLACIER_IR", Tier.COLD, 0.004, 0.02, 0.01, 0.02, 90, 0));
            // a disk array's amortised cost per GB-month; requests cost nothing extra
            case "onprem" -> build(endpoint, Provider.ONPREM, "eu-west", 8, 0.0, false, 50L << 30,
                    price("STANDARD", Tier.HOT, 0.010, 0.0, 0.0, 0.0, 0, 0));
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
            double getPer1000, double putPer1000, int minimumDays, long minimumBillableBytes) {
        return StorageClassPrice.newBuilder()
                .setName(name)
                .setTier(tier)
                .setStoragePricePerGbMonth(perGbMonth)
                .setRetrievalPricePerGb(retrievalPerGb)
                .setRequestPricePer1000(getPer1000)
                .setPutPricePer1000(putPer1000)
                .setMinimumStorageDays(minimumDays)
                .setMinimumBillableBytes(minimumBillableBytes)
                .build();
    }
}
