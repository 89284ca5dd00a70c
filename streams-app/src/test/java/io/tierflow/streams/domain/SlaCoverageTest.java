package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A hot placement meets the SLA where its clients are: each region with demand is served by one of its copies within
 * the SLA (site p95 + round trip), and the search prefers the placement that serves the most demand.
 */
class SlaCoverageTest {
    // The local stack's sites; onprem is the cheapest, then gcp, then aws: by price alone the pair is onprem + gcp.
    private static final SiteOffer AWS = site("aws", "AWS", "us-east", 25, 0.023);
    private static final SiteOffer GCP = site("gcp", "GCP", "us-central", 30, 0.020);
    private static final SiteOffer ONPREM = site("onprem", "ONPREM", "eu-west", 8, 0.005);
    private static final List<SiteOffer> SITES = List.of(AWS, GCP, ONPREM);
    private static final SiteOffer[] ORDERED = {AWS, GCP, ONPREM}; // by name, as the search orders them

    @Test
    void shouldServeTwoRegionsWithTwoCopiesOneNearEach() {
        // us-east: aws 25 + 1 = 26 ms; gcp 30 + 25 = 55, onprem 8 + 75 = 83 miss 50 ms. eu-west: onprem 9 ms.
        PlacementDecision decision = PlacementOptimizer.optimize(hot(2, Map.of("us-east", 10.0, "eu-west", 5.0)),
                SITES);
        assertEquals(Set.of("aws", "onprem"), copies(decision), "onprem + gcp is cheaper but serves no us-east read");
        assertNull(decision.bindingConstraint(), "every region is served");
    }

    @Test
    void shouldMeasureTheShareOfDemandACandidateServes() {
        SlaCoverage coverage = SlaCoverage.of(hot(2, Map.of("us-east", 10.0, "eu-west", 5.0)), ORDERED);
        int[] positions = {0, 1, 2};
        assertEquals(1.0, coverage.coveredShare(0, positions, new int[] {2}, 1), "aws + onprem");
        assertEquals(5.0 / 15, coverage.coveredShare(2, positions, new int[] {1}, 1), 1e-12, "onprem + gcp");
        assertEquals(10.0 / 15, coverage.coveredShare(0, positions, new int[] {1}, 1), 1e-12, "aws + gcp");
        assertEquals(SlaCoverage.UNSERVED_PREFIX + "us-east", coverage.unservedConstraint(2, new int[] {1}));
        assertNull(coverage.unservedConstraint(0, new int[] {2}));
    }

    @Test
    void shouldServeTheLargestShareWhenTooFewCopiesAreAllowedAndSaySo() {
        PlacementDecision decision = PlacementOptimizer.optimize(hot(1, Map.of("us-east", 10.0, "eu-west", 5.0)),
                SITES);
        assertEquals("aws", decision.primary(), "one copy: the one serving the larger demand, not the cheapest");
        assertEquals(List.of(), decision.replicas());
        assertEquals("latency_sla:eu-west", decision.bindingConstraint());
    }

    @Test
    void shouldNameTheRegionsNoSiteCanServe() {
        // ap-south: onprem 8 + 120 = 128 ms at best; no set of copies serves it within 50 ms.
        PlacementDecision decision = PlacementOptimizer.optimize(
                hot(2, Map.of("us-east", 10.0, "eu-west", 5.0, "ap-south", 3.0)), SITES);
        assertEquals(Set.of("aws", "onprem"), copies(decision), "still the most demand served");
        assertEquals("latency_sla:ap-south", decision.bindingConstraint());
    }

    @Test
    void shouldLeaveColderTiersAndUnreadDataToPrice() {
        PlacementRequest warm = new PlacementRequest("k", 1_000_000_000L, Tier.WARM, 2, 50, false, 12, null, Set.of(),
                Map.of("us-east", 10.0, "eu-west", 5.0), 0);
        assertNull(PlacementOptimizer.optimize(warm, SITES).bindingConstraint(), "no SLA for warm data");
        assertEquals(Set.of("gcp", "onprem"), copies(PlacementOptimizer.optimize(hot(2, Map.of()), SITES)),
                "nobody reads it: the cheapest pair");
        assertEquals(1.0, SlaCoverage.of(hot(2, Map.of("ap-south", 0.0)), ORDERED).coveredShare(0, new int[0],
                new int[0], 0), "a region with no demand needs no copy");
    }

    private static PlacementRequest hot(int replication, Map<String, Double> gbByRegion) {
        return new PlacementRequest("k", 1_000_000_000L, Tier.HOT, replication, 50, false, 12, null, Set.of(),
                gbByRegion, 0);
    }

    private static Set<String> copies(PlacementDecision decision) {
        Set<String> copies = new java.util.HashSet<>(decision.replicas());
        copies.add(decision.primary());
        return copies;
    }

    private static SiteOffer site(String name, String provider, String region, double p95Ms, double hotPrice) {
        return new SiteOffer(name, provider, region, p95Ms, 0.0, true, true, Long.MAX_VALUE,
                List.of(new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT, hotPrice, 0.0, 0.0),
                        new SiteOffer.StorageClassOffer("COOL", Tier.WARM, hotPrice / 2, 0.0, 0.0)));
    }
}
