package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A task's share of each site's capacity: what counts, what releases, and the placement it leaves. */
class CapacityShareTest {
    private static final long GB = 1_000_000_000L;
    private static final String[] SITES = {"aws", "azure", "gcp", "onprem"};

    @Test
    void shouldSplitTheUsableCapacityOverThePartitions() {
        CapacityShare share = new CapacityShare(0.1, 6);

        assertEquals(1_500_000_000L, share.shareOf(10 * GB), "10 GB less a tenth, over six partitions");
        assertEquals(CapacityShare.UNBOUNDED, share.shareOf(Long.MAX_VALUE), "an unbounded site stays unbounded");
        assertEquals(0L, share.shareOf(5), "a site smaller than the partitions leaves no task room");
        assertThrows(IllegalArgumentException.class, () -> new CapacityShare(1.0, 6));
        assertThrows(IllegalArgumentException.class, () -> new CapacityShare(-0.1, 6));
        assertThrows(IllegalArgumentException.class, () -> new CapacityShare(0.1, 0));
    }

    @Test
    void shouldCountACopyInFlightOnItsDestinationFromTheMomentItIsIssued() {
        CapacityShare share = new CapacityShare(0, 1);
        CapacityShare.Holding placed = new CapacityShare.Holding(GB, "azure", List.of(), null);
        share.add(placed);

        CapacityShare.Holding copying = new CapacityShare.Holding(GB, "azure", List.of(), "aws");
        share.move(placed, copying);

        assertEquals(GB, share.bytesOn("aws"), "bytes in flight count");
        assertEquals(GB, share.bytesOn("azure"), "the source still holds its copy");
    }

    @Test
    void shouldReleaseTheDestinationWhenACopyFails() {
        CapacityShare share = new CapacityShare(0, 1);
        CapacityShare.Holding copying = new CapacityShare.Holding(GB, "azure", List.of(), "aws");
        share.add(copying);

        share.move(copying, new CapacityShare.Holding(GB, "azure", List.of(), null)); // FAILED: nothing in flight

        assertEquals(0L, share.bytesOn("aws"));
        assertEquals(GB, share.bytesOn("azure"));
    }

    @Test
    void shouldKeepCountingThroughCopySwitchAndReleaseTheSourceOnRetire() {
        CapacityShare share = new CapacityShare(0, 1);
        CapacityShare.Holding copying = new CapacityShare.Holding(GB, "azure", List.of(), "aws");
        share.add(copying);
        CapacityShare.Holding copied = new CapacityShare.Holding(GB, "azure", List.of("aws"), null);
        share.move(copying, copied);
        assertEquals(List.of(GB, GB), List.of(share.bytesOn("aws"), share.bytesOn("azure")), "COPY completed");

        CapacityShare.Holding switched = new CapacityShare.Holding(GB, "aws", List.of("azure"), null);
        share.move(copied, switched);
        CapacityShare.Holding retiring = new CapacityShare.Holding(GB, "aws", List.of("azure"), null); // RETIRE
        share.move(switched, retiring);
        assertEquals(List.of(GB, GB), List.of(share.bytesOn("aws"), share.bytesOn("azure")),
                "SWITCH and a RETIRE in flight move no bytes");

        share.move(retiring, new CapacityShare.Holding(GB, "aws", List.of(), null));
        assertEquals(List.of(GB, 0L), List.of(share.bytesOn("aws"), share.bytesOn("azure")), "RETIRE completed");

        share.move(new CapacityShare.Holding(GB, "aws", List.of(), null), null); // the dataset deleted
        assertEquals(0L, share.bytesOn("aws"));
    }

    @Test
    void shouldCountASiteOnceWhenAChangeOfClassInPlaceIsInFlight() {
        CapacityShare share = new CapacityShare(0, 1);

        share.add(new CapacityShare.Holding(GB, "aws", List.of("aws"), "aws"));

        assertEquals(GB, share.bytesOn("aws"));
    }

    /**
     * What a restart does: the counts rebuilt from the records as they are equal those kept change by change, over
     * thousands of random changes (copies issued, completed, failed, switched, retired, datasets resized and deleted).
     */
    @Test
    void shouldRebuildFromTheRecordsTheCountsKeptChangeByChange() {
        Random random = new Random(21);
        for (int round = 0; round < 200; round++) {
            CapacityShare kept = new CapacityShare(0.1, 3);
            Map<String, CapacityShare.Holding> records = new HashMap<>();
            for (int change = 0; change < 50; change++) {
                String key = "d" + random.nextInt(8);
                CapacityShare.Holding before = records.get(key);
                CapacityShare.Holding after = random.nextInt(10) == 0 ? null : randomHolding(random);
                kept.move(before, after);
                if (after == null) {
                    records.remove(key);
                } else {
                    records.put(key, after);
                }
            }
            CapacityShare rebuilt = new CapacityShare(0.1, 3);
            records.values().forEach(rebuilt::add);
            for (String site : SITES) {
                long expected = 0;
                for (CapacityShare.Holding h : records.values()) {
                    expected += h.holds(site) ? h.bytes() : 0;
                }
                assertEquals(expected, kept.bytesOn(site), "kept, round " + round + ", " + site);
                assertEquals(expected, rebuilt.bytesOn(site), "rebuilt, round " + round + ", " + site);
            }
        }
    }

