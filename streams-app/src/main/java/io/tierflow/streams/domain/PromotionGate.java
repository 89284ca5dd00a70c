package io.tierflow.streams.domain;

import java.util.List;

/**
 * Under the cost decision, whether the access just counted can have made a hotter tier pay: asked on every counted
 * access of a dataset below the hot tier, so it is plain arithmetic without allocation, and it never says no when the
 * full choice ({@link CostBasedTier#choose}) would promote, so it only saves looks.
 *
 * <p>It compares a lower bound of every hotter candidate with an upper bound of staying. A hotter candidate costs at
 * least its class's storage over the horizon and its requests and retrieval at the expected demand, at the cheapest
 * hotter class of any site, with that site's egress to the readers outside its region and, away from where the primary copy is, the
 * least getting a copy there costs. Staying costs at most what the last look priced the chosen placement at, as a function of the demand
 * ({@link StayingCost}): the look records it in the
 * activity value, because staying is priced where the dataset is, and a dataset already in the cheapest class for its
 * demand (a disk array's only class, say) must not be looked at on every read because some other site's hotter class
 * beats that site's colder one.
 *
 * <p>The full choice prices the reads as the larger of the recent and the lifetime estimate plus the next read
 * ({@link DatasetEvaluator#demand}), with bytes read in proportion; both sides are linear in that demand, so checking
 * the smallest and the largest it can be (the lifetime estimate is at most every event counted) covers every demand
 * the choice can use.
 */
public final class PromotionGate {
    private PromotionGate() {
    }

    /**
     * At most what keeping the chosen placement costs over the horizon: {@code fixedUsd} (its storage and the one-off
     * cost of getting there as the look priced them) plus {@code usdPerRead} per read and {@code usdPerGb} per GB read
     * (the requests and retrieval of the primary's class), plus egress from the primary {@code site} to the readers
     * outside its region, priced when asked from the regions' shares of the bytes read. And where the dataset's
     * primary copy was at that look ({@code heldSite}, null if none) with what reading it out once costs
     * ({@code leaveUsd}): a hotter class elsewhere pays at least that, its PUT and the egress between the sites to
     * get the copy, as the staying placement's one-off cost did if it is a move.
     */
    public record StayingCost(String site, double fixedUsd, double usdPerRead, double usdPerGb, String heldSite,
            double leaveUsd) {
        /** Staying at {@code chosen} for {@code dataset}, or null if it has no placement (every access is looked at). */
        public static StayingCost of(CostBasedTier.Candidate chosen, DatasetEvaluator.Facts dataset,
                List<SiteOffer> sites) {
            if (!chosen.feasible() || chosen.classes().isEmpty()) {
                return null;
            }
            SiteOffer.StorageClassOffer primaryClass = chosen.classes().get(0);
            SiteOffer held = named(sites, dataset.primarySite());
            SiteOffer.StorageClassOffer heldClass = held == null ? null : CandidateCosts.heldClass(dataset, held);
            double leave = heldClass == null ? 0.0
                    : heldClass.requestPer1000() / 1000.0 + dataset.sizeBytes() / 1e9 * heldClass.retrievalPerGb();
            return new StayingCost(chosen.placement().primary(), chosen.storageUsd() + chosen.oneOffUsd(),
                    primaryClass.requestPer1000() / 1000.0, primaryClass.retrievalPerGb(),
                    heldClass == null ? null : held.name(), leave);
        }
    }

    /**
     * Whether some hotter class may now undercut staying by the policy's hysteresis margin. {@code staying} null (not
     * priced yet, or placed by a global pin): yes, look.
     */
    public static boolean promotionMayPay(Activity activity, long sizeBytes, Tier tier, StayingCost staying,
            TieringPolicy policy, List<SiteOffer> sites, long nowMs) {
        if (tier == Tier.HOT) {
            return false;
        }
        if (staying == null) {
            return true;
        }
        SiteOffer stayingSite = named(sites, staying.site());
        SiteOffer held = named(sites, staying.heldSite());
        if (stayingSite == null || (held == null && staying.heldSite() != null)) {
            return true; // its site left the catalogue: the look will say what now
        }
        long horizon = policy.horizonMs();
        double recent = activity.expectedReads(nowMs, policy.halfLifeMs(), horizon);
        double gbPerRead = recent > 0 ? activity.expectedGb(nowMs, policy.halfLifeMs(), horizon) / recent : 0.0;
        double fewest = recent + 1.0;
        double most = Math.max(recent, activity.totalEvents()) + 1.0;
        double months = horizon / CostBasedTier.MONTH_MS;
        double keep = 1.0 - policy.hysteresis();
        double stayingPerGb = staying.usdPerGb() + egressPerGb(activity, stayingSite);
        double stayingFewest = keep * (staying.fixedUsd() + fewest * (staying.usdPerRead() + gbPerRead * stayingPerGb));
        double stayingMost = keep * (staying.fixedUsd() + most * (staying.usdPerRead() + gbPerRead * stayingPerGb));
        for (SiteOffer site : sites) {
            if (!site.up()) {
                continue;
            }
            double egress = egressPerGb(activity, site);
            for (SiteOffer.StorageClassOffer hotter : site.classes()) {
                if (!hotter.tier().hotterThan(tier)) {
                    continue;
                }
                double copyIn = copyIn(staying, held, site, hotter, sizeBytes);
                if (copyIn + atLeast(hotter, sizeBytes, months, fewest, fewest * gbPerRead, egress) < stayingFewest
                        || copyIn + atLeast(hotter, sizeBytes, months, most, most * gbPerRead, egress) < stayingMost) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The least a copy into {@code offer}'s class at {@code site} costs: nothing at the site holding the primary (a
     * change of class there may be a transition), else reading the held copy out, the PUT and the egress between
     * regions. Early deletion of what it leaves is left out: it is a bound.
     */
    private static double copyIn(StayingCost staying, SiteOffer held, SiteOffer site,
            SiteOffer.StorageClassOffer offer, long sizeBytes) {
        if (held == null || held.name().equals(site.name())) {
            return 0.0;
        }
        double egress = held.region().equals(site.region()) ? 0.0 : sizeBytes / 1e9 * held.egressPerGb();
        return staying.leaveUsd() + offer.putPer1000() / 1000.0 + egress;
    }

    private static SiteOffer named(List<SiteOffer> sites, String name) {
        if (name == null) {
            return null;
        }
        for (SiteOffer site : sites) {
            if (site.name().equals(name)) {
                return site;
            }
        }
        return null;
    }

    /** Egress per GB read when {@code site} serves every read: the readers outside its region pay its price. */
    private static double egressPerGb(Activity activity, SiteOffer site) {
        return site.egressPerGb() == 0.0 ? 0.0 : (1.0 - activity.shareOfBytesFrom(site.region())) * site.egressPerGb();
    }

    /**
     * The least a placement with its primary in {@code offer}'s class costs: storage for {@code months}, the reads'
     * requests and retrieval, and egress at {@code egressPerGb} (the move itself and any replicas only add to it).
     */
    private static double atLeast(SiteOffer.StorageClassOffer offer, long sizeBytes, double months, double reads,
            double gb, double egressPerGb) {
        return Math.max(sizeBytes, offer.minimumBillableBytes()) / 1e9 * offer.storagePerGbMonth() * months
                + reads * offer.requestPer1000() / 1000.0 + gb * (offer.retrievalPerGb() + egressPerGb);
    }
}
