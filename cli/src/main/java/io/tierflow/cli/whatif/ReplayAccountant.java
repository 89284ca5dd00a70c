package io.tierflow.cli.whatif;

import io.tierflow.cli.trace.SiteChoice;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.streams.domain.CostModel;
import io.tierflow.streams.domain.SiteOffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prices what happened in a replay, and nothing else does: copies placed and removed (storage for the time held,
 * and the rest of the class's minimum storage duration when removed early), reads served (request, retrieval,
 * egress by {@link CostModel#read}), other requests, and copies made by migrations (the source's retrieval and
 * egress, the destination's request). Kept behind this one class so the shared cost model (issue 19, item 4) can
 * replace its arithmetic without touching the replay. Storage accrues continuously: the sum of the open copies'
 * rates is kept, so the cumulative cost at any time is a constant-time sum.
 */
final class ReplayAccountant {
    private static final double MS_PER_DAY = 86_400_000.0;
    private static final double MONTH_DAYS = 30.0;

    private record Held(String storageClass, long sizeBytes, long sinceMs, double usdPerMs, double minimumDays) {
    }

    private final String name;
    private final Map<String, Site> sites;
    private final Map<String, SiteOffer> offers = new HashMap<>();
    private final Map<String, Held> held = new HashMap<>();
    private final Map<String, Long> getsByTier = new TreeMap<>();
    private final List<PolicyCosts.Sample> samples = new ArrayList<>();
    private final long sampleEveryMs;
    private long nextSampleMs = Long.MIN_VALUE;
    private double closedStorage;
    private double openRate;
    private double openRateTimesSince;
    private double requests;
    private double retrieval;
    private double egress;
    private double migration;
    private double earlyDeletion;
    private long slaMisses;
    private long unplacedReads;
    private long moves;
    private long bytesMoved;
    private long failedSteps;

    ReplayAccountant(String name, Map<String, Site> sites, long sampleEveryMs) {
        this.name = name;
        this.sites = sites;
        this.sampleEveryMs = sampleEveryMs;
        sites.forEach((siteName, site) -> offers.put(siteName, SiteChoice.offer(site)));
    }

    /** A copy of {@code key} now held at {@code site} in {@code storageClass}. */
    void placed(String key, String site, String storageClass, long sizeBytes, long atMs) {
        tick(atMs);
        StorageClassPrice price = price(site, storageClass);
        double usdPerMs = price == null ? 0 : sizeBytes / 1e9 * price.getStoragePricePerGbMonth()
                / (MONTH_DAYS * MS_PER_DAY);
        Held copy = new Held(storageClass, sizeBytes, atMs, usdPerMs, price == null ? 0 : price.getMinimumStorageDays());
        Held before = held.put(copyKey(key, site), copy);
        if (before != null) {
            close(before, atMs);
        }
        openRate += usdPerMs;
        openRateTimesSince += usdPerMs * atMs;
    }

    /** The copy of {@code key} at {@code site} is gone. */
    void removed(String key, String site, long atMs) {
        tick(atMs);
        Held copy = held.remove(copyKey(key, site));
        if (copy != null) {
            close(copy, atMs);
        }
    }

    private void close(Held copy, long atMs) {
        long heldMs = Math.max(0, atMs - copy.sinceMs());
        closedStorage += copy.usdPerMs() * heldMs;
        openRate -= copy.usdPerMs();
        openRateTimesSince -= copy.usdPerMs() * copy.sinceMs();
        double shortMs = copy.minimumDays() * MS_PER_DAY - heldMs;
        if (shortMs > 0) {
            earlyDeletion += copy.usdPerMs() * shortMs; // the providers bill the rest of the minimum duration
        }
    }

    /**
     * A read of {@code bytes} served by the copy at {@code site}.
     *
     * @param latencyMs how long it took; over {@code slaMs} it is an SLA miss
     */
    void read(String site, String storageClass, String clientRegion, long bytes, double latencyMs, double slaMs,
            long atMs) {
        tick(atMs);
        StorageClassPrice price = price(site, storageClass);
        SiteOffer offer = offers.get(site);
        if (price == null || offer == null) {
            unplacedReads++;
            return;
        }
        CostModel.ReadCost cost = CostModel.read(offer, classOffer(offer, storageClass), clientRegion, bytes);
        requests += cost.requestUsd();
        retrieval += cost.retrievalUsd();
        egress += cost.egressUsd();
        getsByTier.merge(price.getTier().name(), 1L, Long::sum);
        if (latencyMs > slaMs) {
            slaMisses++;
        }
    }

    /** A read of a dataset without a known copy. */
    void unplacedRead(long atMs) {
        tick(atMs);
        unplacedReads++;
    }

    /** A request that moves no data to the client (PUT, HEAD, DELETE, LIST): its request price. */
    void request(String site, String storageClass, long atMs) {
        tick(atMs);
        StorageClassPrice price = price(site, storageClass);
        if (price != null) {
            requests += price.getRequestPricePer1000() / 1000.0;
        }
    }

    /** A migration copied {@code bytes} from {@code source} (in {@code sourceClass}) to a new copy. */
    void copied(String source, String sourceClass, String destination, String destinationClass, long bytes,
            long atMs) {
        tick(atMs);
        StorageClassPrice from = price(source, sourceClass);
        StorageClassPrice to = price(destination, destinationClass);
        SiteOffer sourceOffer = offers.get(source);
        SiteOffer destinationOffer = offers.get(destination);
        if (from != null && sourceOffer != null && destinationOffer != null) {
            // Reading the source is a read from the destination's region; in place it is a transition, no egress.
            String readerRegion = source.equals(destination) ? sourceOffer.region() : destinationOffer.region();
            CostModel.ReadCost read = CostModel.read(sourceOffer, classOffer(sourceOffer, sourceClass), readerRegion,
                    bytes);
            migration += read.egressUsd() + read.retrievalUsd() + read.requestUsd();
        }
        if (to != null) {
            migration += to.getRequestPricePer1000() / 1000.0;
        }
        moves++;
        if (!source.equals(destination)) {
            bytesMoved += bytes;
        }
    }

    void failedStep(long atMs) {
        tick(atMs);
        failedSteps++;
    }

    /** The costs up to {@code endMs}, copies still held charged up to then. */
    PolicyCosts finish(long endMs) {
        tick(endMs);
        samples.add(new PolicyCosts.Sample(endMs, totalAt(endMs)));
        return new PolicyCosts(name, storageAt(endMs), requests, retrieval, egress, migration, earlyDeletion,
                Map.copyOf(getsByTier), slaMisses, unplacedReads, moves, bytesMoved, failedSteps, List.copyOf(samples));
    }

    private void tick(long atMs) {
        if (nextSampleMs == Long.MIN_VALUE) {
            nextSampleMs = atMs;
        }
        while (atMs >= nextSampleMs) {
            samples.add(new PolicyCosts.Sample(nextSampleMs, totalAt(nextSampleMs)));
            nextSampleMs += sampleEveryMs;
        }
    }

    private double storageAt(long atMs) {
        return closedStorage + openRate * atMs - openRateTimesSince;
    }

    private double totalAt(long atMs) {
        return storageAt(atMs) + requests + retrieval + egress + migration + earlyDeletion;
    }

    /** The price of {@code storageClass} at {@code site}, or null if the catalogue has neither. */
    StorageClassPrice price(String site, String storageClass) {
        Site s = sites.get(site);
        if (s == null) {
            return null;
        }
        for (StorageClassPrice price : s.getStorageClasses()) {
            if (price.getName().equals(storageClass)) {
                return price;
            }
        }
        return null;
    }

    private static SiteOffer.StorageClassOffer classOffer(SiteOffer offer, String storageClass) {
        for (SiteOffer.StorageClassOffer c : offer.classes()) {
            if (c.name().equals(storageClass)) {
                return c;
            }
        }
        throw new IllegalStateException("site " + offer.name() + " has no class " + storageClass);
    }

    private static String copyKey(String key, String site) {
        return key + '\u0000' + site;
    }
}
