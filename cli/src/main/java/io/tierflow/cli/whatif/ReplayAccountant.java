package io.tierflow.cli.whatif;

import io.tierflow.cli.trace.SiteChoice;
import io.tierflow.schemas.Site;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.cost.ClassPrices;
import io.tierflow.streams.domain.cost.CostMeter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prices what happened in a replay with the shared cost model's {@link CostMeter}: copies placed (the upload's PUT,
 * storage on at least the minimum billable size), moved between classes, copied by migrations (the source's GET and
 * retrieval, egress between regions, the destination's PUT) and removed (early deletion under the class's minimum
 * duration), and reads served. On top of the meter it counts what the report shows besides money: reads per tier, SLA
 * misses, moves, bytes moved, failures. The one place the replay's pricing lives.
 */
final class ReplayAccountant {
    private final String name;
    private final Map<String, SiteOffer> offers = new HashMap<>();
    /** By site, then class: looked up at every read, so without building a key of the two. */
    private final Map<String, Map<String, ClassPrices>> prices = new HashMap<>();
    /** The class each copy the meter holds is in, by key and site: a copy placed again in its class is no change. */
    private final Map<String, String> heldClass = new HashMap<>();
    /** GETs served per tier, by the tier's ordinal. */
    private final long[] getsByTier = new long[Tier.values().length];
    private final CostMeter meter = new CostMeter();
    private long slaMisses;
    private long unplacedReads;
    private long moves;
    private long bytesMoved;
    private long failedSteps;

    ReplayAccountant(String name, Map<String, Site> sites, long sampleEveryMs) {
        this.name = name;
        meter.sampleEvery(sampleEveryMs);
        sites.forEach((siteName, site) -> {
            SiteOffer offer = SiteChoice.offer(site);
            offers.put(siteName, offer);
            for (SiteOffer.StorageClassOffer c : offer.classes()) {
                prices.computeIfAbsent(siteName, n -> new HashMap<>()).put(c.name(), ClassPrices.of(c));
            }
        });
    }

    Map<String, SiteOffer> offers() {
        return offers;
    }

    /** A copy of {@code key} is held at {@code site} in {@code storageClass} from now on (a new one, or another class). */
    void placed(String key, String site, String storageClass, long sizeBytes, long atMs) {
        ClassPrices price = price(site, storageClass);
        String copy = copyKey(key, site);
        if (price == null || storageClass.equals(heldClass.get(copy))) {
            return;
        }
        meter.placed(key, site, price, sizeBytes, atMs);
        heldClass.put(copy, storageClass);
    }

    /** The copy of {@code key} at {@code site} is {@code sizeBytes} long from now on, in the same class. */
    void resized(String key, String site, long sizeBytes, long atMs) {
        if (heldClass.containsKey(copyKey(key, site))) {
            meter.resized(key, site, sizeBytes, atMs);
        }
    }

    /** The copy of {@code key} at {@code site} is gone. */
    void removed(String key, String site, long atMs) {
        if (heldClass.remove(copyKey(key, site)) != null) {
            meter.removed(key, site, atMs);
        }
    }

    /**
     * A migration copied {@code key} from {@code source} into {@code storageClass} at {@code destination} (the same
     * site for a change of class in place).
     */
    void copied(String key, String source, String destination, String storageClass, long bytes, long atMs) {
        ClassPrices price = price(destination, storageClass);
        SiteOffer from = offers.get(source);
        SiteOffer to = offers.get(destination);
        moves++;
        if (price == null || from == null || to == null) {
            return;
        }
        meter.copied(key, from, to, price, bytes, atMs);
        heldClass.put(copyKey(key, destination), storageClass);
        if (!source.equals(destination)) {
            bytesMoved += bytes;
        }
    }

    /**
     * A request served by the copy in {@code storageClass} at {@code site}: a GET of {@code bytes} is priced (its
     * request, retrieval and egress); any other request (HEAD, PUT, DELETE: the owner's writes and lookups) is not, as
     * the baselines and the offline optimum price reads only and every row must be priced by the same rules.
     *
     * @param latencyMs how long it took; over {@code slaMs} a GET is an SLA miss
     */
    void served(String key, String site, String storageClass, String clientRegion, boolean get, long bytes,
            double latencyMs, double slaMs, long atMs) {
        if (!get) {
            return;
        }
        ClassPrices price = price(site, storageClass);
        if (price == null) {
            unplacedReads++;
            return;
        }
        meter.read(key, offers.get(site), price, clientRegion, bytes, atMs);
        getsByTier[price.tier().ordinal()]++;
        if (latencyMs > slaMs) {
            slaMisses++;
        }
    }

    /** A read of a dataset without a known copy. */
    void unplacedRead() {
        unplacedReads++;
    }

    void failedStep() {
        failedSteps++;
    }

    /** The costs up to {@code endMs}, copies still held charged up to then. */
    PolicyCosts finish(long endMs) {
        var cost = meter.finish(endMs);
        List<PolicyCosts.Sample> samples = meter.samples().stream()
                .map(s -> new PolicyCosts.Sample(s.atMs(), s.cumulative().total())).toList();
        Map<String, Long> gets = new TreeMap<>();
        for (Tier tier : Tier.values()) {
            if (getsByTier[tier.ordinal()] > 0) {
                gets.put(tier.name(), getsByTier[tier.ordinal()]);
            }
        }
        return new PolicyCosts(name, cost, Map.copyOf(gets), slaMisses, unplacedReads, moves, bytesMoved,
                failedSteps, samples);
    }

    /** The prices of {@code storageClass} at {@code site}, or null if the catalogue has neither. */
    ClassPrices price(String site, String storageClass) {
        Map<String, ClassPrices> classes = prices.get(site);
        return classes == null ? null : classes.get(storageClass);
    }

    private static String copyKey(String key, String site) {
        return key + '\u0000' + site;
    }
}
