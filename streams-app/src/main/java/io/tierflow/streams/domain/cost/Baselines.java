package io.tierflow.streams.domain.cost;

import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a policy is compared with, each priced object by object through a {@link CostMeter}, at one site and by
 * the same prices as everything else: everything in the hot class; S3 Intelligent-Tiering's rules; a lifecycle by
 * age. Every object is uploaded (one PUT) when it is created and is held until the end of the run.
 */
public final class Baselines {
    static final long DAY_MS = ClassPrices.DAY_MS;
    /** S3 Intelligent-Tiering moves an object not read for this long to its infrequent tier... */
    public static final long IT_INFREQUENT_AFTER_MS = 30 * DAY_MS;
    /** ...and to its archive instant tier after this long. */
    public static final long IT_ARCHIVE_AFTER_MS = 90 * DAY_MS;
    /** Objects smaller than this stay in Intelligent-Tiering's frequent tier, unmonitored. */
    public static final long IT_MINIMUM_MONITORED_BYTES = 128 * 1024;
    /** S3 Intelligent-Tiering's monitoring fee, USD per object and month (AWS list price: $0.0025 per 1000). */
    public static final double IT_MONITORING_PER_OBJECT_MONTH = 0.0025 / 1000;
    /** The lifecycle baseline moves an object to the warm class at this age... */
    public static final long LIFECYCLE_WARM_AT_AGE_MS = 30 * DAY_MS;
    /** ...and to the cold class at this age, never back. */
    public static final long LIFECYCLE_COLD_AT_AGE_MS = 90 * DAY_MS;

    private Baselines() {
    }

    /** Everything in the hot class of {@code site} (the baseline site: {@code CostModel.baselineSite}). */
    public static PricedObject allHot(ObjectAccesses object, SiteOffer site, long endMs) {
        object.checkEnd(endMs);
        ClassPrices hot = classFor(site, Tier.HOT);
        CostMeter meter = new CostMeter();
        meter.placed(object.key(), site.name(), hot, object.sizeBytes(), object.createdAtMs());
        for (int i = 0; i < object.accessCount(); i++) {
            meter.read(object.key(), site, hot, object.clientRegions()[i], object.accessBytes()[i],
                    object.accessAtMs()[i]);
        }
        return new PricedObject(object.key(), "all-hot", meter.finish(endMs),
                List.of(new PricedObject.Stay(object.createdAtMs(), hot.name(), hot.tier())));
    }

    /**
     * S3 Intelligent-Tiering's rules on {@code site}'s prices: the object starts in the frequent tier (priced as the
     * hot class), moves to the infrequent tier (the warm class's storage price) after 30 days without a read and to
     * archive instant (the cold class's) after 90, and back to frequent on any read. Moves are free, reads pay the
     * hot class's GET and no retrieval fee, there is no minimum duration or billable size, and each monitored object
     * pays a monitoring fee; objects under 128 KiB never move and are not monitored. The fee is the largest
     * {@code monitoringPerObjectMonth} among the site's classes, else AWS's list price.
     */
    public static PricedObject intelligentTiering(ObjectAccesses object, SiteOffer site, long endMs) {
        double fee = 0;
        for (SiteOffer.StorageClassOffer c : site.classes()) {
            fee = Math.max(fee, c.monitoringPerObjectMonth());
        }
        return intelligentTiering(object, site, fee > 0 ? fee : IT_MONITORING_PER_OBJECT_MONTH, endMs);
    }

