package io.tierflow.streams.domain.cost;

import io.tierflow.streams.domain.SiteOffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The accountant of one run over many objects in event time, by the cost model's rules. Each copy of an object (a key
 * at a site) is held in one storage class from when it is {@linkplain #placed placed} until it is {@linkplain #removed
 * removed}, moved to another class, or the run {@linkplain #finish finishes}; its storage is charged on at least the
 * class's minimum billable bytes, and a copy that leaves its class before the class's minimum storage duration is
 * charged the rest of that duration as early deletion. A copy still held at the end of the run is charged up to the
 * end and no more: the run's bill covers the run's period. Every write into a class (first upload, copy, transition)
 * pays the class's PUT price, as migration.
 *
 * <p>Not thread-safe: one meter per run (or per object), fed in event-time order. Order matters only for
 * {@linkplain #sampleEvery samples}: the charges themselves do not depend on the order of calls for different copies.
 */
public final class CostMeter {
    private final Map<CopyKey, Holding> held = new HashMap<>();
    private double storage;
    private double request;
    private double retrieval;
    private double egress;
    private double migration;
    private double earlyDeletion;
    private double monitoring;
    /** Times are kept relative to the first one seen, so the open holdings' sums keep their precision. */
    private long origin = Long.MIN_VALUE;
    /** Sums over open holdings of rate and rate × since, so the storage accrued by all of them is O(1) to know. */
    private double openStorageRate;
    private double openStorageRateSince;
    private double openMonitoringRate;
    private double openMonitoringRateSince;
    private long sampleEveryMs;
    private long nextSampleAt = Long.MAX_VALUE;
    private final List<Sample> samples = new ArrayList<>();
    private boolean finished;

    /** The cumulative cost of the run up to a moment. */
    public record Sample(long atMs, CostBreakdown cumulative) {
    }

    private record CopyKey(String key, String site) {
    }

    private static final class Holding {
        final ClassPrices prices;
        final long bytes;
        final long since;
        /** When the class's minimum duration is served: leaving before pays the rest as early deletion. */
        final long minimumServedAt;
        final double storageRate;
        final double monitoringRate;

        Holding(ClassPrices prices, long bytes, long since) {
            this(prices, bytes, since, since + prices.minimumStorageMs());
        }

        Holding(ClassPrices prices, long bytes, long since, long minimumServedAt) {
            this.prices = prices;
            this.bytes = bytes;
            this.since = since;
            this.minimumServedAt = minimumServedAt;
            this.storageRate = prices.storageUsdPerMs(bytes);
            this.monitoringRate = prices.monitoringUsdPerMs();
        }
    }

    /**
     * Records the cumulative cost every {@code intervalMs} of event time, from the first call on, and once more at
     * {@link #finish}: the points of a chart of cumulative cost over time.
     */
    public CostMeter sampleEvery(long intervalMs) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("sample interval must be positive, was " + intervalMs);
        }
        sampleEveryMs = intervalMs;
        if (origin != Long.MIN_VALUE && nextSampleAt == Long.MAX_VALUE) {
            nextSampleAt = origin;
        }
        return this;
    }

    /** The samples recorded so far (see {@link #sampleEvery}), oldest first. */
    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /**
     * An object of {@code bytes} is written into {@code prices}'s class at {@code site} at {@code atMs}: the PUT is
     * charged, and its storage from then on. If the key is already held at the site, this is a move between classes
     * there: the old class is left (early deletion if under its minimum duration) and the move is charged by
     * {@link ClassPrices#moveUsd}.
     */
    public void placed(String key, String site, ClassPrices prices, long bytes, long atMs) {
        advance(atMs);
        CopyKey copy = new CopyKey(key, site);
        Holding before = held.get(copy);
        if (before != null) {
            migration += before.prices.moveUsd(prices, bytes);
            close(copy, before, atMs);
        } else {
            migration += prices.putPer1000() / 1000.0;
        }
        open(copy, new Holding(prices, bytes, atMs));
    }

    /**
     * An object that was already stored before the run starts is held in {@code prices}'s class at {@code site} from
     * {@code atMs}: storage is charged from then on, no PUT (it was paid before the run). An earlier holding of the key
     * at the site ends as if {@linkplain #removed removed}, with no move charged.
     */
    public void held(String key, String site, ClassPrices prices, long bytes, long atMs) {
        advance(atMs);
        CopyKey copy = new CopyKey(key, site);
        Holding before = held.get(copy);
        if (before != null) {
            close(copy, before, atMs);
        }
        open(copy, new Holding(prices, bytes, atMs));
    }

    /**
     * The copy of {@code key} at {@code site} is {@code bytes} long from {@code atMs} on (what is known of its size
     * changed: a trace only learns it from the requests): its storage is charged on the new size from then, in the
     * same class, with no PUT and no early deletion (its minimum duration goes on from when it entered the class), as
     * the baselines charge an object on one size. Returns false (and charges nothing) when the meter holds no such copy.
     */
    public boolean resized(String key, String site, long bytes, long atMs) {
        advance(atMs);
        CopyKey copy = new CopyKey(key, site);
        Holding holding = held.get(copy);
        if (holding == null) {
            return false;
        }
        Holding resized = new Holding(holding.prices, bytes, atMs, holding.minimumServedAt);
        close(copy, new Holding(holding.prices, holding.bytes, holding.since, Long.MIN_VALUE), atMs);
        open(copy, resized);
        return true;
    }

    /**
     * The copy of {@code key} at {@code site} is deleted at {@code atMs}: its storage is charged up to then, and the
     * rest of its class's minimum duration as early deletion. Returns false (and charges nothing) when the meter holds
     * no such copy.
     */
    public boolean removed(String key, String site, long atMs) {
        advance(atMs);
        CopyKey copy = new CopyKey(key, site);
        Holding holding = held.get(copy);
        if (holding == null) {
            return false;
        }
        close(copy, holding, atMs);
        return true;
    }

    /**
     * A read of {@code bytes} served from {@code prices}'s class at {@code site} to a client in {@code clientRegion}:
     * one GET, the class's retrieval fee on the bytes read, and the site's egress when the client is in another
     * region.
     */
    public void read(String key, SiteOffer site, ClassPrices prices, String clientRegion, long bytes, long atMs) {
        advance(atMs);
        double gb = bytes / ClassPrices.GB;
        request += prices.getPer1000() / 1000.0;
        retrieval += gb * prices.retrievalPerGb();
        if (!site.region().equals(clientRegion)) {
            egress += gb * site.egressPerGb();
        }
    }

    /**
     * {@code key} is copied from {@code fromSite} into {@code prices}'s class at {@code toSite}: reading the source
     * (a GET and its class's retrieval fee, when the meter holds the source copy), egress out of the source site when
     * the two sites are in different regions, and the PUT at the target, all as migration; the copy is held from
     * then on (a copy onto a key the target already holds replaces it, as {@link #placed} does).
     */
    public void copied(String key, SiteOffer fromSite, SiteOffer toSite, ClassPrices prices, long bytes, long atMs) {
        advance(atMs);
        double gb = bytes / ClassPrices.GB;
        Holding source = held.get(new CopyKey(key, fromSite.name()));
        if (source != null) {
            migration += source.prices.getPer1000() / 1000.0 + gb * source.prices.retrievalPerGb();
        }
        if (!fromSite.region().equals(toSite.region())) {
            migration += gb * fromSite.egressPerGb();
        }
        CopyKey copy = new CopyKey(key, toSite.name());
        Holding before = held.get(copy);
        if (before != null) {
            close(copy, before, atMs);
        }
        migration += prices.putPer1000() / 1000.0;
        open(copy, new Holding(prices, bytes, atMs));
    }

    /** The cumulative cost up to {@code atMs}: everything charged, and the open copies' storage and monitoring. */
    public CostBreakdown snapshot(long atMs) {
        double at = relative(atMs);
        double openStorage = origin == Long.MIN_VALUE ? 0.0 : openStorageRate * at - openStorageRateSince;
        double openMonitoring = origin == Long.MIN_VALUE ? 0.0 : openMonitoringRate * at - openMonitoringRateSince;
        return new CostBreakdown(storage + openStorage, request, retrieval, egress, migration, earlyDeletion,
                monitoring + openMonitoring);
    }

    /**
     * Ends the run at {@code atMs}: every copy still held is charged its storage up to then (no early deletion: it is
     * not deleted, the run just ends). Returns the run's cost; the meter takes no more calls.
     */
    public CostBreakdown finish(long atMs) {
        advance(atMs);
        for (Map.Entry<CopyKey, Holding> copy : List.copyOf(held.entrySet())) {
            Holding holding = copy.getValue();
            long ms = Math.max(0, atMs - holding.since);
            storage += holding.storageRate * ms;
            monitoring += holding.monitoringRate * ms;
        }
        held.clear();
        openStorageRate = openStorageRateSince = openMonitoringRate = openMonitoringRateSince = 0;
        CostBreakdown total = snapshot(atMs);
        if (sampleEveryMs > 0 && (samples.isEmpty() || samples.get(samples.size() - 1).atMs() != atMs)) {
            samples.add(new Sample(atMs, total));
        }
        finished = true;
        return total;
    }

    private void open(CopyKey copy, Holding holding) {
        held.put(copy, holding);
        double since = relative(holding.since);
        openStorageRate += holding.storageRate;
        openStorageRateSince += holding.storageRate * since;
        openMonitoringRate += holding.monitoringRate;
        openMonitoringRateSince += holding.monitoringRate * since;
    }

    private void close(CopyKey copy, Holding holding, long atMs) {
        held.remove(copy);
        double since = relative(holding.since);
        openStorageRate -= holding.storageRate;
        openStorageRateSince -= holding.storageRate * since;
        openMonitoringRate -= holding.monitoringRate;
        openMonitoringRateSince -= holding.monitoringRate * since;
        long ms = Math.max(0, atMs - holding.since);
        storage += holding.storageRate * ms;
        monitoring += holding.monitoringRate * ms;
        if (atMs < holding.minimumServedAt) {
            earlyDeletion += holding.storageRate * (holding.minimumServedAt - atMs);
        }
    }

    /** Takes a call at {@code atMs}: records the samples due before it, before its charges. */
    private void advance(long atMs) {
        if (finished) {
            throw new IllegalStateException("the run has finished; the meter takes no more calls");
        }
        if (origin == Long.MIN_VALUE) {
            origin = atMs;
            if (sampleEveryMs > 0) {
                nextSampleAt = atMs;
            }
        }
        while (nextSampleAt <= atMs) {
            samples.add(new Sample(nextSampleAt, snapshot(nextSampleAt)));
            nextSampleAt += sampleEveryMs;
        }
    }

    private double relative(long atMs) {
        return origin == Long.MIN_VALUE ? 0.0 : (double) (atMs - origin);
    }
}
