package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scoring, tiers with hysteresis, the placement search and the migration planner. */
class DecisionTest {
    private static final TieringPolicy POLICY = TieringPolicy.BUILT_IN; // hot 20, warm 2, hysteresis 25 %

    static SiteOffer site(String name, String provider, String region, double p95, double egress, boolean encrypted,
            boolean up, double hot, double warm, double cold) {
        return new SiteOffer(name, provider, region, p95, egress, encrypted, up, Long.MAX_VALUE, List.of(
                new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT, hot, 0, 0),
                new SiteOffer.StorageClassOffer("STANDARD_IA", Tier.WARM, warm, 0.01, 0),
                new SiteOffer.StorageClassOffer("GLACIER_IR", Tier.COLD, cold, 0.03, 0)));
    }

    static final List<SiteOffer> SITES = List.of(
            site("aws", "AWS", "us-east", 25, 0.09, true, true, 0.023, 0.0125, 0.004),
            site("azure", "AZURE", "eu-west", 35, 0.087, true, true, 0.0208, 0.0152, 0.0036),
            site("gcp", "GCP", "us-central", 30, 0.12, false, true, 0.020, 0.010, 0.0045),
            site("gcp-2", "GCP", "us-central", 30, 0.12, false, true, 0.019, 0.010, 0.0045));

    static PlacementRequest request(Tier tier, int copies, double sla, boolean encryptedOnly, String currentPrimary,
            Map<String, Double> demand) {
        return new PlacementRequest("k", 100_000_000_000L, tier, copies, sla, encryptedOnly, 1.0, currentPrimary,
                currentPrimary == null ? Set.of() : Set.of(currentPrimary), demand, 0);
    }

    @Test
    void shouldScoreWithTheLogisticFunction() {
        LogisticScorer scorer = new LogisticScorer("t", 0.0, List.of(new LogisticScorer.Weight("heat", 10, 5, 2.0)));
        assertEquals(0.5, scorer.score(new Features(0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 1e-12);
        assertEquals(1 / (1 + Math.exp(-2.0)), scorer.score(new Features(0, 0, 0, 0, 0, 0, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 1e-12);
        Features idle = new Features(0, 0, 30 * 86400, 6, 3, 1, 0, 0, 0, 0, 0, Features.NO_READS_INTERARRIVAL_S,
                0, 0, 0, 60 * 86400, Features.NO_READS_INTERARRIVAL_S, 0);
        Features busy = new Features(50, 400, 5, 6, 3, 1, 60, 40, 20, 0.5, 2, 30, 900, 40 * 86400, 22.5, 10, 2_000, 35);
        assertTrue(LogisticScorer.BUILT_IN.score(busy) > 0.9);
        assertTrue(LogisticScorer.BUILT_IN.score(idle) < 0.05);
    }

    @Test
    void shouldPromoteAtTheThresholdAndDemoteOnlyBelowTheHysteresisBand() {
        assertEquals(Tier.HOT, TierDecider.decide(20, Tier.COLD, POLICY));
        assertEquals(Tier.WARM, TierDecider.decide(19.9, null, POLICY));
        assertEquals(Tier.HOT, TierDecider.decide(15.1, Tier.HOT, POLICY), "inside the band: stays hot");
        assertEquals(Tier.WARM, TierDecider.decide(14.9, Tier.HOT, POLICY));
        assertEquals(Tier.COLD, TierDecider.decide(1.4, Tier.HOT, POLICY), "far below both bands");
        assertEquals(Tier.WARM, TierDecider.decide(1.6, Tier.WARM, POLICY));
        assertEquals(15.0, TierDecider.demotionThreshold(Tier.HOT, POLICY), 1e-12);
    }

    @Test
    void shouldChooseTheCheapestSiteForColdData() {
        PlacementDecision decision = PlacementOptimizer.optimize(request(Tier.COLD, 1, 50, false, null, Map.of()), SITES);
        assertEquals("azure", decision.primary());
        assertEquals("GLACIER_IR", decision.storageClass());
        assertEquals(100 * 0.0036, decision.objective(), 1e-9);
        assertNull(decision.bindingConstraint());
    }

    @Test
    void shouldWeighEgressToTheReadersRegion() {
        // 1000 GB a month read from us-east: egress dominates storage.
        PlacementDecision decision = PlacementOptimizer.optimize(
                request(Tier.HOT, 1, 50, false, null, Map.of("us-east", 1000.0)), SITES);
        assertEquals("aws", decision.primary());
        assertEquals(100 * 0.023, decision.objective(), 1e-9, "no egress within the region");
    }

    @Test
    void shouldPlaceReplicasOnDistinctProvidersAndReportTheShortfall() {
        PlacementDecision three = PlacementOptimizer.optimize(request(Tier.COLD, 3, 50, false, null, Map.of()), SITES);
        assertEquals(2, three.replicas().size());
        Set<String> providers = new java.util.HashSet<>();
        for (String name : concat(three.primary(), three.replicas())) {
            providers.add(SITES.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().provider());
        }
        assertEquals(3, providers.size(), "one copy per provider");
        PlacementDecision four = PlacementOptimizer.optimize(request(Tier.COLD, 4, 50, false, null, Map.of()), SITES);
        assertEquals(2, four.replicas().size(), "only three providers exist");
        assertEquals(PlacementOptimizer.REPLICATION, four.bindingConstraint());
    }

    @Test
    void shouldRespectTheSlaEncryptionAndSitesThatAreDown() {
        PlacementDecision sla = PlacementOptimizer.optimize(
                request(Tier.HOT, 1, 28, false, null, Map.of("us-central", 100.0)), SITES);
        assertEquals("aws", sla.primary());
        // gcp (30 ms) is rejected by the 28 ms SLA; aws answers us-central in 25 + 25 ms: the demand is not served.
        assertEquals(PlacementOptimizer.LATENCY_SLA + ":us-central", sla.bindingConstraint());

        PlacementDecision encrypted = PlacementOptimizer.optimize(
                request(Tier.WARM, 1, 50, true, null, Map.of("us-central", 100.0)), SITES);
        assertFalse(encrypted.primary().startsWith("gcp"));
        assertEquals(PlacementOptimizer.ENCRYPTED_ONLY, encrypted.bindingConstraint());

        List<SiteOffer> azureDown = SITES.stream().map(s -> s.name().equals("azure")
                ? site("azure", "AZURE", "eu-west", 35, 0.087, true, false, 0.0208, 0.0152, 0.0036) : s).toList();
        PlacementDecision down = PlacementOptimizer.optimize(request(Tier.COLD, 1, 50, false, null, Map.of()), azureDown);
        assertEquals("aws", down.primary());
        assertEquals(PlacementOptimizer.SITE_DOWN, down.bindingConstraint());

        PlacementDecision none = PlacementOptimizer.optimize(request(Tier.HOT, 1, 1, false, null, Map.of()), SITES);
        assertFalse(none.isPlaced());
        assertEquals(PlacementOptimizer.NO_FEASIBLE_SITE, none.bindingConstraint());
    }

    @Test
    void shouldUseAHotterClassWhereASiteHasNoneForTheTier() {
        SiteOffer onprem = new SiteOffer("onprem", "ONPREM", "eu-west", 8, 0, false, true, Long.MAX_VALUE,
                List.of(new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT, 0.001, 0, 0)));
        assertEquals("STANDARD", onprem.classFor(Tier.COLD).orElseThrow().name());
        SiteOffer coldOnly = new SiteOffer("vault", "OTHER", "eu-west", 8, 0, false, true, Long.MAX_VALUE,
                List.of(new SiteOffer.StorageClassOffer("DEEP", Tier.COLD, 0.0001, 0, 0)));
        assertTrue(coldOnly.classFor(Tier.HOT).isEmpty(), "hot data never goes to a colder class");
    }

    @Test
    void shouldMoveOnlyWhenTheSavingBeatsTheCostOfMoving() {
        // Storage saving of a cold 100 GB dataset from aws to azure is 0.04 $/month; moving costs 9 $ of egress.
        PlacementRequest request = request(Tier.COLD, 1, 50, false, "aws", Map.of());
        assertEquals("aws", PlacementOptimizer.optimize(request, SITES).primary(),
                "the search itself charges the amortised move: staying is cheaper");
        PlacementDecision desired = PlacementOptimizer.optimize(request(Tier.COLD, 1, 50, false, null, Map.of()), SITES);
        assertEquals("azure", desired.primary(), "ignoring where it is, azure is cheapest");
        MigrationPlanner.Actual actual = new MigrationPlanner.Actual("aws", List.of(), "GLACIER_IR", 0);
        assertEquals(Optional.empty(), MigrationPlanner.next(actual, desired, request, SITES, POLICY, 1_000_000));
    }

    @Test
    void shouldMoveAtOnceWhenTheCurrentSiteIsNoLongerAllowedEvenInTheCooldown() {
        List<SiteOffer> awsDown = SITES.stream().map(s -> s.name().equals("aws")
                ? site("aws", "AWS", "us-east", 25, 0.09, true, false, 0.023, 0.0125, 0.004) : s).toList();
        PlacementRequest request = request(Tier.COLD, 1, 50, false, "aws", Map.of());
        PlacementDecision desired = PlacementOptimizer.optimize(request, awsDown);
        MigrationPlanner.Actual justMoved = new MigrationPlanner.Actual("aws", List.of(), "GLACIER_IR", 999_000);
        MigrationPlanner.Step step = MigrationPlanner.next(justMoved, desired, request, awsDown, POLICY, 1_000_000)
                .orElseThrow();
        assertEquals(MigrationPlanner.Action.COPY, step.action());
        assertEquals("azure", step.destination());
        assertTrue(step.reason().contains("site_down"), step.reason());
    }

    @Test
    void shouldStepCopySwitchRetire() {
        PlacementRequest request = request(Tier.HOT, 1, 50, false, "azure", Map.of("us-east", 1000.0));
        PlacementDecision desired = PlacementOptimizer.optimize(request, SITES);
        long now = 10_000_000;
        var copy = MigrationPlanner.next(new MigrationPlanner.Actual("azure", List.of(), "STANDARD", 0), desired,
                request, SITES, POLICY, now).orElseThrow();
        assertEquals(List.of("COPY", "azure", "aws"), List.of(copy.action().name(), copy.source(), copy.destination()));
        var switchStep = MigrationPlanner.next(new MigrationPlanner.Actual("azure", List.of("aws"), "STANDARD", now - 1),
                desired, request, SITES, POLICY, now).orElseThrow();
        assertEquals(MigrationPlanner.Action.SWITCH, switchStep.action(),
                "finishing a move is not held back by the cooldown");
        var retire = MigrationPlanner.next(new MigrationPlanner.Actual("aws", List.of("azure"), "STANDARD", now - 1),
                desired, request, SITES, POLICY, now).orElseThrow();
        assertEquals(List.of("RETIRE", "azure"), List.of(retire.action().name(), retire.source()));
        assertEquals(now + POLICY.retireGraceMs(), retire.notBeforeMs());
        assertEquals(Optional.empty(), MigrationPlanner.next(new MigrationPlanner.Actual("aws", List.of(), "STANDARD", 0),
                desired, request, SITES, POLICY, now));
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
