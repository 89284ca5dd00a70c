package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The global pass's pin applied to a dataset's decision ({@link DatasetEvaluator} with a pin, {@link PinnedPlacement}):
 * on the sites of {@link DecisionTest}, a cold dataset on azure (its own cheapest site) pinned to aws.
 */
class PinnedPlacementTest {
    private static final TieringPolicy POLICY = HeatPolicy.DEFAULTS;
    private static final LogisticScorer SCORER = LogisticScorer.BUILT_IN;
    private static final long T0 = 1_700_000_000_000L;
    private static final long GB = 1_000_000_000L;
    private static final PinnedPlacement.Pin TO_AWS = new PinnedPlacement.Pin("aws", "pass-1", T0 + 3_600_000);

    @Test
    void shouldMoveThePrimaryToThePinnedSiteThoughTheDatasetAloneWouldStay() {
        DatasetEvaluator.Evaluation own = evaluate(coldOnAzure(0), DecisionTest.SITES, null, T0);
        assertEquals("azure", own.placement().primary(), "azure is the cheapest cold site");
        assertNull(own.step(), "by itself the dataset stays");

        DatasetEvaluator.Evaluation pinned = evaluate(coldOnAzure(0), DecisionTest.SITES, TO_AWS, T0);

        assertEquals("aws", pinned.placement().primary());
        assertEquals("GLACIER_IR", pinned.placement().storageClass());
        assertEquals(PinnedPlacement.GLOBAL_PASS, pinned.placement().bindingConstraint());
        PlacementDecision.SiteEvaluation aws = own.placement().evaluations().stream()
                .filter(e -> e.site().equals("aws")).findFirst().orElseThrow();
        assertEquals(aws.total(), pinned.placement().objective(), 1e-12, "aws's own cost row: storage and the move");
        assertTrue(aws.moveUsd() > 0 && aws.total() > own.placement().objective(), "dearer than staying");
        MigrationPlanner.Step step = pinned.step();
        assertNotNull(step, "the pass's move is planned, not held back by the dataset's own saving test");
        assertEquals(List.of(MigrationPlanner.Action.COPY, "azure", "aws"),
                List.of(step.action(), step.source(), step.destination()));
        assertEquals("placed by the global pass", step.reason());
        assertTrue(pinned.pin().decided());
        assertEquals("azure", pinned.pin().ownPrimary());
        assertEquals(TO_AWS, pinned.pin().pin());
    }

    @Test
    void shouldStillHoldTheCooldownForAPinnedMove() {
        DatasetEvaluator.Evaluation pinned = evaluate(coldOnAzure(T0 - 60_000), DecisionTest.SITES, TO_AWS, T0);

        assertEquals("aws", pinned.placement().primary(), "the pin decides the placement");
        assertNull(pinned.step(), "a move a minute ago: the cooldown holds the next one back");
    }

    @Test
    void shouldFallBackToTheDatasetsOwnDecisionWhenThePinnedSiteHasNoRoomAndSaySo() {
        List<SiteOffer> full = with(DecisionTest.SITES, "aws", site -> new SiteOffer(site.name(), site.provider(),
                site.region(), site.p95LatencyMs(), site.egressPerGb(), site.encrypted(), site.up(), GB / 2,
                site.classes()));
        DatasetEvaluator.Evaluation own = evaluate(coldOnAzure(0), full, null, T0);

        DatasetEvaluator.Evaluation pinned = evaluate(coldOnAzure(0), full, TO_AWS, T0);

        assertEquals(own.placement(), pinned.placement(), "the dataset's own decision stands");
        assertNull(pinned.step());
        assertFalse(pinned.pin().decided());
        assertEquals(PlacementOptimizer.CAPACITY, pinned.pin().refusedBecause());
        assertTrue(pinned.pin().mayPassLater(), "room may be freed by the pass's other moves");
    }

