package io.tierflow.streams.domain.cost;

import static io.tierflow.streams.domain.cost.Prices.AWAY;
import static io.tierflow.streams.domain.cost.Prices.DAY;
import static io.tierflow.streams.domain.cost.Prices.HOME;
import static io.tierflow.streams.domain.cost.Prices.KIB;
import static io.tierflow.streams.domain.cost.Prices.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OfflineOptimumTest {
    private static final long[] SIZES = {1_000, 100 * KIB, 128 * KIB, 200 * KIB, 5_000_000, 2_000_000_000L};
    private static final long[] MINIMUM_DAYS = {0, 0, 1, 5, 30, 90};

    @Test
    void shouldEqualABruteForceOverAllScheduleOnSmallRandomObjects() {
        Random random = new Random(19);
        int compared = 0;
        for (int round = 0; round < 400; round++) {
            boolean listPrices = round % 4 == 0;
            SiteOffer site = listPrices ? Prices.aws() : randomSite(random, 3 + random.nextInt(2));
            // every schedule is priced: at most 3^8 or 4^6 of them
            int maxPoints = site.classes().size() > 3 ? 6 : 8;
            ObjectAccesses object;
            long end;
            do {
                object = randomObject(random, "o" + round, random.nextInt(4), 200);
                end = endAfter(random, object);
            } while (OfflineOptimum.ChangePoints.of(object, OfflineOptimum.distinctClasses(site), end).size()
                    > maxPoints);

            PricedObject optimum = OfflineOptimum.overClasses(object, site, end);
            PricedObject brute = bruteForce(object, site, end);

            String key = object.key();
            assertEquals(brute.cost().total(), optimum.cost().total(), 1e-9 * Math.max(1, brute.cost().total()),
                    () -> "object " + key + " optimum " + optimum.schedule() + " brute " + brute.schedule());
            compared++;
        }
        assertEquals(400, compared);
    }

    @Test
    void shouldNotBeBeatenByRandomSchedulesOfObjectsWithManyReads() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            SiteOffer site = round % 2 == 0 ? Prices.aws() : randomSite(random, 3);
            ObjectAccesses object = randomObject(random, "o" + round, random.nextInt(40), 400);
            long end = endAfter(random, object);
            PricedObject optimum = OfflineOptimum.overClasses(object, site, end);
            for (PricedObject rival : randomSchedules(random, object, site, end, 20)) {
                assertTrue(optimum.cost().total() <= rival.cost().total() + 1e-9,
                        () -> object.key() + ": " + rival.schedule() + " beats the optimum " + optimum.schedule());
            }
        }
    }

    @Test
    void shouldNeverBeBeatenByABaselineOnAnyObject() {
        Random random = new Random(20);
        List<SiteOffer> sites = List.of(Prices.aws(), Prices.site(List.of(
                // Azure Blob Hot / Cool / Cold, LRS East US list prices
                new SiteOffer.StorageClassOffer("Hot", Tier.HOT, 0.018, 0.0, 0.0004, 0.0065, 0, 0, 0),
                new SiteOffer.StorageClassOffer("Cool", Tier.WARM, 0.01, 0.01, 0.001, 0.013, 30, 0, 0),
                new SiteOffer.StorageClassOffer("Cold", Tier.COLD, 0.0036, 0.03, 0.01, 0.0234, 90, 0, 0))));
        for (int round = 0; round < 2000; round++) {
            SiteOffer site = sites.get(round % sites.size());
            ObjectAccesses object = randomObject(random, "o" + round, random.nextInt(25), 400);
            long end = endAfter(random, object);
            PricedObject optimum = OfflineOptimum.price(object, site, end);
            for (PricedObject baseline : List.of(Baselines.allHot(object, site, end),
                    Baselines.lifecycleByAge(object, site, end), Baselines.intelligentTiering(object, site, end))) {
                assertTrue(optimum.cost().total() <= baseline.cost().total() + 1e-12,
                        () -> object.key() + ": " + baseline.strategy() + " " + baseline.cost().total()
                                + " beats the optimum " + optimum.cost().total() + " " + optimum.schedule());
            }
        }
    }

    @Test
    void shouldNotBeBeatenByPoliciesMovingAtAnyMomentAtListPrices() {
        // policies move when they evaluate, not only at reads: random moves at random moments, some just after a
        // read or a minimum duration, priced by the meter
        Random random = new Random(21);
        SiteOffer site = Prices.aws();
        List<ClassPrices> classes = OfflineOptimum.distinctClasses(site);
        for (int round = 0; round < 3000; round++) {
            ObjectAccesses object = randomObject(random, "o" + round, random.nextInt(12), 300);
            long end = endAfter(random, object);
            PricedObject optimum = OfflineOptimum.price(object, site, end);
            for (int policy = 0; policy < 5; policy++) {
                long[] moveAt = new long[random.nextInt(5)];
                for (int m = 0; m < moveAt.length; m++) {
                    long base = object.accessCount() > 0 && random.nextBoolean()
                            ? object.accessAtMs()[random.nextInt(object.accessCount())] : object.createdAtMs();
                    long after = switch (random.nextInt(3)) {
                        case 0 -> (long) (random.nextDouble() * (end - object.createdAtMs()));
                        case 1 -> random.nextInt(2 * 3_600_000);
                        default -> (random.nextBoolean() ? 30 : 90) * DAY + random.nextInt(3_600_000);
                    };
                    moveAt[m] = Math.min(end, base + after);
                }
                java.util.Arrays.sort(moveAt);
                CostMeter meter = new CostMeter();
                ClassPrices current = classes.get(random.nextInt(classes.size()));
                meter.placed(object.key(), site.name(), current, object.sizeBytes(), object.createdAtMs());
                int read = 0;
                for (long at : moveAt) {
                    for (; read < object.accessCount() && object.accessAtMs()[read] < at; read++) {
                        meter.read(object.key(), site, current, object.clientRegions()[read],
                                object.accessBytes()[read], object.accessAtMs()[read]);
                    }
                    ClassPrices to = classes.get(random.nextInt(classes.size()));
                    if (!to.equals(current)) {
                        meter.placed(object.key(), site.name(), to, object.sizeBytes(), at);
                        current = to;
                    }
                }
                for (; read < object.accessCount(); read++) {
                    meter.read(object.key(), site, current, object.clientRegions()[read], object.accessBytes()[read],
                            object.accessAtMs()[read]);
                }
                double cost = meter.finish(end).total();
                assertTrue(optimum.cost().total() <= cost + 1e-12, () -> object.key() + ": a policy moving at "
                        + java.util.Arrays.toString(moveAt) + " costs " + cost + ", under the optimum "
                        + optimum.cost().total() + " " + optimum.schedule());
            }
        }
    }

    @Test
    void shouldKeepAnObjectReadOnceAYearOutOfTheHotClass() {
        long size = 1_000_000_000;
        ObjectAccesses object = ObjectAccesses.of("video", size, T0,
                List.of(new ObjectAccesses.Access(T0 + 200 * DAY, size, HOME)));
        PricedObject optimum = OfflineOptimum.overClasses(object, Prices.aws(), T0 + 365 * DAY);
        // Glacier IR all year, the one read paying its retrieval: 0.004 * 365/30 + 0.03 + request and PUT
        double expected = 0.004 * 365 / 30.0 + 0.03 + 0.01 / 1000 + 0.02 / 1000;
        assertEquals(expected, optimum.cost().total(), 1e-12);
        assertEquals(List.of(new PricedObject.Stay(T0, "GLACIER_IR", Tier.COLD)), optimum.schedule());
    }

    @Test
    void shouldWaitOutAMinimumDurationBeforeMovingColder() {
        // 1 GB read 60 MB at a time every third day from day 1 to 28, then never: Standard-IA from the start (cheaper
        // than Standard's storage, cheaper than Glacier IR's retrieval), then Glacier IR once IA's 30 days are served
        // (leaving IA at the last read would pay its remaining 2 days all the same)
        long size = 1_000_000_000;
        List<ObjectAccesses.Access> reads = new ArrayList<>();
        for (int day = 1; day <= 28; day += 3) {
            reads.add(new ObjectAccesses.Access(T0 + day * DAY, 60_000_000, HOME));
        }
        ObjectAccesses object = ObjectAccesses.of("warm-then-cold", size, T0, reads);

        PricedObject optimum = OfflineOptimum.overClasses(object, Prices.aws(), T0 + 365 * DAY);

        assertEquals(List.of(new PricedObject.Stay(T0, "STANDARD_IA", Tier.WARM),
                new PricedObject.Stay(T0 + 30 * DAY, "GLACIER_IR", Tier.COLD)), optimum.schedule());
    }

    /** The cheapest of every schedule of the searched kind: a class at each change point. */
    static PricedObject bruteForce(ObjectAccesses object, SiteOffer site, long end) {
        List<ClassPrices> classes = OfflineOptimum.distinctClasses(site);
        OfflineOptimum.ChangePoints changePoints = OfflineOptimum.ChangePoints.of(object, classes, end);
        int points = changePoints.size();
        int[] changes = new int[points];
        for (int p = 0; p < points; p++) {
            changes[p] = p;
        }
        int[] classAt = new int[points];
        PricedObject best = null;
        long schedules = (long) Math.pow(classes.size(), points);
        for (long s = 0; s < schedules; s++) {
            long rest = s;
            for (int p = 0; p < points; p++) {
                classAt[p] = (int) (rest % classes.size());
                rest /= classes.size();
            }
            PricedObject priced = OfflineOptimum.priceSchedule(object, site, classes, changePoints, changes, classAt,
                    end, "brute");
            if (best == null || priced.cost().total() < best.cost().total()) {
                best = priced;
            }
        }
        return best;
    }

    private static List<PricedObject> randomSchedules(Random random, ObjectAccesses object, SiteOffer site, long end,
            int count) {
        List<ClassPrices> classes = OfflineOptimum.distinctClasses(site);
        OfflineOptimum.ChangePoints changePoints = OfflineOptimum.ChangePoints.of(object, classes, end);
        int points = changePoints.size();
        int[] changes = new int[points];
        for (int p = 0; p < points; p++) {
            changes[p] = p;
        }
        List<PricedObject> schedules = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            int[] classAt = new int[points];
            int current = random.nextInt(classes.size());
            for (int p = 0; p < points; p++) {
                if (p == 0 || random.nextInt(4) == 0) {
                    current = random.nextInt(classes.size());
                }
                classAt[p] = current;
            }
            schedules.add(OfflineOptimum.priceSchedule(object, site, classes, changePoints, changes, classAt, end,
                    "random"));
        }
        return schedules;
    }

    /** Reads bunched near each other and near the 30- and 90-day edges, some at the same instant. */
    static ObjectAccesses randomObject(Random random, String key, int reads, int days) {
        long size = SIZES[random.nextInt(SIZES.length)];
        long created = T0 + random.nextInt(5) * DAY;
        List<ObjectAccesses.Access> accesses = new ArrayList<>();
        long at = created;
        for (int i = 0; i < reads; i++) {
            switch (random.nextInt(5)) {
                case 0 -> at += 0;
                case 1 -> at += random.nextInt(3_600_000);
                case 2 -> at = created + (random.nextBoolean() ? 30 : 90) * DAY + (random.nextInt(3) - 1);
                default -> at += (long) (random.nextDouble() * days / Math.max(1, reads) * DAY);
            }
            at = Math.max(at, accesses.isEmpty() ? created : accesses.get(accesses.size() - 1).atMs());
            long bytes = random.nextBoolean() ? size : (long) (random.nextDouble() * size);
            accesses.add(new ObjectAccesses.Access(at, bytes, random.nextInt(4) == 0 ? AWAY : HOME));
        }
        return ObjectAccesses.of(key, size, created, accesses);
    }

    private static long endAfter(Random random, ObjectAccesses object) {
        long last = object.accessCount() == 0 ? object.createdAtMs() : object.accessAtMs()[object.accessCount() - 1];
        return last + (long) (random.nextDouble() * 120 * DAY);
    }

    /** Classes with random prices and minimums, so the programme's windows meet every case. */
    private static SiteOffer randomSite(Random random, int classes) {
        List<SiteOffer.StorageClassOffer> offers = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            Tier tier = Tier.values()[Math.min(c, 2)];
            offers.add(new SiteOffer.StorageClassOffer("C" + c, tier, random.nextDouble() * 0.03,
                    random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.05, random.nextDouble() * 0.01,
                    random.nextDouble() * 0.05, (int) MINIMUM_DAYS[random.nextInt(MINIMUM_DAYS.length)],
                    random.nextBoolean() ? 0 : 128 * KIB, random.nextInt(5) == 0 ? 0.0025 / 1000 : 0));
        }
        return Prices.site(offers);
    }
}
