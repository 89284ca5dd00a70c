package io.tierflow.streams.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides a dataset's tier, its placement, the next migration step towards it and when its tier can next change, from
 * its activity, what is known of it and the catalogue in force (policy, model, sites), by heat against thresholds or
 * by expected cost ({@link CostBasedTier}), as the policy says. The dataset processor maps its records in and the
 * decision out.
 */
public final class DatasetEvaluator {
    private DatasetEvaluator() {
    }

    /**
     * What is known of a dataset besides its activity: its size, its own latency SLA (null: the policy's default), the
     * tier last decided (null before the first decision), where its copies are, when it last moved, whether a
     * migration command is in flight (then no step is planned: one command at a time), and since when this version of
     * it is known (its inventory entry's time: how long its activity has been watched).
     */
    public record Facts(String key, long sizeBytes, Double latencySlaMs, Tier tier, String primarySite,
            List<String> replicaSites, String storageClass, long lastMoveAtMs, boolean commandInFlight,
            long knownSinceMs) {
    }

    /**
     * A decision: the tier and the heat, the model's probability of the dataset turning hot and the boosted heat it
     * came from; the placement searched for that tier; the next step towards it (null if none, or while a command is in
     * flight); and when to look again with no further access ({@code Long.MAX_VALUE}: never): under the heat decision,
     * when the heat will have decayed below the tier's demotion threshold; under the cost decision, when the decaying
     * demand makes another tier cheaper. Under the cost decision, {@code candidates} holds every tier's best placement
     * priced over the horizon and {@code expectedReads} the reads it was priced on; under the heat decision they are
     * empty and NaN. {@code pin} is what the global pass's pin in force did ({@link PinnedPlacement}); null if none.
     */
    public record Evaluation(Tier tier, double heat, double pHotSoon, double boostedHeat, PlacementDecision placement,
            MigrationPlanner.Step step, long demotionAtMs, List<CostBasedTier.Candidate> candidates,
            double expectedReads, PinnedPlacement.Outcome pin, PromotionGate.StayingCost staying) {
    }

    public static Evaluation evaluate(Facts dataset, Activity activity, TieringPolicy policy, Scorer scorer,
            List<SiteOffer> sites, long nowMs) {
        return evaluate(dataset, activity, policy, scorer, sites, null, nowMs);
    }

    /** As above, with the global pass's pin on the dataset ({@code pin}, null if none) applied to the decision. */
    public static Evaluation evaluate(Facts dataset, Activity activity, TieringPolicy policy, Scorer scorer,
            List<SiteOffer> sites, PinnedPlacement.Pin pin, long nowMs) {
        Features features = activity.features(nowMs, dataset.sizeBytes(), policy.halfLifeMs());
        double pHotSoon = scorer.score(features);
        double boosted = features.heat() + policy.scoreBoost() * pHotSoon;
        if (policy.decision() == TieringPolicy.Decision.COST) {
            CostBasedTier.Demand demand = demand(activity, policy, dataset.knownSinceMs(), nowMs);
            CostBasedTier.Choice choice = CostBasedTier.choose(dataset, demand, policy, sites, nowMs);
            PlacementRequest request = CostBasedTier.request(dataset, choice.tier(), demand, policy);
            PinnedPlacement.Result pinned = PinnedPlacement.apply(pin, choice.placement(), sites, nowMs);
            return new Evaluation(choice.tier(), features.heat(), pHotSoon, boosted, pinned.placement(),
                    step(dataset, pinned, request, sites, policy, nowMs), choice.reconsiderAtMs(),
                    choice.candidates(), demand.reads(), pinned.outcome(), staying(choice, pinned, dataset, sites));
        }
        Tier tier = TierDecider.decide(boosted, dataset.tier(), policy);
        boolean heldByForecast = false;
        if (policy.preCopyLookaheadMs() > 0 && tier != Tier.HOT) {
            // Predictive pre-copy: the forecast's heat within the lookahead may raise the tier, never lower it.
            double ahead = PreCopy.forecastHeat(activity, policy, nowMs) + policy.scoreBoost() * pHotSoon;
            Tier byForecast = TierDecider.decide(ahead, dataset.tier(), policy);
            if (byForecast.hotterThan(tier)) {
                tier = byForecast;
                boosted = ahead;
                heldByForecast = true;
            }
        }

        Set<String> held = new HashSet<>(dataset.replicaSites());
        if (dataset.primarySite() != null) {
            held.add(dataset.primarySite());
        }
        double sla = dataset.latencySlaMs() != null ? dataset.latencySlaMs() : policy.defaultSlaMs();
        PlacementRequest request = new PlacementRequest(dataset.key(), dataset.sizeBytes(), tier,
                policy.replicationFor(tier), sla, policy.encryptedOnly(), policy.horizonMonths(), dataset.primarySite(),
                held, activity.monthlyGbByRegion(nowMs, policy.halfLifeMs()),
                activity.monthlyRequests(nowMs, policy.halfLifeMs()));
        PinnedPlacement.Result pinned = PinnedPlacement.apply(pin, PlacementOptimizer.optimize(request, sites),
                sites, nowMs);
        double demoteBelow = TierDecider.demotionThreshold(tier, policy) - policy.scoreBoost() * pHotSoon;
        // A tier the forecast holds is looked at again when the forecast next changes, at the next hour.
        long demotionAt = heldByForecast ? PreCopy.nextLookMs(nowMs) : demoteBelow <= 0 ? Long.MAX_VALUE
                : DecayedHeat.timeToFallTo(features.heat(), nowMs, demoteBelow, policy.halfLifeMs());
        return new Evaluation(tier, features.heat(), pHotSoon, boosted, pinned.placement(),
                step(dataset, pinned, request, sites, policy, nowMs), demotionAt, List.of(), Double.NaN,
                pinned.outcome(), null);
    }

