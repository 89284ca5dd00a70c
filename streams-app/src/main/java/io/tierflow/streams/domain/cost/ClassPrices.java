package io.tierflow.streams.domain.cost;

import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;

/**
 * What one storage class at a site charges, as the cost model applies it: storage per GB-month (on at least
 * {@code minimumBillableBytes} per object, and for at least {@code minimumStorageDays} once it leaves the class),
 * retrieval per GB read, GET requests, PUT or transition requests into the class, and a monitoring fee per object and
 * month (S3 Intelligent-Tiering's; 0 elsewhere). GB are 10^9 bytes and a month is 30 days, as in the ledger.
 */
public record ClassPrices(String name, Tier tier, double storagePerGbMonth, double retrievalPerGb, double getPer1000,
        double putPer1000, int minimumStorageDays, long minimumBillableBytes, double monitoringPerObjectMonth) {

    static final double GB = 1e9;
    static final double MONTH_MS = 30.0 * 24 * 3_600_000;
    static final long DAY_MS = 24L * 3_600_000;

    public ClassPrices {
        if (name == null || tier == null) {
            throw new IllegalArgumentException("a storage class needs a name and a tier");
        }
        if (!(storagePerGbMonth >= 0) || !(retrievalPerGb >= 0) || !(getPer1000 >= 0) || !(putPer1000 >= 0)
                || minimumStorageDays < 0 || minimumBillableBytes < 0 || !(monitoringPerObjectMonth >= 0)) {
            throw new IllegalArgumentException("prices and minimums of storage class " + name
                    + " must be finite and not negative");
        }
    }

    /** The prices of a class of the site catalogue. */
    public static ClassPrices of(SiteOffer.StorageClassOffer offer) {
        return new ClassPrices(offer.name(), offer.tier(), offer.storagePerGbMonth(), offer.retrievalPerGb(),
                offer.requestPer1000(), offer.putPer1000(), offer.minimumStorageDays(), offer.minimumBillableBytes(),
                offer.monitoringPerObjectMonth());
    }

    /** The bytes storage is charged on for an object of {@code bytes}. */
    public long billableBytes(long bytes) {
        return Math.max(bytes, minimumBillableBytes);
    }

    /** USD per millisecond of storing an object of {@code bytes} in this class (before any minimum duration). */
    double storageUsdPerMs(long bytes) {
        return billableBytes(bytes) / GB * storagePerGbMonth / MONTH_MS;
    }

    /** USD per millisecond of monitoring one object in this class. */
    double monitoringUsdPerMs() {
        return monitoringPerObjectMonth / MONTH_MS;
    }

    long minimumStorageMs() {
        return minimumStorageDays * DAY_MS;
    }

    /**
     * What moving an object of {@code bytes} from this class into {@code target} at the same site costs, early
     * deletion aside: the target's PUT (a transition request is priced like a PUT into the class), plus this class's
     * retrieval when the move is not towards a colder tier (that is a copy, which reads the object back; a lifecycle
     * transition down is not charged retrieval).
     */
    public double moveUsd(ClassPrices target, long bytes) {
        double retrieval = target.tier.ordinal() > tier.ordinal() ? 0.0 : bytes / GB * retrievalPerGb;
        return target.putPer1000 / 1000.0 + retrieval;
    }
}
