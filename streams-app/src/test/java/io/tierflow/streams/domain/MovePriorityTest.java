package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.MigrationBudget.Urgency;
import java.util.List;
import org.junit.jupiter.api.Test;

class MovePriorityTest {
    private static final long GB = 1_000_000_000L;
    private static final double HORIZON_MONTHS = 1.0;

    private static SiteOffer site(String name, boolean up) {
        return new SiteOffer(name, name.toUpperCase(), "region-" + name, 20, 0.09, true, up, Long.MAX_VALUE,
                List.of(new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT, 0.023, 0, 0.0004),
                        new SiteOffer.StorageClassOffer("IA", Tier.WARM, 0.0125, 0.01, 0.001)));
    }

    /** A decision to put the primary on {@code to}; the current primary {@code from} scored as given. */
    private static PlacementDecision decision(String from, double fromEgress, boolean fromFeasible, String to,
            double toEgress) {
        return new PlacementDecision(Tier.HOT, to, List.of(), "STANDARD", 1.0, null, List.of(
                new PlacementDecision.SiteEvaluation(from, 0.02, fromEgress, 0, fromFeasible,
                        fromFeasible ? null : PlacementOptimizer.LATENCY_SLA),
                new PlacementDecision.SiteEvaluation(to, 0.02, toEgress, 0.09, true, null)));
    }

    private static MigrationPlanner.Step copy(String from, String to, String storageClass) {
        return new MigrationPlanner.Step(MigrationPlanner.Action.COPY, from, to, storageClass, 0, "test");
    }

    @Test
    void shouldRankAMoveOffADownSiteAsAnEvacuation() {
        MigrationBudget.Move move = MovePriority.of("k", GB, copy("a", "b", "STANDARD"), "a", "STANDARD",
                decision("a", 1.0, false, "b", 0.0), List.of(site("a", false), site("b", true)), HORIZON_MONTHS, 7);
        assertEquals(Urgency.EVACUATION, move.urgency());
        assertEquals(7, move.since());
    }

    @Test
    void shouldRankAMoveOffAPrimaryTheDecisionNoLongerAllowsAsForced() {
        MigrationBudget.Move move = MovePriority.of("k", GB, copy("a", "b", "STANDARD"), "a", "STANDARD",
                decision("a", 1.0, false, "b", 0.0), List.of(site("a", true), site("b", true)), HORIZON_MONTHS, 7);
        assertEquals(Urgency.FORCED, move.urgency());
    }

    @Test
    void shouldValueAnOptionalMoveByItsSavingPerGbOverTheHorizon() {
        List<SiteOffer> sites = List.of(site("a", true), site("b", true));
        MigrationBudget.Move small = MovePriority.of("small", GB / 2, copy("a", "b", "STANDARD"), "a", "STANDARD",
                decision("a", 1.0, true, "b", 0.2), sites, 3.0, 7);
        MigrationBudget.Move large = MovePriority.of("large", 2 * GB, copy("a", "b", "STANDARD"), "a", "STANDARD",
                decision("a", 1.0, true, "b", 0.2), sites, 3.0, 7);
        assertEquals(Urgency.SAVING, small.urgency());
        assertEquals(0.8 * 3.0 / 0.5, small.valuePerGb(), 1e-12, "0.80 USD a month over 3 months, per 0.5 GB");
        assertEquals(0.8 * 3.0 / 2, large.valuePerGb(), 1e-12);
        assertTrue(MigrationBudget.PRIORITY.compare(small, large) < 0, "the same saving over fewer bytes goes first");
    }

    @Test
    void shouldValueAChangeOfClassInPlaceByTheClassesPrices() {
        MigrationBudget.Move move = MovePriority.of("k", GB, copy("a", "a", "IA"), "a", "STANDARD",
                decision("a", 0.0, true, "a", 0.0), List.of(site("a", true)), 2.0, 7);
        assertEquals(Urgency.SAVING, move.urgency());
        assertEquals((0.023 - 0.0125) * 2.0, move.valuePerGb(), 1e-12);
    }

    @Test
    void shouldGiveANewReplicaNoSaving() {
        MigrationBudget.Move move = MovePriority.of("k", GB, copy("a", "b", "STANDARD"), "a", "STANDARD",
                new PlacementDecision(Tier.HOT, "a", List.of("b"), "STANDARD", 1.0, null, List.of()),
                List.of(site("a", true), site("b", true)), HORIZON_MONTHS, 7);
        assertEquals(Urgency.SAVING, move.urgency());
        assertEquals(0.0, move.valuePerGb());
    }
}
