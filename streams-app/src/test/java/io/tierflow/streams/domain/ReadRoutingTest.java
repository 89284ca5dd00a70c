package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.ReadRouting.ServingCopy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The copy a read is served from. */
class ReadRoutingTest {
    private static final Map<String, SiteOffer> SITES = Map.of(
            "aws", site("aws", "us-east", 25, true),
            "azure", site("azure", "eu-west", 35, true),
            "gcp", site("gcp", "us-central", 30, true),
            "onprem", site("onprem", "eu-west", 8, true),
            "dark", site("dark", "us-east", 1, false));

    @Test
    void shouldServeFromTheOnlyCopyWhereverTheClientIs() {
        assertEquals(Optional.of(new ServingCopy("aws", "us-east", 25)),
                ReadRouting.nearestCopy("aws", List.of(), "ap-south", SITES));
    }

    @Test
    void shouldSendAUsEastClientToTheCopyThatAnswersSoonerNotTheFastestSite() {
        // onprem: 8 ms at the site + 75 ms from us-east to eu-west = 83; gcp: 30 + 25 from us-east to us-central = 55.
        assertEquals(new ServingCopy("gcp", "us-central", 30),
                ReadRouting.nearestCopy("onprem", List.of("gcp"), "us-east", SITES).orElseThrow());
        assertEquals("gcp", ReadRouting.nearestCopy("gcp", List.of("onprem"), "us-east", SITES).orElseThrow().site(),
                "whichever copy is the primary");
    }

    @Test
    void shouldTakeTheLowestExpectedLatencyWithinAndAcrossRegions() {
        assertEquals(new ServingCopy("onprem", "eu-west", 8),
                ReadRouting.nearestCopy("azure", List.of("onprem"), "eu-west", SITES).orElseThrow(),
                "both in the client's region: the faster site");
        assertEquals("gcp", ReadRouting.nearestCopy("azure", List.of("gcp"), "us-central", SITES).orElseThrow().site(),
                "a replica in the client's region beats the primary elsewhere");
        assertEquals("azure", ReadRouting.nearestCopy("gcp", List.of("azure"), "ap-south", SITES).orElseThrow().site(),
                "from ap-south eu-west is 120 ms away, us-central 220: azure (35 + 120) beats gcp (30 + 220)");
        Map<String, SiteOffer> slowAtHome = Map.of("home", site("home", "us-east", 90, true),
                "near", site("near", "us-central", 20, true));
        assertEquals("near", ReadRouting.nearestCopy("home", List.of("near"), "us-east", slowAtHome).orElseThrow()
                .site(), "a slow site in the client's region loses to a fast one a short trip away (91 vs 45 ms)");
    }

    @Test
    void shouldBreakTiesByName() {
        Map<String, SiteOffer> twins = Map.of("b", site("b", "eu-west", 20, true), "a", site("a", "eu-west", 20, true));
        assertEquals("a", ReadRouting.nearestCopy("b", List.of("a"), "eu-west", twins).orElseThrow().site());
        assertEquals("a", ReadRouting.nearestCopy("a", List.of("b"), "eu-west", twins).orElseThrow().site());
    }

    @Test
    void shouldSkipCopiesOnSitesThatAreDownOrUnknown() {
        assertEquals("gcp", ReadRouting.nearestCopy("dark", List.of("gcp", "nowhere"), "us-east", SITES)
                .orElseThrow().site(), "the primary's site is down and the other replica's is not in the catalogue");
        assertTrue(ReadRouting.nearestCopy("dark", List.of("nowhere"), "us-east", SITES).isEmpty());
        assertTrue(ReadRouting.nearestCopy(null, List.of(), "us-east", SITES).isEmpty(), "no copy known");
    }

    /** Agrees with the obvious version, a sort of all usable copies, on random catalogues and placements. */
    @Test
    void shouldAgreeWithSortingTheCopiesOnRandomCases() {
        SplittableRandom random = new SplittableRandom(19);
        List<String> regions = List.of("us-east", "eu-west", "us-central", "ap-south");
        for (int round = 0; round < 5_000; round++) {
            Map<String, SiteOffer> sites = new HashMap<>();
            List<String> names = new ArrayList<>();
            int count = 1 + random.nextInt(6);
            for (int i = 0; i < count; i++) {
                String name = "s" + random.nextInt(10);
                names.add(name);
                sites.put(name, site(name, regions.get(random.nextInt(regions.size())), 5 * (1 + random.nextInt(4)),
                        random.nextInt(5) > 0));
            }
            String primary = random.nextInt(8) == 0 ? null : names.get(random.nextInt(names.size()));
            List<String> replicas = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                replicas.add(random.nextInt(6) == 0 ? "unknown" : names.get(random.nextInt(names.size())));
            }
            String client = regions.get(random.nextInt(regions.size()));

            List<String> copies = new ArrayList<>(replicas);
            if (primary != null) {
                copies.add(primary);
            }
            Optional<ServingCopy> expected = copies.stream()
                    .map(sites::get)
                    .filter(s -> s != null && s.up())
                    .min(Comparator.comparingDouble((SiteOffer s) -> s.p95LatencyMs()
                                    + RegionRoundTrips.ms(client, s.region()))
                            .thenComparing(SiteOffer::name))
                    .map(s -> new ServingCopy(s.name(), s.region(), s.p95LatencyMs()));
            assertEquals(expected, ReadRouting.nearestCopy(primary, replicas, client, sites),
                    "primary " + primary + ", replicas " + replicas + ", client " + client + ", sites " + sites);
        }
    }

    private static SiteOffer site(String name, String region, double p95Ms, boolean up) {
        return new SiteOffer(name, "AWS", region, p95Ms, 0.09, true, up, Long.MAX_VALUE, List.of());
    }
}