    /** What staying at the chosen placement costs, for the promotion gate; null if a pin placed it elsewhere. */
    private static PromotionGate.StayingCost staying(CostBasedTier.Choice choice, PinnedPlacement.Result pinned,
            Facts dataset, List<SiteOffer> sites) {
        if (pinned.placement() != choice.placement()) {
            return null;
        }
        for (CostBasedTier.Candidate candidate : choice.candidates()) {
            if (candidate.tier() == choice.tier() && candidate.placement() == choice.placement()) {
                return PromotionGate.StayingCost.of(candidate, dataset, sites);
            }
        }
        return null;
    }

    /**
     * The reads expected over the policy's horizon: the larger of two estimates. The decayed activity's (recent reads,
     * fading at the half-life) follows a change of pace; the lifetime average's (as many accesses per horizon as the
     * dataset has had on average since it is known, all of them if it is younger than a horizon) remembers a dataset
     * that is read now and then with long quiet gaps, which a short half-life forgets. Bytes per read are the decayed
     * activity's. The reads priced are that estimate and one more, the next read: a move to a colder class is paid
     * back only if the saving also pays for serving the next read from it (its GET and retrieval), which an estimate
     * near zero (a dataset read a few times, then quiet for some half-lives) would otherwise price at nothing.
     */
    static CostBasedTier.Demand demand(Activity activity, TieringPolicy policy, long knownSinceMs, long nowMs) {
        long horizon = policy.horizonMs();
        double recent = activity.expectedReads(nowMs, policy.halfLifeMs(), horizon);
        Map<String, Double> gbByRegion = activity.expectedGbByRegion(nowMs, policy.halfLifeMs(), horizon);
        long age = Math.max(nowMs - knownSinceMs, 1L);
        double lifetime = activity.totalEvents() * (double) horizon / Math.max(age, horizon);
        double expected = Math.max(recent, lifetime);
        double priced = expected + 1.0;
        if (recent > 0) {
            double scale = priced / recent;
            gbByRegion.replaceAll((region, gb) -> gb * scale);
        }
        return new CostBasedTier.Demand(priced, gbByRegion, activity.regionCount() > 0);
    }

    /** The next step towards {@code placement}; none while a command is in flight (one at a time). */
    private static MigrationPlanner.Step step(Facts dataset, PinnedPlacement.Result placement,
            PlacementRequest request, List<SiteOffer> sites, TieringPolicy policy, long nowMs) {
        if (dataset.commandInFlight()) {
            return null;
        }
        MigrationPlanner.Actual actual = new MigrationPlanner.Actual(dataset.primarySite(), dataset.replicaSites(),
                dataset.storageClass(), dataset.lastMoveAtMs());
        return MigrationPlanner.next(actual, placement.placement(), request, sites, policy, nowMs,
                placement.pinDecided()).orElse(null);
    }

    /**
     * Whether the tier may differ from {@code tier}, checked without scoring when possible: the boosted heat lies
     * between heat and heat + boost (the model's probability is between 0 and 1) and the tier only grows with it, so
     * if both ends give the current tier, so does the score. Checked on every counted access event: it allocates
     * nothing unless the two ends disagree.
     */
    public static boolean tierMayChange(Activity activity, long sizeBytes, Tier tier,
            PromotionGate.StayingCost staying, TieringPolicy policy, Scorer scorer, List<SiteOffer> sites, long nowMs) {
        if (policy.decision() == TieringPolicy.Decision.COST) {
            // Demand only grows with an access, and lower demand is all a colder tier can gain from.
            return PromotionGate.promotionMayPay(activity, sizeBytes, tier, staying, policy, sites, nowMs);
        }
        double heat = activity.heatAt(nowMs, policy.halfLifeMs());
        double boost = policy.scoreBoost();
        if (TierDecider.decide(heat + Math.min(0, boost), tier, policy) == tier
                && TierDecider.decide(heat + Math.max(0, boost), tier, policy) == tier) {
            if (policy.preCopyLookaheadMs() <= 0 || tier == Tier.HOT) {
                return false;
            }
            // The access may have raised the forecast enough to make the dataset hot ahead of its burst.
            double ahead = PreCopy.forecastHeat(activity, policy, nowMs) + Math.max(0, boost);
            return TierDecider.decide(ahead, tier, policy).hotterThan(tier);
        }
        Features features = activity.features(nowMs, sizeBytes, policy.halfLifeMs());
        double boosted = features.heat() + boost * scorer.score(features);
        return TierDecider.decide(boosted, tier, policy) != tier;
    }
}
