package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The placement search decides exactly as the plain search it replaced ({@link ExhaustivePlacementSearch}): same
 * primary, replicas, class, objective, binding constraint and per-site scores, over random catalogues built to hit the
 * corners (shared providers, missing classes, sites down or unencrypted or too small, equal prices, and requests
 * that cannot be placed at all).
 */
class PlacementSearchAgreementTest {
    private static final String[] PROVIDERS = {"AWS", "AZURE", "GCP", "ONPREM"};
    private static final String[] REGIONS = {"us-east", "eu-west", "us-central", "ap-south"};
    private static final double[] PRICES = {0.001, 0.004, 0.004, 0.01, 0.02, 0.023};

    @Test
    void shouldChooseWhatTheExhaustiveSearchChooses() {
        Random random = new Random(20261122);
        int placed = 0;
        int unplaced = 0;
        int bound = 0;
        for (int i = 0; i < 30_000; i++) {
            List<SiteOffer> sites = sites(random);
            PlacementRequest request = request(random, sites);
            PlacementDecision expected = ExhaustivePlacementSearch.optimize(request, sites);
            PlacementDecision actual = PlacementOptimizer.optimize(request, sites);
            assertEquals(expected, actual, () -> "request " + request + "\nsites " + sites);
            placed += actual.isPlaced() ? 1 : 0;
            unplaced += actual.isPlaced() ? 0 : 1;
            bound += actual.bindingConstraint() != null ? 1 : 0;
        }
        // The random cases must reach both outcomes and binding constraints, or the agreement says little.
        assertTrue(placed > 10_000 && unplaced > 100 && bound > 1_000, placed + " placed, " + unplaced
                + " not placed, " + bound + " with a binding constraint");
    }

    private static List<SiteOffer> sites(Random random) {
        int count = 1 + random.nextInt(7);
        List<SiteOffer> sites = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<SiteOffer.StorageClassOffer> classes = new ArrayList<>();
            for (Tier tier : Tier.values()) {
                if (random.nextInt(6) > 0) {
                    classes.add(new SiteOffer.StorageClassOffer(tier.name() + "_CLASS", tier, pick(random, PRICES),
                            pick(random, PRICES), pick(random, PRICES)));
                }
            }
            // Shuffled names, so the search's own ordering by name is exercised.
            sites.add(new SiteOffer("site-" + (char) ('a' + random.nextInt(26)) + i, pick(random, PROVIDERS),
                    pick(random, REGIONS), 5 + random.nextInt(60), pick(random, PRICES) * 10,
                    random.nextInt(4) > 0, random.nextInt(8) > 0,
                    random.nextInt(10) > 0 ? Long.MAX_VALUE : 1_000, classes));
        }
        return sites;
    }

    private static PlacementRequest request(Random random, List<SiteOffer> sites) {
        String primary = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> "gone";
            default -> sites.get(random.nextInt(sites.size())).name();
        };
        Set<String> current = new HashSet<>();
        if (primary != null) {
            current.add(primary);
        }
        for (SiteOffer site : sites) {
            if (random.nextInt(4) == 0) {
                current.add(site.name());
            }
        }
        Map<String, Double> demand = new HashMap<>();
        for (String region : REGIONS) {
            if (random.nextBoolean()) {
                demand.put(region, random.nextInt(3) == 0 ? 0.0 : random.nextDouble() * 500);
            }
        }
        Tier tier = pick(random, Tier.values());
        return new PlacementRequest("k", random.nextInt(2) == 0 ? 500 : 1L << (20 + random.nextInt(20)), tier,
                random.nextInt(5), 10 + random.nextInt(50), random.nextInt(3) == 0, 1 + random.nextInt(12), primary,
                current, demand, random.nextInt(2) == 0 ? 0 : random.nextDouble() * 1e6);
    }

    private static <T> T pick(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    private static double pick(Random random, double[] values) {
        return values[random.nextInt(values.length)];
    }
}
