package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivityTest {
    private static final long H = 3_600_000L;
    private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % H; // on an hour boundary
    private static final TieringPolicy POLICY = TieringPolicy.BUILT_IN;

    @Test
    void shouldHalveHeatAfterOneHalfLife() {
        assertEquals(8.0, DecayedHeat.decay(16.0, 0, 3600_000, 3600_000), 1e-12);
        assertEquals(32.0, DecayedHeat.decay(16.0, 3600_000, 0, 3600_000), 1e-12, "earlier times grow it back");
        assertEquals(2 * 3600_000L, DecayedHeat.timeToFallTo(16, 0, 4, 3600_000));
        assertEquals(100L, DecayedHeat.timeToFallTo(3, 100, 4, 3600_000), "already below");
    }

    @Test
    void shouldKeepABoundedNumberOfClientRegionsPerDatasetAndLoseNoBytes() {
        Activity activity = new Activity();
        ReadTally tally = new ReadTally();
        for (int i = 0; i < 500; i++) {
            String region = ("made-up-" + i).intern(); // producers name client regions; any name may come
            activity.record(T0 + i, "GET", 10, region, null, POLICY, T0 + i);
            tally.add(region, 10, false);
        }

        Map<String, Double> regions = activity.rawRegionBytes();
        assertEquals(RegionSlots.MAX_PER_DATASET, regions.size());
        assertTrue(regions.containsKey("made-up-0") && regions.containsKey(RegionSlots.OTHER), regions.keySet().toString());
        assertEquals(RegionSlots.MAX_PER_DATASET, tally.regionCount());
        assertEquals(500, tally.totalReads(), "every read counted, beyond the cap under " + RegionSlots.OTHER);
        long otherBytes = 0;
        for (int i = 0; i < tally.regionCount(); i++) {
            if (tally.region(i).equals(RegionSlots.OTHER)) {
                otherBytes = tally.bytes(i);
            }
        }
        assertEquals((500 - (RegionSlots.MAX_PER_DATASET - 1)) * 10L, otherBytes);

        Map<String, Double> storedBeforeTheCap = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            storedBeforeTheCap.put("stored-" + i, 1.0);
        }
        Activity restored = new Activity(activity.fine(), activity.coarse(), 0, T0, T0, storedBeforeTheCap, 0,
                activity.holt(), 0, new long[0], 0);
        assertEquals(RegionSlots.MAX_PER_DATASET, restored.rawRegionBytes().size(), "a record stored before the cap");
        assertEquals(40.0, restored.rawRegionBytes().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    }

    @Test
    void shouldGiveTheSameHeatWhateverTheOrderOfEvents() {
        Activity inOrder = new Activity();
        Activity outOfOrder = new Activity();
        long[] times = {T0, T0 + 60_000, T0 + 120_000, T0 + 180_000};
        for (long t : times) {
            inOrder.record(t, "GET", 10, "eu", null, POLICY, t);
        }
        for (int i = times.length - 1; i >= 0; i--) {
            outOfOrder.record(times[i], "GET", 10, "eu", null, POLICY, times[times.length - 1]);
        }
        long later = T0 + 2 * H;
        assertEquals(inOrder.heatAt(later, POLICY.halfLifeMs()), outOfOrder.heatAt(later, POLICY.halfLifeMs()), 1e-9);
        assertEquals(inOrder.count1h(T0 + 200_000), outOfOrder.count1h(T0 + 200_000));
    }

    @Test
    void shouldSlideTheWindowsBucketByBucket() {
        BucketedCounts counts = new BucketedCounts(5 * 60_000L, 12);
        counts.add(T0, 1);
        counts.add(T0 + 4 * 60_000, 1);
        counts.add(T0 + 30 * 60_000, 3);
        assertEquals(5, counts.total(T0 + 30 * 60_000));
        assertEquals(5, counts.total(T0 + 59 * 60_000), "still within the hour of the first bucket");
        assertEquals(3, counts.total(T0 + 60 * 60_000), "the first bucket left the window");
        assertEquals(0, counts.total(T0 + 100 * 60_000));
        assertFalse(counts.add(T0 - 60 * 60_000, 1), "older than the window is not counted");
        assertTrue(counts.add(T0 + 10 * 60_000, 1), "late but within the window lands in its own bucket");
        assertEquals(1, counts.countOf(Math.floorDiv(T0 + 10 * 60_000, 5 * 60_000L)));
    }

    @Test
    void shouldRestoreExactlyWhatWasSaved() {
        BucketedCounts counts = new BucketedCounts(H, 24);
        counts.add(T0, 2);
        counts.add(T0 + 3 * H, 5);
        long[] newestFirst = new long[counts.buckets()];
        for (int age = 0; age < newestFirst.length; age++) {
            newestFirst[age] = counts.countAtAge(age);
        }
        BucketedCounts restored = BucketedCounts.restore(H, counts.newestBucket(), newestFirst);
        assertEquals(counts.total(T0 + 5 * H), restored.total(T0 + 5 * H));
        assertEquals(counts.newestBucket(), restored.newestBucket());
        for (int age = 0; age < newestFirst.length; age++) {
            assertEquals(counts.countAtAge(age), restored.countAtAge(age), "age " + age);
        }
    }

    @Test
    void shouldCountAnEventIdOnceAndDropEventsBeyondTheLatenessBound() {
        Activity activity = new Activity();
        assertEquals(Activity.Outcome.COUNTED, activity.record(T0, "GET", 1, "eu", "a", POLICY, T0));
        assertEquals(Activity.Outcome.DUPLICATE, activity.record(T0, "GET", 1, "eu", "a", POLICY, T0));
        long streamTime = T0 + 20 * 60_000;
        assertEquals(Activity.Outcome.TOO_LATE,
                activity.record(streamTime - POLICY.latenessMs() - 1, "GET", 1, "eu", "b", POLICY, streamTime));
        assertEquals(Activity.Outcome.COUNTED,
                activity.record(streamTime - POLICY.latenessMs() + 1, "GET", 1, "eu", "c", POLICY, streamTime));
        assertEquals(2, activity.totalEvents());
    }

    @Test
    void shouldRememberTheLatestEventIdsOldestFirstAndForgetOlderOnes() {
        Activity activity = new Activity();
        int ids = Activity.REMEMBERED_EVENT_IDS + 5;
        for (int i = 0; i < ids; i++) {
            assertEquals(Activity.Outcome.COUNTED, activity.record(T0 + i, "GET", 1, "eu", "id-" + i, POLICY, T0 + i));
        }
        long[] expected = new long[Activity.REMEMBERED_EVENT_IDS];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Activity.eventIdHash("id-" + (ids - expected.length + i));
        }
        assertArrayEquals(expected, activity.recentIdHashes(), "the latest ids, oldest first");

        // Restored from what a serde writes, and the original itself, both still know the latest ids, not the older.
        Activity restored = new Activity(new BucketedCounts(Activity.FINE_BUCKET_MS, Activity.FINE_BUCKETS),
                new BucketedCounts(Activity.COARSE_BUCKET_MS, Activity.COARSE_BUCKETS), 0, 0, 0, Map.of(), 0,
                HoltForecast.EMPTY, 0, activity.recentIdHashes(), activity.totalEvents());
        for (Activity a : List.of(activity, restored)) {
            long t = T0 + ids;
            assertEquals(Activity.Outcome.DUPLICATE, a.record(t, "GET", 1, "eu", "id-" + (ids - 1), POLICY, t));
            assertEquals(Activity.Outcome.DUPLICATE, a.record(t, "GET", 1, "eu", "id-5", POLICY, t));
            assertEquals(Activity.Outcome.COUNTED, a.record(t, "GET", 1, "eu", "id-4", POLICY, t), "forgotten");
        }
        assertEquals(ids + 1, activity.totalEvents());
    }

    @Test
    void shouldForecastARisingHourlyRate() {
        Activity activity = new Activity();
        // 1, 2, 3, 4, 5 events in five consecutive hours, then one event in the sixth closes the fifth.
        for (int hour = 0; hour < 5; hour++) {
            for (int i = 0; i <= hour; i++) {
                long t = T0 + hour * H + i * 60_000L;
                activity.record(t, "GET", 1, "eu", null, POLICY, t);
            }
        }
        activity.record(T0 + 5 * H, "GET", 1, "eu", null, POLICY, T0 + 5 * H);
        assertTrue(activity.holt().nextHour() > 4.0, "trend carries the forecast up: " + activity.holt());
        assertTrue(activity.holt().trend() > 0.5, activity.holt().toString());
        assertEquals(T0 / H + 4, activity.holtHour());
    }

    @Test
    void shouldKeepOneSlotPerRegionNameWhateverStringInstanceNamesIt() {
        // Restored from storage (its own String instances), then fed by events whose names are other instances.
        Activity activity = new Activity(new BucketedCounts(Activity.FINE_BUCKET_MS, Activity.FINE_BUCKETS),
                new BucketedCounts(Activity.COARSE_BUCKET_MS, Activity.COARSE_BUCKETS), 0, T0, T0,
                Map.of(new String("eu"), 100.0, new String("us"), 50.0), 0, HoltForecast.EMPTY, -1, new long[0], 0);
        activity.record(T0, "GET", 10, new String("us"), null, POLICY, T0);
        activity.record(T0, "GET", 10, new String("us"), null, POLICY, T0);
        activity.record(T0, "GET", 5, new String("ap"), null, POLICY, T0);
        activity.record(T0, "GET", 5, new String("ap"), null, POLICY, T0);
        assertEquals(Map.of("eu", 100.0, "us", 70.0, "ap", 10.0), activity.rawRegionBytes());

        // More regions than the slots it started with (4): the arrays grow, and every read lands in its region.
        for (String region : List.of("sa", "af", "me", "oc")) {
            activity.record(T0, "GET", 1, region, null, POLICY, T0);
        }
        assertEquals(7, activity.regionCount());
        assertEquals(1.0, activity.rawRegionBytes().get("oc"));
        Activity restored = new Activity();
        activity.rawRegionBytes().forEach(restored::restoreRegion);
        assertEquals(activity.rawRegionBytes(), restored.rawRegionBytes(), "restored region by region");

        ReadTally tally = new ReadTally();
        tally.add(new String("eu"), 3, false);
        tally.add(new String("eu"), 4, true);
        assertEquals(1, tally.regionCount());
        assertEquals(2, tally.reads(0));
        assertEquals(7, tally.bytes(0));
    }

    @Test
    void shouldTallyReadsOfOneRegionServedByDifferentSitesApart() {
        ReadTally tally = new ReadTally();
        tally.add("eu", "aws", 3, false);
        tally.add("eu", "onprem", 4, true);
        tally.add("eu", null, 5, false);
        tally.add(new String("eu"), new String("aws"), 6, false); // as restored from storage: equal, not the same

        assertEquals(3, tally.regionCount());
        assertEquals(List.of("aws", "onprem"), List.of(tally.servedFrom(0), tally.servedFrom(1)));
        assertEquals(null, tally.servedFrom(2));
        assertEquals(List.of(9L, 4L, 5L), List.of(tally.bytes(0), tally.bytes(1), tally.bytes(2)));
        assertEquals(List.of(2L, 1L, 1L), List.of(tally.reads(0), tally.reads(1), tally.reads(2)));
        assertEquals(1, tally.slaMisses());
        ReadTally copy = tally.copy();
        tally.clear();
        assertEquals("onprem", copy.servedFrom(1), "a copy keeps the sites");
    }

    @Test
    void shouldTallyAfreshAfterClearingWhateverRegionsCameBefore() {
        ReadTally tally = new ReadTally();
        tally.add("eu", 10, true);
        tally.add("us", 20, false);
        ReadTally charged = tally.copy();
        tally.clear();
        assertTrue(tally.isEmpty());
        assertEquals(0, tally.totalReads());

        // The slots keep their old names after a clear; reads from other regions, in another order, must not be
        // counted under them.
        tally.add("ap", 5, false);
        tally.add("eu", 7, false);
        tally.add("ap", 1, false);
        assertEquals(2, tally.regionCount());
        assertEquals(List.of("ap", "eu"), List.of(tally.region(0), tally.region(1)));
        assertEquals(List.of(2L, 1L), List.of(tally.reads(0), tally.reads(1)));
        assertEquals(List.of(6L, 7L), List.of(tally.bytes(0), tally.bytes(1)));
        assertEquals(0, tally.slaMisses());
        assertEquals(30, charged.totalBytes(), "the copy taken before the clear is untouched");
        assertEquals(1, charged.slaMisses());
    }

    @Test
    void shouldExtrapolateMonthlyDemandPerRegionFromASteadyRate() {
        Activity activity = new Activity();
        long halfLife = POLICY.halfLifeMs();
        // One 1 GB read a minute from eu for two half-lives: the decayed sum approaches rate·HL/ln 2.
        long t = T0;
        for (int i = 0; i < 2 * halfLife / 60_000; i++) {
            t = T0 + i * 60_000L;
            activity.record(t, "GET", 1_000_000_000L, "eu", null, POLICY, t);
        }
        double monthlyGb = activity.monthlyGbByRegion(t, halfLife).get("eu");
        double expected = 60 * 24 * 30; // 1 GB a minute
        assertEquals(expected, monthlyGb, expected * 0.3, "within the warm-up error of two half-lives");
        assertEquals(Map.of(), new Activity().monthlyGbByRegion(t, halfLife));
    }

    @Test
    void shouldTurnActivityIntoFeatures() {
        Activity activity = new Activity();
        activity.record(T0, "GET", 1, "eu", null, POLICY, T0);
        Features features = activity.features(T0 + 10_000, 999, POLICY.halfLifeMs());
        assertEquals(1.0, features.count1h());
        assertEquals(1.0, features.count24h());
        assertEquals(10.0, features.recencySeconds());
        assertEquals(3.0, features.logSize(), 1e-9);
        assertEquals(List.of(1.0), List.of(features.heat() > 0.99 ? 1.0 : 0.0));
    }

    @Test
    void shouldKeepTheLifetimeHistoryTheDecayedSumsForget() {
        long day = 24 * H;
        long d0 = T0 - Math.floorMod(T0, day); // midnight UTC
        Activity activity = new Activity();
        activity.record(d0 + H, "GET", 10, "eu", "a", POLICY, d0 + H);
        activity.record(d0 + 2 * H, "GET", 10, "eu", "b", POLICY, d0 + 2 * H);
        activity.record(d0 + day + H, "PUT", 10, "eu", "c", POLICY, d0 + day + H); // an access, not a read
        activity.record(d0 + 3 * day + 2 * H, "GET", 10, "eu", "d", POLICY, d0 + 3 * day + 2 * H);
        activity.record(d0 + 3 * day + 2 * H, "GET", 10, "us", "e", POLICY, d0 + 3 * day + 2 * H); // same time
        // Late (within the policy's lateness), between the last two accesses: it becomes the one before the last.
        long late = d0 + 3 * day + 2 * H - 120_000;
        assertEquals(Activity.Outcome.COUNTED,
                activity.record(late, "GET", 10, "eu", "f", POLICY, d0 + 3 * day + 2 * H));
        long now = d0 + 5 * day + 2 * H;

        Features f = activity.features(now, 100, POLICY.halfLifeMs());

        assertEquals(5.0, f.readsSoFar(), "the PUT is no read");
        assertEquals((5 * day + H) / 1000.0, f.ageSeconds(), "since the first access");
        assertEquals(5.0 / ((5 * day + H) / (double) day), f.readsPerDay(), 1e-12);
        assertEquals((now - late) / 1000.0, f.previousRecencySeconds(), "since the late access");
        assertEquals(2 * day / 1000.0, f.recencySeconds());
        assertEquals((3 * day + H) / 1000.0 / 5, f.lifetimeInterarrivalSeconds(), 1e-9, "6 accesses, 5 gaps");
        assertEquals(3.0, f.activeDays(), "days 0, 1 and 3");
        assertEquals(activity.copy().features(now, 100, POLICY.halfLifeMs()), f, "a copy keeps the history");
    }

    @Test
    void shouldGiveHistoryFeaturesToDatasetsReadOnceOrNever() {
        long halfLife = POLICY.halfLifeMs();
        Features never = new Activity().features(T0, 100, halfLife);
        assertEquals(0.0, never.readsSoFar());
        assertEquals(0.0, never.ageSeconds());
        assertEquals(0.0, never.readsPerDay());
        assertEquals(2 * Features.NO_READS_INTERARRIVAL_S, never.previousRecencySeconds(), "30 days before the "
                + "30 days of recency a dataset never read has");
        assertEquals(Features.NO_READS_INTERARRIVAL_S, never.lifetimeInterarrivalSeconds());
        assertEquals(0.0, never.activeDays());

        Activity once = new Activity();
        once.record(T0, "GET", 10, "eu", null, POLICY, T0);
        Features hourLater = once.features(T0 + H, 100, halfLife);
        assertEquals(1.0, hourLater.readsPerDay(), "younger than a day: its reads so far are its daily rate");
        assertEquals(3600 + Features.NO_READS_INTERARRIVAL_S, hourLater.previousRecencySeconds());
        assertEquals(Features.NO_READS_INTERARRIVAL_S, hourLater.lifetimeInterarrivalSeconds());
        assertEquals(1.0, hourLater.activeDays());
        assertEquals(0.25, once.features(T0 + 96 * H, 100, halfLife).readsPerDay(), 1e-12, "one read in 4 days");
    }

    @Test
    void shouldDeriveReadVolumeRangeShareRegionsAndInterarrivalFromTheDecayedReads() {
        Activity activity = new Activity();
        long size = 100_000_000L;
        long halfLife = POLICY.halfLifeMs();
        // 4 range reads of 10 MB from two regions, a minute apart, and a PUT that reads nothing.
        for (int i = 0; i < 4; i++) {
            activity.record(T0 + i * 60_000L, "GET", 10_000_000L, i % 2 == 0 ? "eu" : "us", null, POLICY, T0);
        }
        activity.record(T0 + 5 * 60_000L, "PUT", size, "eu", null, POLICY, T0);
        long now = T0 + halfLife;

        Features features = activity.features(now, size, halfLife);

        // Each read has decayed by 2^-((now - t_i) / halfLife), seen from now.
        double decayedReads = 0;
        for (int i = 0; i < 4; i++) {
            decayedReads += Math.pow(2, -(double) (now - (T0 + i * 60_000L)) / halfLife);
        }
        assertEquals(decayedReads * 10_000_000L / 1e9, features.bytesReadGb(), 1e-12);
        assertEquals(0.1, features.readFraction(), 1e-12, "10 MB per read of a 100 MB object");
        assertEquals(2.0, features.regionCount());
        assertEquals(1 / (decayedReads * Math.log(2) / halfLife * 1000), features.meanInterarrivalSeconds(), 1e-6);

        Features never = new Activity().features(now, size, halfLife);
        assertEquals(0.0, never.bytesReadGb());
        assertEquals(0.0, never.readFraction());
        assertEquals(0.0, never.regionCount());
        assertEquals(Features.NO_READS_INTERARRIVAL_S, never.meanInterarrivalSeconds());
        Features longAgo = activity.features(now + 400 * halfLife, size, halfLife);
        assertEquals(Features.NO_READS_INTERARRIVAL_S, longAgo.meanInterarrivalSeconds(),
                "reads decayed to almost nothing imply no more than the never-read interval");
    }

    @Test
    void shouldNameEveryFeatureOnceAndFindEachByItsName() {
        Features features = new Features(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
        Map<String, Double> byName = features.byName();
        assertEquals(Features.NAMES, List.copyOf(byName.keySet()));
        assertEquals(Features.class.getRecordComponents().length, byName.size(), "a feature added to the record "
                + "needs a name");
        for (int i = 0; i < Features.NAMES.size(); i++) {
            String name = Features.NAMES.get(i);
            assertEquals(i + 1.0, byName.get(name), name);
            assertEquals(i + 1.0, features.get(name), name);
            assertEquals(i, Features.index(name).getAsInt());
        }
        assertTrue(Features.index("no_such_feature").isEmpty());
    }
}
