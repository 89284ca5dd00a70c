package io.tierflow.streams.domain;

import io.tierflow.streams.domain.cost.ClassPrices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses a dataset's tier by money: for each tier, the best placement ({@link PlacementOptimizer}) is priced over the
 * policy's horizon with the cost model's rules, and the tier of the cheapest one wins, unless staying where it is
 * costs less than a change would save by the policy's hysteresis (a fraction of the cost of staying: hysteresis in
 * money, not in heat).
 *
 * <p>A candidate's expected cost over the horizon H is:
 * <ul>
 * <li>storage of every copy, on at least the class's minimum billable size, for H, or for the class's minimum
 * duration if that is longer and the copy would enter the class now (entering commits to it), plus the class's
 * monitoring fee;</li>
 * <li>the expected reads, served by the primary: GET requests and retrieval per GB read in its class, and egress to
 * every client region but the primary's own;</li>
 * <li>the one-off cost of getting there: each new copy is a copy from the current primary (its GET and retrieval of
 * the whole object, egress between regions, the destination's PUT), and each copy left before its class's minimum
 * duration is charged the rest of it (early deletion).</li>
 * </ul>
 * While no read of the dataset has been seen, a move to a colder tier waits until the storage it would have saved
 * pays for it (rent or buy: see {@code demotionEarnedAt}): with nothing read yet the reads are a guess. Once reads are
 * seen they are the estimate, and the demand priced includes the next read ({@link DatasetEvaluator#demand}).
 * Everything is plain arithmetic on the catalogue: a dataset is looked at on every counted access that could pay for a
 * promotion ({@link PromotionGate}) and again when its decaying demand would make another tier cheaper
 * ({@link Choice#reconsiderAtMs()}).
 */
public final class CostBasedTier {
    static final double MONTH_MS = 30.0 * 24 * 3_600_000;
    private static final Tier[] TIERS = Tier.values();

    private CostBasedTier() {
    }

    /**
     * What the dataset is expected to be read over the horizon: requests, and GB by client region; and whether any
     * read of it has been seen (until then the reads are a guess, and a move down waits until it is earned).
     */
    public record Demand(double reads, Map<String, Double> gbByRegion, boolean readSeen) {
        /** Demand whose reads have been seen if it has bytes read in some region. */
        public Demand(double reads, Map<String, Double> gbByRegion) {
            this(reads, gbByRegion, !gbByRegion.isEmpty());
        }

        public double totalGb() {
            double total = 0.0;
            for (double gb : gbByRegion.values()) {
                total += gb;
            }
            return total;
        }
    }

    /**
     * One tier's best placement, the class of each of its copies (primary first) and its expected cost over the
     * horizon, in USD. {@code placement} is unplaced (no classes, the costs NaN) when no site can hold the tier.
     */
    public record Candidate(Tier tier, PlacementDecision placement, List<SiteOffer.StorageClassOffer> classes,
            double storageUsd, double readsUsd, double egressUsd, double oneOffUsd) {
        public double totalUsd() {
            return storageUsd + readsUsd + egressUsd + oneOffUsd;
        }

        public boolean feasible() {
            return placement.isPlaced();
        }

        /** The part of the cost that does not depend on the reads: what decaying demand leaves. */
        double fixedUsd() {
            return storageUsd + oneOffUsd;
        }

        double demandUsd() {
            return readsUsd + egressUsd;
        }
    }

    /**
     * The tier chosen, the placement searched for it, every tier's candidate (hottest first) and the demand they were
     * priced on; and when, with no further access, the decaying demand would make another tier cheaper by the
     * hysteresis margin ({@code Long.MAX_VALUE}: never).
     */
    public record Choice(Tier tier, PlacementDecision placement, List<Candidate> candidates, Demand demand,
            long reconsiderAtMs) {
    }

    public static Choice choose(DatasetEvaluator.Facts dataset, Demand demand, TieringPolicy policy,
            List<SiteOffer> sites, long nowMs) {
        Map<String, SiteOffer> byName = CandidateCosts.byName(sites);
        List<Candidate> candidates = new ArrayList<>(TIERS.length);
        for (Tier tier : TIERS) {
            candidates.add(CandidateCosts.price(dataset, tier, demand, policy, sites, byName, nowMs));
        }
        Candidate staying = staying(dataset, candidates);
        boolean stayingAllowed = staying != null && staying.feasible();
        Candidate best = null;
        for (Candidate candidate : candidates) {
            if (candidate.feasible() && (best == null || candidate.totalUsd() < best.totalUsd())) {
                best = candidate;
            }
        }
        long earnedAt = Long.MIN_VALUE;
        if (best != null && stayingAllowed && staying.tier().hotterThan(best.tier()) && !demand.readSeen()) {
            earnedAt = demotionEarnedAt(dataset, staying, best);
            if (nowMs < earnedAt) {
                // Not a step to a less cold tier meanwhile: that move would be paid for and then block the real one.
                best = staying;
            }
        }
        if (best == null) {
            // Nowhere to put it at any tier: report the hot search (its binding constraint says why) and look again
            // only when something else changes (a site, the policy).
            return new Choice(Tier.HOT, candidates.get(0).placement(), candidates, demand, Long.MAX_VALUE);
        }
        double keep = 1.0 - policy.hysteresis();
        Candidate chosen = stayingAllowed && best.totalUsd() > keep * staying.totalUsd() ? staying : best;
        long reconsiderAt = reconsiderAt(dataset, chosen, candidates, policy, byName, nowMs);
        return new Choice(chosen.tier(), chosen.placement(), candidates, demand,
                earnedAt > nowMs ? Math.min(earnedAt, reconsiderAt) : reconsiderAt);
    }

    /**
     * When a move down to {@code colder} has been earned: once the dataset has been watched long enough for the
     * storage the move would have saved over that time to pay for the move. Demand is estimated from activity watched,
     * and "no reads seen yet" is not "no reads to come"; waiting that long before a first move down is the rent-or-buy
     * rule: if the dataset is never read again, it costs at most the move once more, and if it is read, the wait cost
     * at most the move. A large object earns its move within hours, a small one (billed on a class's minimum size) may
     * take months. Counted from the dataset's inventory entry or its last move, whichever is later. Applied only
     * while no read has been seen: then the estimate has nothing to stand on. A dataset read in a burst and then quiet
     * has an estimate (its reads), and waiting a month on top of it spends what the move was to save.
     */
    private static long demotionEarnedAt(DatasetEvaluator.Facts dataset, Candidate staying, Candidate colder) {
        double stayingRate = storageRatePerMonth(dataset, staying);
        double colderRate = storageRatePerMonth(dataset, colder);
        double savedPerMonth = stayingRate - colderRate;
        if (!(savedPerMonth > 0)) {
            return Long.MIN_VALUE; // it saves no storage: its cost alone decides
        }
        double waitMs = colder.oneOffUsd() / savedPerMonth * MONTH_MS;
        long since = Math.max(dataset.knownSinceMs(), dataset.lastMoveAtMs());
        return waitMs >= Long.MAX_VALUE - since ? Long.MAX_VALUE : since + (long) Math.ceil(waitMs);
    }

    /** Storage and monitoring per month of every copy of a candidate's placement. */
    private static double storageRatePerMonth(DatasetEvaluator.Facts dataset, Candidate candidate) {
        PlacementDecision placement = candidate.placement();
        double rate = 0.0;
        for (SiteOffer.StorageClassOffer offer : candidate.classes()) {
            ClassPrices prices = ClassPrices.of(offer);
            rate += prices.billableBytes(dataset.sizeBytes()) / 1e9 * prices.storagePerGbMonth()
                    + prices.monitoringPerObjectMonth();
        }
        return placement.isPlaced() ? rate : Double.NaN;
    }

    /** The candidate of the tier the dataset is in; before its first decision, the one keeping its storage class. */
    private static Candidate staying(DatasetEvaluator.Facts dataset, List<Candidate> candidates) {
        for (Candidate c : candidates) {
            if (dataset.tier() != null ? c.tier() == dataset.tier()
                    : c.feasible() && c.placement().storageClass().equals(dataset.storageClass())
                            && c.placement().primary().equals(dataset.primarySite())) {
                return c;
            }
        }
        return null;
    }

    /** The placement search's request: the horizon's demand spread evenly over its months. */
    static PlacementRequest request(DatasetEvaluator.Facts dataset, Tier tier, Demand demand, TieringPolicy policy) {
        double months = Math.max(policy.horizonMonths(), 1e-9);
        Map<String, Double> monthlyGb = new HashMap<>();
        demand.gbByRegion().forEach((region, gb) -> monthlyGb.put(region, gb / months));
        java.util.Set<String> held = new java.util.HashSet<>(dataset.replicaSites());
        if (dataset.primarySite() != null) {
            held.add(dataset.primarySite());
        }
        double sla = dataset.latencySlaMs() != null ? dataset.latencySlaMs() : policy.defaultSlaMs();
        return new PlacementRequest(dataset.key(), dataset.sizeBytes(), tier, policy.replicationFor(tier), sla,
                policy.encryptedOnly(), policy.horizonMonths(), dataset.primarySite(), held, monthlyGb,
                demand.reads() / months);
    }

    /**
     * With no further access the demand decays by {@code 2^(-t/HL)}, so each candidate's cost is its fixed part plus
     * its demand part times that factor: the first time some other candidate undercuts the chosen one by the
     * hysteresis margin is solved for directly. The end of the current class's minimum duration also lowers every
     * move's cost, so it is a time to look again too.
     */
    private static long reconsiderAt(DatasetEvaluator.Facts dataset, Candidate chosen, List<Candidate> candidates,
            TieringPolicy policy, Map<String, SiteOffer> byName, long nowMs) {
        double keep = 1.0 - policy.hysteresis();
        long at = Long.MAX_VALUE;
        for (Candidate other : candidates) {
            if (other == chosen || !other.feasible()) {
                continue;
            }
            double fixedGap = keep * chosen.fixedUsd() - other.fixedUsd();
            double demandGap = other.demandUsd() - keep * chosen.demandUsd();
            // other wins at demand factor f when f * demandGap < fixedGap.
            if (fixedGap <= 0 || demandGap <= 0) {
                continue; // never cheaper as demand decays (or cheaper at any demand: then it wins at the next look)
            }
            double factor = fixedGap / demandGap;
            if (factor >= 1.0) {
                continue;
            }
            double halfLives = Math.log(1.0 / factor) / Math.log(2.0);
            at = Math.min(at, nowMs + (long) Math.ceil(halfLives * policy.halfLifeMs()));
        }
        SiteOffer primary = dataset.primarySite() == null ? null : byName.get(dataset.primarySite());
        SiteOffer.StorageClassOffer heldClass = primary == null ? null : CandidateCosts.heldClass(dataset, primary);
        if (heldClass != null) {
            long minimumEnds = CandidateCosts.minimumEndsAt(dataset, heldClass);
            if (minimumEnds > nowMs) {
                at = Math.min(at, minimumEnds);
            }
        }
        return at;
    }
}
