package io.tierflow.streams.domain.cost;

import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.util.List;

/** Sites priced for the cost model's tests. */
final class Prices {
    static final long KIB = 1024;
    static final long DAY = 24L * 3_600_000;
    static final String HOME = "us-east-1";
    static final String AWAY = "eu-west-1";
    static final long T0 = 1_700_000_000_000L;

    /** S3 Standard, Standard-IA and Glacier Instant Retrieval at AWS us-east-1 list prices. */
    static final SiteOffer.StorageClassOffer STANDARD =
            new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT, 0.023, 0.0, 0.0004, 0.005, 0, 0, 0);
    static final SiteOffer.StorageClassOffer STANDARD_IA =
            new SiteOffer.StorageClassOffer("STANDARD_IA", Tier.WARM, 0.0125, 0.01, 0.001, 0.01, 30, 128 * KIB, 0);
    static final SiteOffer.StorageClassOffer GLACIER_IR =
            new SiteOffer.StorageClassOffer("GLACIER_IR", Tier.COLD, 0.004, 0.03, 0.01, 0.02, 90, 128 * KIB, 0);

    static SiteOffer aws() {
        return site(List.of(STANDARD, STANDARD_IA, GLACIER_IR));
    }

    static SiteOffer site(List<SiteOffer.StorageClassOffer> classes) {
        return new SiteOffer("aws", "AWS", HOME, 30, 0.09, true, true, Long.MAX_VALUE, classes);
    }

    static double gbMonths(long bytes, long ms) {
        return bytes / 1e9 * ms / (30.0 * DAY);
    }

    private Prices() {
    }
}
