package io.tierflow.streams.domain.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.PlacementDecision;
import io.tierflow.streams.domain.PlacementOptimizer;
import io.tierflow.streams.domain.PlacementRequest;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EstateCostsTest {
    private static final List<SiteOffer.StorageClassOffer> CLASSES = List.of(
            new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT, 0.02, 0.0, 0.0004),
            new SiteOffer.StorageClassOffer("COLD", Tier.COLD, 0.004, 0.03, 0.01));
    private static final SiteOffer SECURE = new SiteOffer("secure", "AWS", "us-east", 25, 0.09, true, true,
            Long.MAX_VALUE, CLASSES);
    private static final SiteOffer PLAIN = new SiteOffer("plain", "GCP", "eu-west", 30, 0.12, false, true,
            Long.MAX_VALUE, CLASSES);
    private static final SiteOffer DOWN = new SiteOffer("down", "AZURE", "eu-west", 30, 0.08, true, false,
            Long.MAX_VALUE, CLASSES);
    private static final List<SiteOffer> SITES = List.of(SECURE, PLAIN, DOWN);

    private static PlacementRequest request(String key, Tier tier, boolean encryptedOnly, String current) {
        return new PlacementRequest(key, 10_000_000_000L, tier, 1, 50, encryptedOnly, 6, current,
                current == null ? Set.of() : Set.of(current), Map.of("eu-west", 4.0, "us-east", 1.0), 2_000);
    }

    @Test
    void shouldPriceEverySiteAsThePerDatasetPlacementDoesAndForbidWhatItRejects() {
        EstateCosts costs = new EstateCosts(SITES);
        EstateProblem.Builder builder = EstateProblem.builder(costs.siteNames(), new long[] {Long.MAX_VALUE,
                Long.MAX_VALUE, Long.MAX_VALUE}, Long.MAX_VALUE);
        List<PlacementRequest> requests = List.of(request("hot", Tier.HOT, false, "secure"),
                request("cold", Tier.COLD, true, "plain"), request("new", Tier.COLD, false, null));

        requests.forEach(r -> assertTrue(costs.add(builder, r), r.key()));
        EstateProblem problem = builder.build();

        for (int i = 0; i < requests.size(); i++) {
            PlacementDecision decision = PlacementOptimizer.optimize(requests.get(i), SITES);
            for (PlacementDecision.SiteEvaluation evaluation : decision.evaluations()) {
                int j = costs.siteIndex(evaluation.site());
                if (evaluation.feasible()) {
                    assertEquals(evaluation.total(), problem.cost(i, j), 1e-12, requests.get(i).key() + " at "
                            + evaluation.site());
                } else {
                    assertFalse(problem.feasible(i, j), requests.get(i).key() + " may not go to " + evaluation.site());
                }
            }
        }
        assertFalse(problem.feasible(0, costs.siteIndex("down")), "a site that is down takes nothing");
        assertFalse(problem.feasible(1, costs.siteIndex("plain")), "encrypted-only data never on an unencrypted site");
        assertEquals(0, problem.currentSite(0));
        assertEquals(1, problem.currentSite(1));
        assertEquals(-1, problem.currentSite(2));
        assertFalse(problem.movesCountAgainstBudget(1), "its current site is forbidden: moving it is an evacuation");
        assertTrue(problem.movesCountAgainstBudget(0));
    }

    @Test
    void shouldLeaveOutADatasetNoSiteMayHold() {
        EstateCosts costs = new EstateCosts(List.of(PLAIN, DOWN));
        EstateProblem.Builder builder = EstateProblem.builder(costs.siteNames(), new long[] {1L << 40, 1L << 40},
                Long.MAX_VALUE);

        boolean added = costs.add(builder, request("secret", Tier.COLD, true, "plain"));

        assertFalse(added);
        assertEquals(0, builder.build().datasets());
    }
}