    @Test
    void shouldRefuseAPinThatBreaksTheSlaOrNamesASiteThatIsDownOrUnknown() {
        // Hot, with a 28 ms SLA: gcp answers in 30 ms.
        DatasetEvaluator.Facts hot = new DatasetEvaluator.Facts("k", GB, 28.0, Tier.HOT, "aws", List.of(),
                "STANDARD", 0, false, 0L);
        Activity burst = new Activity();
        for (int i = 0; i < 30; i++) {
            long at = T0 + i * 10_000L;
            burst.record(at, "GET", GB / 10, "us-east", "read-" + i, POLICY, at);
        }
        long now = T0 + 300_000;
        PinnedPlacement.Pin toGcp = new PinnedPlacement.Pin("gcp", "pass-1", now + 3_600_000);
        DatasetEvaluator.Evaluation sla = DatasetEvaluator.evaluate(hot, burst, POLICY, SCORER, DecisionTest.SITES,
                toGcp, now);
        assertEquals(Tier.HOT, sla.tier());
        assertEquals("aws", sla.placement().primary());
        assertEquals(PlacementOptimizer.LATENCY_SLA, sla.pin().refusedBecause());
        assertFalse(sla.pin().mayPassLater(), "a slow site stays slow: nothing to wait for");

        List<SiteOffer> awsDown = with(DecisionTest.SITES, "aws", site -> new SiteOffer(site.name(), site.provider(),
                site.region(), site.p95LatencyMs(), site.egressPerGb(), site.encrypted(), false,
                site.capacityBytes(), site.classes()));
        assertEquals(PlacementOptimizer.SITE_DOWN, evaluate(coldOnAzure(0), awsDown, TO_AWS, T0).pin()
                .refusedBecause());

        PinnedPlacement.Pin nowhere = new PinnedPlacement.Pin("ibm", "pass-1", T0 + 3_600_000);
        DatasetEvaluator.Evaluation unknown = evaluate(coldOnAzure(0), DecisionTest.SITES, nowhere, T0);
        assertEquals(PinnedPlacement.UNKNOWN_SITE, unknown.pin().refusedBecause());
        assertEquals("azure", unknown.placement().primary());
    }

    @Test
    void shouldIgnoreAnExpiredPin() {
        DatasetEvaluator.Evaluation own = evaluate(coldOnAzure(0), DecisionTest.SITES, null, T0 + 3_600_000);

        DatasetEvaluator.Evaluation expired = evaluate(coldOnAzure(0), DecisionTest.SITES, TO_AWS, T0 + 3_600_000);

        assertNull(expired.pin(), "no pin in force");
        assertEquals(own.placement(), expired.placement());
        assertNull(expired.step());
    }

    @Test
    void shouldKeepReplicasOnOtherProvidersAndGiveTheOwnPrimaryTheRoleOfOneDropped() {
        // Two copies wanted: the dataset's own choice is azure + a replica on aws or gcp; pinned to gcp-2, a replica on
        // gcp (same provider) must go, and azure, its own primary, takes its place.
        PlacementDecision own = new PlacementDecision(Tier.COLD, "azure", List.of("gcp"), "GLACIER_IR", 1.0, null,
                PlacementOptimizer.optimize(DecisionTest.request(Tier.COLD, 2, 50, false, "azure", java.util.Map.of()),
                        DecisionTest.SITES).evaluations());
        PinnedPlacement.Result result = PinnedPlacement.apply(new PinnedPlacement.Pin("gcp-2", "pass-1", T0 + 1),
                own, DecisionTest.SITES, T0);

        assertEquals("gcp-2", result.placement().primary());
        assertEquals(List.of("azure"), result.placement().replicas());
        assertTrue(result.pinDecided());
    }

    private static DatasetEvaluator.Evaluation evaluate(DatasetEvaluator.Facts facts, List<SiteOffer> sites,
            PinnedPlacement.Pin pin, long now) {
        return DatasetEvaluator.evaluate(facts, new Activity(), POLICY, SCORER, sites, pin, now);
    }

    private static DatasetEvaluator.Facts coldOnAzure(long lastMoveAt) {
        return new DatasetEvaluator.Facts("k", GB, null, Tier.COLD, "azure", List.of(), "GLACIER_IR", lastMoveAt,
                false, 0L);
    }

    private static List<SiteOffer> with(List<SiteOffer> sites, String name,
            java.util.function.UnaryOperator<SiteOffer> change) {
        List<SiteOffer> changed = new ArrayList<>();
        for (SiteOffer site : sites) {
            changed.add(site.name().equals(name) ? change.apply(site) : site);
        }
        return changed;
    }
}
