package io.tierflow.streams.domain;

import io.tierflow.streams.domain.cost.ClassPrices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prices one tier's candidate for {@link CostBasedTier}: the optimizer's best placement for the tier, then its
 * storage, reads, egress and one-off cost over the policy's horizon, by the cost model's rules (see
 * {@link CostBasedTier} for what each part counts).
 */
public final class CandidateCosts {
    private static final double MONTH_MS = CostBasedTier.MONTH_MS;
    private static final long DAY_MS = 24L * 3_600_000;

    private CandidateCosts() {
    }

    static CostBasedTier.Candidate price(DatasetEvaluator.Facts dataset, Tier tier, CostBasedTier.Demand demand, TieringPolicy policy,
            List<SiteOffer> sites, Map<String, SiteOffer> byName, long nowMs) {
        double months = policy.horizonMs() / MONTH_MS;
        PlacementRequest request = CostBasedTier.request(dataset, tier, demand, policy);
        PlacementDecision placement = PlacementOptimizer.optimize(request, sites);
        if (!placement.isPlaced()) {
            return new CostBasedTier.Candidate(tier, placement, List.of(), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        SiteOffer primary = byName.get(placement.primary());
        SiteOffer.StorageClassOffer primaryClass = classNamed(primary, placement.storageClass());
        double storage = storage(dataset, primary, primaryClass, months);
        double oneOff = copyIn(dataset, primary, primaryClass, byName);
        List<SiteOffer.StorageClassOffer> kept = new ArrayList<>();
        kept.add(primaryClass);
        List<String> keptSites = new ArrayList<>();
        keptSites.add(primary.name());
        for (String replicaName : placement.replicas()) {
            SiteOffer replica = byName.get(replicaName);
            SiteOffer.StorageClassOffer replicaClass = replica.classFor(tier).orElseThrow();
            storage += storage(dataset, replica, replicaClass, months);
            oneOff += copyIn(dataset, replica, replicaClass, byName);
            kept.add(replicaClass);
            keptSites.add(replicaName);
        }
        oneOff += earlyDeletionOfLeftCopies(dataset, keptSites, kept, byName, nowMs);
        double reads = demand.reads() * primaryClass.requestPer1000() / 1000.0
                + demand.totalGb() * primaryClass.retrievalPerGb();
        double egress = 0.0;
        for (Map.Entry<String, Double> region : demand.gbByRegion().entrySet()) {
            if (!region.getKey().equals(primary.region())) {
                egress += region.getValue() * primary.egressPerGb();
            }
        }
        return new CostBasedTier.Candidate(tier, placement, List.copyOf(kept), storage, reads, egress, oneOff);
    }

    /**
     * What moving the dataset's primary to {@code to}'s class {@code toClass} costs once, priced as a candidate's
     * one-off cost is: the copy from the current primary (its GET and retrieval, egress between regions, the PUT at
     * {@code to}) and the early deletion of the primary's copy left behind. Deleting it costs no request charge (no
     * provider the catalogue models charges for a DELETE). Nothing when {@code to} holds the primary already; the
     * global pass weighs a move of the primary against staying with it.
     */
    public static double primaryMoveUsd(DatasetEvaluator.Facts dataset, SiteOffer to,
            SiteOffer.StorageClassOffer toClass, Map<String, SiteOffer> byName, long nowMs) {
        if (to.name().equals(dataset.primarySite())) {
            return 0.0;
        }
        double cost = copyIn(dataset, to, toClass, byName);
        SiteOffer from = dataset.primarySite() == null ? null : byName.get(dataset.primarySite());
        SiteOffer.StorageClassOffer left = from == null ? null : heldClass(dataset, from);
        return left == null ? cost : cost + earlyDeletion(dataset, left, nowMs);
    }

    /** Storage (and monitoring) of one copy over the horizon, or over the class's minimum if it enters it now. */
    private static double storage(DatasetEvaluator.Facts dataset, SiteOffer site, SiteOffer.StorageClassOffer offer,
            double months) {
        ClassPrices prices = ClassPrices.of(offer);
        double billed = alreadyHeld(dataset, site, offer) ? months
                : Math.max(months, prices.minimumStorageDays() * DAY_MS / MONTH_MS);
        return (prices.billableBytes(dataset.sizeBytes()) / 1e9 * prices.storagePerGbMonth()
                + prices.monitoringPerObjectMonth()) * billed;
    }

    /** What putting a copy in {@code offer}'s class at {@code site} costs: nothing if it is there already. */
    private static double copyIn(DatasetEvaluator.Facts dataset, SiteOffer site, SiteOffer.StorageClassOffer offer,
            Map<String, SiteOffer> byName) {
        if (alreadyHeld(dataset, site, offer) || dataset.primarySite() == null) {
            return 0.0;
        }
        double cost = offer.putPer1000() / 1000.0;
        SiteOffer source = byName.get(dataset.primarySite());
        if (source == null) {
            return cost;
        }
        double gb = dataset.sizeBytes() / 1e9;
        SiteOffer.StorageClassOffer sourceClass = heldClass(dataset, source);
        if (sourceClass != null) {
            cost += sourceClass.requestPer1000() / 1000.0 + gb * sourceClass.retrievalPerGb();
        }
        if (!source.region().equals(site.region())) {
            cost += gb * source.egressPerGb();
        }
        return cost;
    }

    /** The rest of the minimum duration of every copy held now that the candidate does not keep in its class. */
    private static double earlyDeletionOfLeftCopies(DatasetEvaluator.Facts dataset, List<String> keptSites,
            List<SiteOffer.StorageClassOffer> keptClasses, Map<String, SiteOffer> byName, long nowMs) {
        double cost = 0.0;
        List<String> held = new ArrayList<>(dataset.replicaSites());
        if (dataset.primarySite() != null && !held.contains(dataset.primarySite())) {
            held.add(dataset.primarySite());
        }
        for (String siteName : held) {
            SiteOffer site = byName.get(siteName);
            SiteOffer.StorageClassOffer heldClass = site == null ? null : heldClass(dataset, site);
            if (heldClass == null) {
                continue;
            }
            int kept = keptSites.indexOf(siteName);
            if (kept >= 0 && keptClasses.get(kept).name().equals(heldClass.name())) {
                continue;
            }
            cost += earlyDeletion(dataset, heldClass, nowMs);
        }
        return cost;
    }

    private static double earlyDeletion(DatasetEvaluator.Facts dataset, SiteOffer.StorageClassOffer heldClass,
            long nowMs) {
        ClassPrices prices = ClassPrices.of(heldClass);
        long endsAt = minimumEndsAt(dataset, heldClass);
        long remaining = endsAt == Long.MIN_VALUE ? 0 : endsAt - nowMs;
        return remaining <= 0 ? 0.0
                : prices.billableBytes(dataset.sizeBytes()) / 1e9 * prices.storagePerGbMonth() * remaining / MONTH_MS;
    }

    /**
     * When the copy's minimum duration in its class ends: counted from the dataset's last move (when it entered its
     * class); a dataset never moved is taken to have served it already.
     */
    static long minimumEndsAt(DatasetEvaluator.Facts dataset, SiteOffer.StorageClassOffer heldClass) {
        return dataset.lastMoveAtMs() <= 0 ? Long.MIN_VALUE
                : dataset.lastMoveAtMs() + heldClass.minimumStorageDays() * DAY_MS;
    }

    /**
     * The class the dataset's copy at {@code site} is in: the primary's is known; a replica's is taken to be its
     * site's class for the dataset's tier. Null when the site holds no copy.
     */
    static SiteOffer.StorageClassOffer heldClass(DatasetEvaluator.Facts dataset, SiteOffer site) {
        if (site.name().equals(dataset.primarySite())) {
            SiteOffer.StorageClassOffer named = classNamed(site, dataset.storageClass());
            if (named != null || dataset.tier() == null) {
                return named;
            }
            return site.classFor(dataset.tier()).orElse(null);
        }
        if (dataset.replicaSites().contains(site.name()) && dataset.tier() != null) {
            return site.classFor(dataset.tier()).orElse(null);
        }
        return null;
    }

    private static boolean alreadyHeld(DatasetEvaluator.Facts dataset, SiteOffer site,
            SiteOffer.StorageClassOffer offer) {
        SiteOffer.StorageClassOffer held = heldClass(dataset, site);
        return held != null && held.name().equals(offer.name());
    }

    private static SiteOffer.StorageClassOffer classNamed(SiteOffer site, String name) {
        for (SiteOffer.StorageClassOffer c : site.classes()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    static Map<String, SiteOffer> byName(List<SiteOffer> sites) {
        Map<String, SiteOffer> byName = new HashMap<>();
        for (SiteOffer site : sites) {
            byName.put(site.name(), site);
        }
        return byName;
    }
}
