package io.tierflow.cli.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.streams.domain.MigrationPlanner;
import io.tierflow.streams.domain.SiteOffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {
    private static final Instant MIDNIGHT = Instant.parse("2026-03-02T00:00:00Z");
    private static final List<String> SITES = List.of("aws", "azure", "gcp", "onprem");

    @Test
    void shouldGiveBurstDatasetsAMuchLargerShareInsideBurstWindows() {
        int burstRank = 20;
        BurstSchedule bursts = new BurstSchedule(Set.of(burstRank), Duration.ofMinutes(10), Duration.ofMinutes(2), 50);
        TrafficGenerator generator = generator(config(11, 50, 0, bursts), 1000);

        long inside = 0;
        long insideBurst = 0;
        long outside = 0;
        long outsideBurst = 0;
        while (generator.offsetNanos() < Duration.ofHours(2).toNanos()) {
            AccessEvent event = generator.next();
            boolean burstKey = event.getKey().equals(DatasetInventory.key(burstRank));
            if (bursts.isActive(generator.offsetNanos())) {
                inside++;
                insideBurst += burstKey ? 1 : 0;
            } else {
                outside++;
                outsideBurst += burstKey ? 1 : 0;
            }
        }
        double shareInside = (double) insideBurst / inside;
        double shareOutside = (double) outsideBurst / outside;
        assertEquals(generator.burstShare(), shareInside, 0.01, "share of the burst key inside bursts");
        assertEquals(generator.burstDatasetsPopularity(), shareOutside, 0.002, "its plain popularity outside");
        assertTrue(shareInside > 20 * shareOutside, shareInside + " vs " + shareOutside);
        // The burst adds traffic rather than taking it from the others: the event rate is higher inside.
        double rateInside = inside / (2 * 12.0 * 60);   // 12 windows of 2 min in 2 h
        double rateOutside = outside / (2 * 48.0 * 60);
        assertTrue(rateInside > rateOutside * 1.2, rateInside + " vs " + rateOutside + " events/s");
    }

    @Test
    void shouldFollowTheDiurnalCycleWithTheConfiguredDailyMean() {
        double rate = 5;
        TrafficGenerator generator = generator(config(12, rate, 0.5, BurstSchedule.none()), 100);

        long[] perHour = new long[24];
        long total = 0;
        while (generator.offsetNanos() < Duration.ofDays(1).toNanos()) {
            AccessEvent event = generator.next();
            if (!event.getEventTime().isBefore(MIDNIGHT.plus(Duration.ofDays(1)))) {
                break;
            }
            perHour[(int) DiurnalCycle.hourOfDay(event.getEventTime().toEpochMilli())]++;
            total++;
        }
        assertEquals(rate * 86_400, total, rate * 86_400 * 0.02, "events in a day");
        double noon = perHour[11] + perHour[12];
        double midnight = perHour[23] + perHour[0];
        // Expected ratio of the two-hour averages around peak and trough: about 1.49 / 0.51 = 2.9.
        assertTrue(noon / midnight > 2.4 && noon / midnight < 3.5, "noon/midnight = " + noon / midnight);
    }

    @Test
    void shouldGiveUniqueIdsAndRepeatExactlyFromTheSameConfiguration() {
        TrafficConfig config = config(13, 200, 0.5, BurstSchedule.none());
        List<AccessEvent> first = take(generator(config, 300), 20_000);
        List<AccessEvent> again = take(generator(config, 300), 20_000);

        assertEquals(first, again);
        assertEquals(first.size(), first.stream().map(AccessEvent::getEventId).distinct().count());
        TrafficGenerator otherSeed = generator(config(14, 200, 0.5, BurstSchedule.none()), 300);
        assertNotEquals(generator(config, 300).runId(), otherSeed.runId());
        assertNotEquals(first.get(0).getEventId(), otherSeed.next().getEventId());
    }

    @Test
    void shouldDescribeEveryAccessPlausibly() {
        List<DatasetSpec> datasets = DatasetInventory.generate(15, 200, SITES, 4L << 20);
        Map<String, DatasetSpec> byKey = datasets.stream().collect(Collectors.toMap(DatasetSpec::key, d -> d));
        TrafficConfig config = config(15, 100, 0.5, BurstSchedule.none());
        List<AccessEvent> events = take(new TrafficGenerator(config, datasets), 50_000);

        Map<AccessOp, Integer> ops = new EnumMap<>(AccessOp.class);
        Map<String, Map<String, Integer>> regionsByKey = new HashMap<>();
        Instant previous = config.start();
        for (AccessEvent event : events) {
            DatasetSpec dataset = byKey.get(event.getKey());
            assertTrue(dataset != null, "unknown key " + event.getKey());
            assertEquals(dataset.primarySite(), event.getServedFrom());
            assertTrue(TrafficConfig.DEFAULT_REGIONS.contains(event.getClientRegion()), event.getClientRegion());
            assertTrue(event.getBytes() >= 0 && event.getBytes() <= dataset.sizeBytes());
            if (event.getOp() == AccessOp.HEAD || event.getOp() == AccessOp.LIST) {
                assertEquals(0, event.getBytes());
            } else {
                assertTrue(event.getBytes() > 0, "a GET or PUT moves bytes");
            }
            assertTrue(event.getLatencyMs() > 0 && event.getLatencyMs() < 2000, "latency " + event.getLatencyMs());
            assertTrue(!event.getEventTime().isBefore(previous), "event time went backwards");
            previous = event.getEventTime();
            ops.merge(event.getOp(), 1, Integer::sum);
            regionsByKey.computeIfAbsent(event.getKey(), k -> new HashMap<>()).merge(event.getClientRegion(), 1,
                    Integer::sum);
        }
        assertEquals(0.80, ops.get(AccessOp.GET) / (double) events.size(), 0.01);
        assertEquals(0.10, ops.get(AccessOp.HEAD) / (double) events.size(), 0.01);
        // Region affinity: the most popular dataset's clients mostly come from one region
        // (its home: 70%, plus its quarter of the 30% from anywhere).
        Map<String, Integer> topRegions = regionsByKey.get(DatasetInventory.key(1));
        int top = topRegions.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int all = topRegions.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(0.775, (double) top / all, 0.03);
    }

    @Test
    void shouldServeClientsFarFromTheSiteMoreSlowly() {
        LatencyModel model = new LatencyModel();
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        double near = 0;
        double far = 0;
        for (int i = 0; i < 10_000; i++) {
            near += model.latencyMs("aws", "us-east", random);
            far += model.latencyMs("aws", "ap-south", random);
        }
        assertTrue(far / 10_000 > near / 10_000 + 150, near / 10_000 + " vs " + far / 10_000);
        Set<Double> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(model.latencyMs("onprem", "eu-west", random));
        }
        assertTrue(seen.size() > 90, "latencies vary");
    }

    @Test
    void shouldServeReadsFromWhereTheDatasetIsNowWithThatSitesLatency() {
        TrafficConfig config = config(21, 100, 0, BurstSchedule.none());
        List<DatasetSpec> datasets = DatasetInventory.generate(config.seed(), 5, List.of("aws"), 1 << 20);
        CurrentPlacements placements = new CurrentPlacements();
        placements.site(new SiteOffer("aws", "AWS", "us-east", 25, 0.09, true, true, Long.MAX_VALUE, List.of()));
        placements.site(new SiteOffer("fast", "ONPREM", "eu-west", 4, 0, true, true, Long.MAX_VALUE, List.of()));
        TrafficGenerator generator = new TrafficGenerator(config, datasets, placements);

        List<AccessEvent> before = take(generator, 2_000);
        assertTrue(before.stream().allMatch(e -> e.getServedFrom().equals("aws")), "nothing known: the starting site");

        for (DatasetSpec dataset : datasets) {
            placements.inventory(dataset.key(), "aws", List.of(), "ab");
            placements.completed(dataset.key(), MigrationPlanner.Action.COPY, "aws", "fast", "ab");
            placements.completed(dataset.key(), MigrationPlanner.Action.SWITCH, "aws", "fast", "ab");
            placements.completed(dataset.key(), MigrationPlanner.Action.RETIRE, "aws", "aws", null);
        }
        List<AccessEvent> after = take(generator, 20_000);

        assertTrue(after.stream().allMatch(e -> e.getServedFrom().equals("fast")), "moved: the new site serves");
        // Latency centred on the new site's figure: its median (p95 / e^(1.645 σ)) plus the client's round trip.
        double median = 4 / Math.exp(1.645 * 0.4);
        List<Double> local = after.stream().filter(e -> e.getClientRegion().equals("eu-west"))
                .map(AccessEvent::getLatencyMs).sorted().toList();
        assertEquals(median + 1, local.get(local.size() / 2), 0.15, "eu-west clients: 1 ms round trip");
        assertTrue(local.get(0) < local.get(local.size() - 1) - 2, "still noisy");
        List<Double> fromUsEast = after.stream().filter(e -> e.getClientRegion().equals("us-east"))
                .map(AccessEvent::getLatencyMs).sorted().toList();
        assertEquals(median + 75, fromUsEast.get(fromUsEast.size() / 2), 0.3, "us-east clients: 75 ms round trip");
    }

    private static TrafficConfig config(long seed, double rate, double amplitude, BurstSchedule bursts) {
        return new TrafficConfig(seed, MIDNIGHT, rate, ZipfSampler.DEFAULT_EXPONENT, new DiurnalCycle(amplitude),
                TrafficConfig.DEFAULT_REGIONS, bursts);
    }

    private static TrafficGenerator generator(TrafficConfig config, int datasets) {
        return new TrafficGenerator(config, DatasetInventory.generate(config.seed(), datasets, SITES, 1 << 20));
    }

    private static List<AccessEvent> take(TrafficGenerator generator, int count) {
        List<AccessEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(generator.next());
        }
        return events;
    }
}
