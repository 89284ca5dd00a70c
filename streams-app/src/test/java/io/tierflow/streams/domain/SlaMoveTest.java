package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A move the SLA asks for is made although it costs more: the planner follows what the search ranked first. */
class SlaMoveTest {
    private static final SiteOffer AWS = DecisionTest.site("aws", "AWS", "us-east", 25, 0.09, true, true, 0.023,
            0.0125, 0.004);
    /** Cheaper in every way, and 8 ms at the site, but 75 ms from us-east. */
    private static final SiteOffer ONPREM = new SiteOffer("onprem", "ONPREM", "eu-west", 8, 0.0, false, true,
            Long.MAX_VALUE, List.of(new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT, 0.010, 0, 0)));
    private static final List<SiteOffer> SITES = List.of(AWS, ONPREM);

    @Test
    void aHotDatasetOnACheapSiteItsReadersCannotReachInTimeMovesToOneTheyCan() {
        PlacementRequest request = new PlacementRequest("k", 1_000_000_000L, Tier.HOT, 1, 50.0, false, 1.0,
                "onprem", Set.of("onprem"), Map.of("us-east", 2.0), 100);
        PlacementDecision desired = PlacementOptimizer.optimize(request, SITES);
        assertEquals("aws", desired.primary(), "only aws serves us-east within 50 ms");
        assertTrue(SlaCoverage.shareOf(request, SITES, "onprem", List.of()) < 1e-9);
        assertEquals(1.0, SlaCoverage.shareOf(request, SITES, "aws", List.of()), 1e-12);

        MigrationPlanner.Actual actual = new MigrationPlanner.Actual("onprem", List.of(), "STANDARD", 0);
        MigrationPlanner.Step step = MigrationPlanner.next(actual, desired, request, SITES,
                TieringPolicy.BUILT_IN, 1_700_000_000_000L).orElseThrow();
        assertEquals(MigrationPlanner.Action.COPY, step.action());
        assertEquals("aws", step.destination());
    }
}