    /** {@link #intelligentTiering(ObjectAccesses, SiteOffer, long)} with the given monitoring fee. */
    public static PricedObject intelligentTiering(ObjectAccesses object, SiteOffer site,
            double monitoringPerObjectMonth, long endMs) {
        object.checkEnd(endMs);
        ClassPrices hot = classFor(site, Tier.HOT);
        boolean monitored = object.sizeBytes() >= IT_MINIMUM_MONITORED_BYTES;
        double fee = monitored ? monitoringPerObjectMonth : 0.0;
        ClassPrices upload = itTier(hot, hot, hot.putPer1000(), fee, "INTELLIGENT_TIERING/FREQUENT");
        ClassPrices frequent = itTier(hot, hot, 0, fee, upload.name());
        ClassPrices infrequent = itTier(classFor(site, Tier.WARM), hot, 0, fee, "INTELLIGENT_TIERING/INFREQUENT");
        ClassPrices archive = itTier(classFor(site, Tier.COLD), hot, 0, fee, "INTELLIGENT_TIERING/ARCHIVE_INSTANT");
        String key = object.key();
        CostMeter meter = new CostMeter();
        List<PricedObject.Stay> schedule = new ArrayList<>();
        meter.placed(key, site.name(), upload, object.sizeBytes(), object.createdAtMs());
        schedule.add(new PricedObject.Stay(object.createdAtMs(), upload.name(), Tier.HOT));
        ClassPrices current = upload;
        int level = 0; // 0 frequent, 1 infrequent, 2 archive instant
        long lastRead = object.createdAtMs();
        for (int i = 0; i <= object.accessCount(); i++) {
            long next = i < object.accessCount() ? object.accessAtMs()[i] : endMs;
            if (monitored) {
                // the moves of the gap without reads up to this read (or the end); a read at the very moment of a
                // move is served after it
                if (level < 1 && next >= lastRead + IT_INFREQUENT_AFTER_MS) {
                    level = 1;
                    current = move(meter, key, site, infrequent, object, lastRead + IT_INFREQUENT_AFTER_MS, schedule);
                }
                if (level < 2 && next >= lastRead + IT_ARCHIVE_AFTER_MS) {
                    level = 2;
                    current = move(meter, key, site, archive, object, lastRead + IT_ARCHIVE_AFTER_MS, schedule);
                }
                if (i < object.accessCount() && level > 0) {
                    level = 0;
                    current = move(meter, key, site, frequent, object, next, schedule);
                }
            }
            if (i < object.accessCount()) {
                meter.read(key, site, current, object.clientRegions()[i], object.accessBytes()[i], next);
                lastRead = next;
            }
        }
        return new PricedObject(key, "s3-intelligent-tiering", meter.finish(endMs), schedule);
    }

    /**
     * A lifecycle by age on {@code site}: the hot class when created, the warm class from 30 days of age, the cold
     * class from 90, never back, whatever the reads (a read at the very moment of a move is served after it).
     */
    public static PricedObject lifecycleByAge(ObjectAccesses object, SiteOffer site, long endMs) {
        object.checkEnd(endMs);
        ClassPrices[] steps = {classFor(site, Tier.HOT), classFor(site, Tier.WARM), classFor(site, Tier.COLD)};
        long[] from = {object.createdAtMs(), object.createdAtMs() + LIFECYCLE_WARM_AT_AGE_MS,
            object.createdAtMs() + LIFECYCLE_COLD_AT_AGE_MS};
        String key = object.key();
        CostMeter meter = new CostMeter();
        List<PricedObject.Stay> schedule = new ArrayList<>();
        meter.placed(key, site.name(), steps[0], object.sizeBytes(), from[0]);
        schedule.add(new PricedObject.Stay(from[0], steps[0].name(), steps[0].tier()));
        int step = 0;
        for (int i = 0; i <= object.accessCount(); i++) {
            long next = i < object.accessCount() ? object.accessAtMs()[i] : endMs;
            while (step + 1 < steps.length && from[step + 1] <= next) {
                step++;
                if (!steps[step].equals(steps[step - 1])) {
                    move(meter, key, site, steps[step], object, from[step], schedule);
                }
            }
            if (i < object.accessCount()) {
                meter.read(key, site, steps[step], object.clientRegions()[i], object.accessBytes()[i], next);
            }
        }
        return new PricedObject(key, "lifecycle-by-age", meter.finish(endMs), schedule);
    }

    /** The class {@code site} stores {@code tier} in (the cheapest of that tier, else of a hotter one). */
    static ClassPrices classFor(SiteOffer site, Tier tier) {
        return ClassPrices.of(site.classFor(tier).orElseThrow(() -> new IllegalArgumentException(
                "site " + site.name() + " has no storage class for " + tier + " or hotter")));
    }

    private static ClassPrices move(CostMeter meter, String key, SiteOffer site, ClassPrices to, ObjectAccesses object,
            long atMs, List<PricedObject.Stay> schedule) {
        meter.placed(key, site.name(), to, object.sizeBytes(), atMs);
        schedule.add(new PricedObject.Stay(atMs, to.name(), to.tier()));
        return to;
    }

    /** An Intelligent-Tiering access tier: {@code storage}'s storage price, the rest by S3-IT's rules. */
    private static ClassPrices itTier(ClassPrices storage, ClassPrices hot, double putPer1000, double fee,
            String name) {
        return new ClassPrices(name, storage.tier(), storage.storagePerGbMonth(), 0.0, hot.getPer1000(), putPer1000,
                0, 0L, fee);
    }
}
