package io.tierflow.streams.domain.cost;

import io.tierflow.streams.domain.SiteOffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cheapest way to have stored one object at one site, knowing its future reads: the lower bound every policy is
 * reported against.
 *
 * <p>The schedules searched: the object is uploaded into any class of the site when it is created, and may change
 * class at each read, right before it (the read is then served from the new class) and right after it, and at each
 * moment a class's minimum duration runs out counted from the creation or a read (waiting out a minimum before
 * moving down is often cheapest; the moves a policy makes elsewhere between reads are not). A change is a
 * {@link CostMeter#placed move}: the new class's PUT, the old class's retrieval unless the move goes to a colder tier,
 * and the rest of the old class's minimum duration as early deletion. Storage is charged on the billable size; the
 * object is held until the end of the run, and no minimum is charged at the end. Whole-life S3 Intelligent-Tiering
 * (under {@link Baselines#intelligentTiering}'s rules) is a candidate too, so no baseline beats the bound.
 *
 * <p>The search is a dynamic programme over the P change points of an object (2n+1 for n reads, plus at most
 * (n+1)·K where minimums run out), over stays (a class
 * held from one change point to a later one). A stay in class c from point j to point k costs its entry (PUT and
 * move), c's storage rate × max(duration, c's minimum) and the reads it serves. For the stays at least as long as the
 * minimum, that cost is additive over time, so the best start is a running minimum; for the shorter ones the storage
 * is the fixed minimum, and the best start in the sliding window of the last minimum duration is kept by a monotonic
 * deque. So an object prices in O(P·K²), exactly over the schedules searched.
 */
public final class OfflineOptimum {
    static final String STRATEGY = "offline-optimum";

    private OfflineOptimum() {
    }

    /** The optimum over the site's classes and whole-life Intelligent-Tiering, whichever is cheaper. */
    public static PricedObject price(ObjectAccesses object, SiteOffer site, long endMs) {
        PricedObject classes = overClasses(object, site, endMs);
        PricedObject tiering = Baselines.intelligentTiering(object, site, endMs);
        return tiering.cost().total() < classes.cost().total()
                ? new PricedObject(object.key(), STRATEGY, tiering.cost(), tiering.schedule())
                : classes;
    }

    /** The optimum over the schedules of the site's storage classes alone (see the class comment). */
    public static PricedObject overClasses(ObjectAccesses object, SiteOffer site, long endMs) {
        object.checkEnd(endMs);
        List<ClassPrices> classes = distinctClasses(site);
        ChangePoints points = ChangePoints.of(object, classes, endMs);
        int[][] schedule = search(object, classes, points, endMs);
        return priceSchedule(object, site, classes, points, schedule[0], schedule[1], endMs, STRATEGY);
    }

    /**
     * The moments an object may change class, in time order: its creation (point 0), right before and right after
     * each read, and each moment a class's minimum duration runs out counted from the creation or a read (when that
     * falls between two reads and before the end), so that waiting out a minimum and then moving is searched too.
     * {@code readBefore[p]} is the read (from 0) served just before point p, or -1.
     */
    record ChangePoints(long[] atMs, int[] readBefore) {
        static ChangePoints of(ObjectAccesses object, List<ClassPrices> classes, long endMs) {
            int n = object.accessCount();
            long[] reads = object.accessAtMs();
            java.util.TreeSet<Long> expiries = new java.util.TreeSet<>();
            for (ClassPrices c : classes) {
                long minimum = c.minimumStorageMs();
                if (minimum <= 0) {
                    continue;
                }
                for (int i = -1; i < n; i++) {
                    long at = (i < 0 ? object.createdAtMs() : reads[i]) + minimum;
                    if (at < endMs && java.util.Arrays.binarySearch(reads, at) < 0) {
                        expiries.add(at);
                    }
                }
            }
            long[] atMs = new long[1 + 2 * n + expiries.size()];
            int[] readBefore = new int[atMs.length];
            atMs[0] = object.createdAtMs();
            readBefore[0] = -1;
            int p = 1;
            int i = 0;
            for (long expiry : expiries) {
                for (; i < n && reads[i] < expiry; i++, p += 2) {
                    point(atMs, readBefore, p, reads[i], i);
                }
                atMs[p] = expiry;
                readBefore[p++] = -1;
            }
            for (; i < n; i++, p += 2) {
                point(atMs, readBefore, p, reads[i], i);
            }
            return new ChangePoints(atMs, readBefore);
        }

        private static void point(long[] atMs, int[] readBefore, int p, long at, int read) {
            atMs[p] = atMs[p + 1] = at;
            readBefore[p] = -1;
            readBefore[p + 1] = read;
        }

        int size() {
            return atMs.length;
        }
    }

    /**
     * Prices a schedule of the searched kind through a {@link CostMeter}: the object is uploaded into
     * {@code classes[classAt[0]]} and moved into {@code classes[classAt[p]]} at each change point p listed in
     * {@code changes} (ascending, 0 first; {@code classAt} may hold anything elsewhere). Shared by the search and its
     * tests.
     */
    static PricedObject priceSchedule(ObjectAccesses object, SiteOffer site, List<ClassPrices> classes,
            ChangePoints points, int[] changes, int[] classAt, long endMs, String strategy) {
        String key = object.key();
        CostMeter meter = new CostMeter();
        List<PricedObject.Stay> stays = new ArrayList<>();
        ClassPrices current = classes.get(classAt[0]);
        meter.placed(key, site.name(), current, object.sizeBytes(), object.createdAtMs());
        stays.add(new PricedObject.Stay(object.createdAtMs(), current.name(), current.tier()));
        int next = 1;
        for (int point = 1; point < points.size(); point++) {
            long at = points.atMs()[point];
            int read = points.readBefore()[point];
            if (read >= 0) {
                meter.read(key, site, current, object.clientRegions()[read], object.accessBytes()[read], at);
            }
            if (next < changes.length && changes[next] == point) {
                next++;
                ClassPrices to = classes.get(classAt[point]);
                if (!to.equals(current)) {
                    meter.placed(key, site.name(), to, object.sizeBytes(), at);
                    stays.add(new PricedObject.Stay(at, to.name(), to.tier()));
                    current = to;
                }
            }
        }
        return new PricedObject(key, strategy, meter.finish(endMs), stays);
    }

    /** The site's storage classes, each once. */
    static List<ClassPrices> distinctClasses(SiteOffer site) {
        Map<String, ClassPrices> byName = new LinkedHashMap<>();
        for (SiteOffer.StorageClassOffer offer : site.classes()) {
            byName.putIfAbsent(offer.name(), ClassPrices.of(offer));
        }
        if (byName.isEmpty()) {
            throw new IllegalArgumentException("site " + site.name() + " has no storage classes");
        }
        return List.copyOf(byName.values());
    }

    /**
     * The dynamic programme. Returns the change points of the best schedule (ascending, from 0) and the class index
     * at each of them, as {@link #priceSchedule} takes them. Egress is left out: it is the same for every schedule.
     */
    static int[][] search(ObjectAccesses object, List<ClassPrices> classes, ChangePoints changePoints, long endMs) {
        int points = changePoints.size();
        int k = classes.size();
        long origin = object.createdAtMs();
        double[] time = new double[points];
        for (int p = 0; p < points; p++) {
            time[p] = changePoints.atMs()[p] - origin;
        }
        double end = endMs - origin;
        double[] storageRate = new double[k];
        double[] monitoringRate = new double[k];
        double[] minimum = new double[k];
        double[][] moveUsd = new double[k][k];
        // reads[c][p]: the reads served before change point p, priced in class c
        double[][] reads = new double[k][points];
        for (int c = 0; c < k; c++) {
            ClassPrices prices = classes.get(c);
            storageRate[c] = prices.storageUsdPerMs(object.sizeBytes());
            monitoringRate[c] = prices.monitoringUsdPerMs();
            minimum[c] = prices.minimumStorageMs();
            for (int d = 0; d < k; d++) {
                moveUsd[c][d] = prices.moveUsd(classes.get(d), object.sizeBytes());
            }
            for (int p = 1; p < points; p++) {
                reads[c][p] = reads[c][p - 1];
                int read = changePoints.readBefore()[p];
                if (read >= 0) {
                    reads[c][p] += prices.getPer1000() / 1000.0
                            + object.accessBytes()[read] / ClassPrices.GB * prices.retrievalPerGb();
                }
            }
        }
        double[][] entry = new double[k][points];
        int[][] enteredFrom = new int[k][points]; // class left at the point to enter c, -1 for the upload
        int[][] stayStart = new int[k][points]; // where the best stay in c that ends at the point began
        double[][] longKey = new double[k][points];
        double[][] shortKey = new double[k][points];
        // per class: the running minimum of longKey over starts at least a minimum duration back...
        double[] longBest = new double[k];
        int[] longBestAt = new int[k];
        int[] longFrontier = new int[k];
        // ...and a monotonic deque (increasing shortKey) of the starts within the last minimum duration
        int[][] deque = new int[k][points];
        int[] head = new int[k];
        int[] tail = new int[k];
        for (int c = 0; c < k; c++) {
            longBest[c] = Double.POSITIVE_INFINITY;
            longBestAt[c] = -1;
            entry[c][0] = classes.get(c).putPer1000() / 1000.0;
            enteredFrom[c][0] = -1;
            keys(entry, longKey, shortKey, storageRate, monitoringRate, reads, time, c, 0);
        }
        double[] best = new double[k];
        for (int p = 1; p < points; p++) {
            for (int c = 0; c < k; c++) {
                // the start p-1 joins the window of short stays; starts a minimum back leave it for the long ones
                while (tail[c] > head[c] && shortKey[c][deque[c][tail[c] - 1]] >= shortKey[c][p - 1]) {
                    tail[c]--;
                }
                deque[c][tail[c]++] = p - 1;
                while (longFrontier[c] < p && time[p] - time[longFrontier[c]] >= minimum[c]) {
                    int j = longFrontier[c]++;
                    if (longKey[c][j] < longBest[c]) {
                        longBest[c] = longKey[c][j];
                        longBestAt[c] = j;
                    }
                }
                while (tail[c] > head[c] && deque[c][head[c]] < longFrontier[c]) {
                    head[c]++;
                }
                double cost = Double.POSITIVE_INFINITY;
                int start = -1;
                if (longBestAt[c] >= 0) {
                    cost = longBest[c] + (storageRate[c] + monitoringRate[c]) * time[p] + reads[c][p];
                    start = longBestAt[c];
                }
                if (tail[c] > head[c]) {
                    int j = deque[c][head[c]];
                    double shortCost = shortKey[c][j] + storageRate[c] * minimum[c] + monitoringRate[c] * time[p]
                            + reads[c][p];
                    if (shortCost < cost) {
                        cost = shortCost;
                        start = j;
                    }
                }
                best[c] = cost;
                stayStart[c][p] = start;
            }
            for (int c = 0; c < k; c++) {
                double enter = Double.POSITIVE_INFINITY;
                int from = -1;
                for (int d = 0; d < k; d++) {
                    if (d != c && best[d] + moveUsd[d][c] < enter) {
                        enter = best[d] + moveUsd[d][c];
                        from = d;
                    }
                }
                entry[c][p] = enter;
                enteredFrom[c][p] = from;
                keys(entry, longKey, shortKey, storageRate, monitoringRate, reads, time, c, p);
            }
        }
        // the last stay runs to the end of the run, where no minimum is charged
        double total = Double.POSITIVE_INFINITY;
        int lastClass = -1;
        int lastStart = -1;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < points; j++) {
                double cost = longKey[c][j] + (storageRate[c] + monitoringRate[c]) * end + reads[c][points - 1];
                if (cost < total) {
                    total = cost;
                    lastClass = c;
                    lastStart = j;
                }
            }
        }
        // walk the stays back from the last one
        List<int[]> changes = new ArrayList<>();
        int c = lastClass;
        int j = lastStart;
        while (true) {
            changes.add(new int[] {j, c});
            if (j == 0) {
                break;
            }
            int left = enteredFrom[c][j];
            int start = stayStart[left][j];
            c = left;
            j = start;
        }
        int[] at = new int[changes.size()];
        int[] classAt = new int[points];
        java.util.Arrays.fill(classAt, -1);
        for (int i = 0; i < changes.size(); i++) {
            int[] change = changes.get(changes.size() - 1 - i);
            at[i] = change[0];
            classAt[change[0]] = change[1];
        }
        return new int[][] {at, classAt};
    }

    private static void keys(double[][] entry, double[][] longKey, double[][] shortKey, double[] storageRate,
            double[] monitoringRate, double[][] reads, double[] time, int c, int p) {
        longKey[c][p] = entry[c][p] - (storageRate[c] + monitoringRate[c]) * time[p] - reads[c][p];
        shortKey[c][p] = entry[c][p] - monitoringRate[c] * time[p] - reads[c][p];
    }
}
