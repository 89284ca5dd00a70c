package io.tierflow.streams;

import io.tierflow.schemas.CostLedger;
import io.tierflow.streams.domain.CostModel;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.cost.StatusQuo;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The bytes a task holds under each cost-ledger entry, by storage class: for the actual entries (site and tier) where
 * its dataset records' copies are, and for the status-quo baseline entries (a registered site) where their inventory
 * entries registered them. The {@link CostLedgerWriter} keeps these up to date as records change and charges storage
 * from them, so storage is charged per entry without looking at each dataset. Kept apart from the ledger itself: this
 * is in-memory bookkeeping, rebuilt from the records when the task starts, and never written anywhere.
 */
final class LedgerHoldings {
    /** Holdings key of copies in their site's class for the tier (replicas, and a primary of unknown class). */
    private static final String SITE_CLASS = "";

    private final Catalogue catalogue;
    /** This task's bytes per ledger entry (site and tier) and class, from its dataset records. */
    private final Map<String, Holdings> actual = new HashMap<>();
    /**
     * The bytes the status-quo baseline holds per baseline entry (a registered site) and class: this task's datasets
     * that hold anything, at their registered copies.
     */
    private final Map<String, Holdings> baseline = new HashMap<>();

    LedgerHoldings(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** Adds ({@code sign} +1) or removes (-1) a record's copies, actual and registered; a null footprint holds none. */
    void adjust(CostLedgerWriter.Footprint footprint, int sign) {
        if (footprint != null) {
            forEachCopy(footprint, (site, storageClass) -> {
                Map<String, ClassHolding> atSite = actual.computeIfAbsent(CostLedgerWriter.key(site, footprint.tier()),
                        k -> new Holdings(site, footprint.tier())).bytesByClass;
                ClassHolding held = atSite.computeIfAbsent(storageClass, k -> new ClassHolding());
                held.adjust(footprint.bytes(), sign, () -> minimumBillableBytes(site, storageClass, footprint.tier()));
                if (held.count == 0) {
                    atSite.remove(storageClass);
                }
            });
            forEachRegisteredCopy(footprint, (site, storageClass) -> {
                Map<String, ClassHolding> atSite = baseline.computeIfAbsent(CostLedgerWriter.baselineKey(site),
                        k -> new Holdings(site, Tier.HOT)).bytesByClass;
                ClassHolding held = atSite.computeIfAbsent(storageClass, k -> new ClassHolding());
                held.adjust(footprint.bytes(), sign, () -> baselineMinimumBillableBytes(site, storageClass));
                if (held.count == 0) {
                    atSite.remove(storageClass);
                }
            });
        }
    }

    /** Forgets everything held (before the holdings are rebuilt from the records). */
    void clear() {
        actual.clear();
        baseline.clear();
    }

    /** Each actual entry something is held under, by site and tier. */
    void forEachActualEntry(BiConsumer<String, Tier> entry) {
        for (Holdings held : actual.values()) {
            entry.accept(held.site, held.tier);
        }
    }

    /** Each site whose status-quo baseline entry holds something. */
    void forEachBaselineSite(Consumer<String> site) {
        for (Holdings held : baseline.values()) {
            site.accept(held.site);
        }
    }

    /**
     * Adds to {@code entry} the storage of what is held under it from {@code since} to {@code now}: each class at its
     * price on the site, the actual entries at the copy's class (or the site's for the tier), the baseline's at the
     * registered class (or the site's hot one). Nothing for an entry that holds nothing or a site no longer offered.
     */
    void addStorage(CostLedger entry, String site, Tier tier, boolean isBaseline, long since, long now) {
        Holdings held = isBaseline ? baseline.get(CostLedgerWriter.baselineKey(site))
                : actual.get(CostLedgerWriter.key(site, tier));
        SiteOffer offer = catalogue.site(site);
        if (held == null || offer == null) {
            return;
        }
        for (Map.Entry<String, ClassHolding> atClass : held.bytesByClass.entrySet()) {
            String className = SITE_CLASS.equals(atClass.getKey()) ? null : atClass.getKey();
            Optional<SiteOffer.StorageClassOffer> storageClass = isBaseline ? StatusQuo.classAt(offer, className)
                    : CostLedgerWriter.classAt(offer, className, tier);
            if (storageClass.isPresent()) {
                addStorage(entry, atClass.getValue().billableBytes, storageClass.get(), since, now);
            }
        }
    }

    private static void addStorage(CostLedger entry, long bytes, SiteOffer.StorageClassOffer storageClass,
            long since, long now) {
        if (bytes <= 0) {
            return; // only if the store was changed behind the processor's back (a test writing a record directly)
        }
        double gbMonths = CostModel.gbMonths(bytes, since, now);
        entry.setGbMonths(entry.getGbMonths() + gbMonths);
        entry.setStorageUsd(entry.getStorageUsd() + gbMonths * storageClass.storagePerGbMonth());
    }

    private long baselineMinimumBillableBytes(String site, String storageClass) {
        SiteOffer offer = catalogue.site(site);
        return offer == null ? 0L : StatusQuo.classAt(offer, SITE_CLASS.equals(storageClass) ? null : storageClass)
                .map(SiteOffer.StorageClassOffer::minimumBillableBytes).orElse(0L);
    }

    private long minimumBillableBytes(String site, String storageClass, Tier tier) {
        SiteOffer offer = catalogue.site(site);
        return offer == null ? 0L
                : CostLedgerWriter.classAt(offer, SITE_CLASS.equals(storageClass) ? null : storageClass, tier)
                        .map(SiteOffer.StorageClassOffer::minimumBillableBytes).orElse(0L);
    }

    /** The copies a record holds: the primary in its class, replicas in their site's class for the tier. */
    static void forEachCopy(CostLedgerWriter.Footprint footprint, BiConsumer<String, String> copy) {
        copy.accept(footprint.primarySite(), footprint.primaryClass() == null ? SITE_CLASS : footprint.primaryClass());
        for (String replica : footprint.replicaSites()) {
            copy.accept(replica, SITE_CLASS);
        }
    }

    /** The copies the inventory registered: the primary in its registered class, replicas in their site's hot one. */
    static void forEachRegisteredCopy(CostLedgerWriter.Footprint footprint, BiConsumer<String, String> copy) {
        if (footprint.registeredPrimary() == null) {
            return;
        }
        copy.accept(footprint.registeredPrimary(),
                footprint.registeredClass() == null ? SITE_CLASS : footprint.registeredClass());
        for (String replica : footprint.registeredReplicas()) {
            if (!replica.equals(footprint.registeredPrimary())) {
                copy.accept(replica, SITE_CLASS);
            }
        }
    }

    /**
     * Copies the task holds in one storage class, and the bytes storage is charged on: each copy's size, at least the
     * class's minimum billable size. The minimum is read from the catalogue when the first copy arrives and kept while
     * any is held, so every copy leaves with what it brought even if the catalogue changes the minimum meanwhile; a
     * changed minimum applies once the class is empty or the task rebuilds its holdings.
     */
    private static final class ClassHolding {
        long count;
        long billableBytes;
        long minimumBillableBytes;

        void adjust(long bytes, int sign, LongSupplier minimum) {
            if (count == 0) {
                minimumBillableBytes = minimum.getAsLong();
            }
            count += sign;
            billableBytes += sign * Math.max(bytes, minimumBillableBytes);
        }
    }

    /** What the task holds under one ledger entry (one site in one tier), by storage class. */
    private static final class Holdings {
        final String site;
        final Tier tier;
        final Map<String, ClassHolding> bytesByClass = new HashMap<>();

        Holdings(String site, Tier tier) {
            this.site = site;
            this.tier = tier;
        }
    }
}