    @Test
    void shouldOfferTheSameSitesWhileEverySiteHasRoom() {
        CapacityShare share = new CapacityShare(0.1, 1);
        List<SiteOffer> sites = sites(10 * GB);

        assertSame(sites, share.offersFor(sites, null, GB), "no copy of the catalogue when nothing is tight");
    }

    @Test
    void shouldOfferOnlyTheRoomLeftOnASiteTheDatasetDoesNotHold() {
        CapacityShare share = new CapacityShare(0.1, 1); // 9 GB of aws's 10 GB usable
        List<SiteOffer> sites = sites(10 * GB);
        share.add(new CapacityShare.Holding(8 * GB + GB / 2, "aws", List.of(), null));

        List<SiteOffer> offers = share.offersFor(sites, new CapacityShare.Holding(GB, "azure", List.of(), null), GB);

        assertEquals(GB / 2, offer(offers, "aws").capacityBytes());
        assertSame(offer(sites, "azure"), offer(offers, "azure"));
        assertEquals(offer(sites, "aws").classes(), offer(offers, "aws").classes());
        // A dataset that already holds a copy there (or is copying there) adds nothing by staying.
        assertSame(sites, share.offersFor(sites, new CapacityShare.Holding(GB, "azure", List.of("aws"), null), GB));
        assertSame(sites, share.offersFor(sites, new CapacityShare.Holding(GB, "azure", List.of(), "aws"), GB));
    }

    /**
     * The next-best choice: a burst of hot datasets read from us-east, all preferring aws; once aws's share is full,
     * each goes to the next-best site, says capacity bound it, and is exactly what the optimizer picks with aws gone.
     */
    @Test
    void shouldPlaceOnTheNextBestSiteAndNameCapacityOnceTheSiteIsFull() {
        CapacityShare share = new CapacityShare(0.1, 1); // aws: 4.5 GB usable of 5 GB
        List<SiteOffer> sites = sites(5 * GB);
        List<String> primaries = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            CapacityShare.Holding held = new CapacityShare.Holding(GB, "azure", List.of(), null);
            PlacementRequest request = hotRequest("d" + i);
            PlacementDecision decision = PlacementOptimizer.optimize(request, share.offersFor(sites, held, GB));
            assertNotNull(decision.primary());
            primaries.add(decision.primary());
            if (decision.primary().equals("aws")) {
                assertEquals(null, decision.bindingConstraint());
            } else {
                assertEquals(PlacementOptimizer.CAPACITY, decision.bindingConstraint());
                List<SiteOffer> withoutAws = sites.stream().filter(s -> !s.name().equals("aws")).toList();
                PlacementDecision nextBest = PlacementOptimizer.optimize(request, withoutAws);
                assertEquals(nextBest.primary(), decision.primary());
                assertEquals(nextBest.objective(), decision.objective(), 1e-12);
                PlacementDecision.SiteEvaluation aws = decision.evaluations().stream()
                        .filter(e -> e.site().equals("aws")).findFirst().orElseThrow();
                assertEquals(PlacementOptimizer.CAPACITY, aws.rejectedBecause());
            }
            share.move(held, new CapacityShare.Holding(GB, "azure", List.of(), decision.primary())); // COPY issued
            assertTrue(share.bytesOn("aws") <= share.shareOf(5 * GB), "aws within its share after d" + i);
        }
        assertEquals(List.of("aws", "aws", "aws", "aws"), primaries.subList(0, 4));
        assertEquals(4, primaries.stream().filter("aws"::equals).count(), "4 GB fit in 4.5, the fifth does not");
        assertNotEquals("aws", primaries.get(5));
    }

    private static PlacementRequest hotRequest(String key) {
        return new PlacementRequest(key, GB, Tier.HOT, 1, 50, false, 1.0, "azure", java.util.Set.of("azure"),
                Map.of("us-east", 50.0), 1000);
    }

    private static CapacityShare.Holding randomHolding(Random random) {
        String primary = SITES[random.nextInt(SITES.length)];
        List<String> replicas = new ArrayList<>();
        for (String site : SITES) {
            if (random.nextInt(3) == 0) {
                replicas.add(site); // may repeat the primary: counted once all the same
            }
        }
        String destination = random.nextBoolean() ? null : SITES[random.nextInt(SITES.length)];
        return new CapacityShare.Holding(GB * (1 + random.nextInt(5)), primary, replicas, destination);
    }

    private static List<SiteOffer> sites(long awsCapacity) {
        List<SiteOffer> sites = new ArrayList<>();
        for (SiteOffer site : DecisionTest.SITES) {
            sites.add(!site.name().equals("aws") ? site : new SiteOffer(site.name(), site.provider(), site.region(),
                    site.p95LatencyMs(), site.egressPerGb(), site.encrypted(), site.up(), awsCapacity, site.classes()));
        }
        return List.copyOf(sites);
    }

    private static SiteOffer offer(List<SiteOffer> offers, String name) {
        return offers.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
