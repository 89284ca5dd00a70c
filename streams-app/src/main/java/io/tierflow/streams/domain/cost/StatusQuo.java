package io.tierflow.streams.domain.cost;

import io.tierflow.streams.domain.CostModel;
import io.tierflow.streams.domain.ReadRouting;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The live ledger's baseline: what the datasets would have cost had nothing moved. Each dataset stays hot where its
 * owner registered it (its inventory entry's primary site and class, and its replica sites), and is priced by the same
 * rules as the actual copies: storage on at least the class's minimum billable size, GETs and retrievals at the primary
 * copy's class, egress from the copy a client's read is routed to ({@link ReadRouting}) to the client's region.
 *
 * <p>Not "everything on the cheapest site meeting the SLA": the data was never there, and a baseline of where it could
 * have been puts no price on what the user pays today, so it cannot show what moving saved.
 */
public final class StatusQuo {
    /** How {@code /stats} and the docs name this baseline. */
    public static final String DESCRIPTION = "status quo: each dataset hot where it was registered";

    private StatusQuo() {
    }

    /**
     * The class a registered copy is priced in: the registered class when the site offers one of that name (the
     * primary's), else the site's hot class (replicas, and a primary whose class the catalogue does not list).
     *
     * @param registeredClass the class the inventory names for this copy, or null
     */
    public static Optional<SiteOffer.StorageClassOffer> classAt(SiteOffer site, String registeredClass) {
        if (registeredClass != null) {
            for (SiteOffer.StorageClassOffer offer : site.classes()) {
                if (offer.name().equals(registeredClass)) {
                    return Optional.of(offer);
                }
            }
        }
        return site.classFor(Tier.HOT);
    }

    /**
     * What storing one dataset as registered costs per month, on its size (as the census prices the actual copies):
     * each registered copy on a site of the catalogue, in its class ({@link #classAt}).
     */
    public static double storageUsdPerMonth(long sizeBytes, String primary, String registeredClass,
            List<String> replicas, Function<String, SiteOffer> sites) {
        double gb = sizeBytes / 1e9;
        double usd = monthlyAt(sites.apply(primary), registeredClass, gb);
        for (String replica : replicas) {
            if (!replica.equals(primary)) {
                usd += monthlyAt(sites.apply(replica), null, gb);
            }
        }
        return usd;
    }

    private static double monthlyAt(SiteOffer site, String registeredClass, double gb) {
        return site == null ? 0.0 : classAt(site, registeredClass).map(c -> gb * c.storagePerGbMonth()).orElse(0.0);
    }

    /**
     * The costs of {@code count} reads of {@code bytes} in all by clients in {@code clientRegion}, had the dataset
     * stayed where it was registered: requests and retrievals at the registered primary's class, egress from the
     * registered copy the reads would be routed to. Null when the registered primary is not a site of the catalogue
     * with such a class (nothing to price it by, as for the actual reads).
     */
    public static CostModel.ReadCost reads(String primary, String registeredClass, List<String> replicas,
            String clientRegion, long count, long bytes, Function<String, SiteOffer> sites) {
        SiteOffer primarySite = sites.apply(primary);
        Optional<SiteOffer.StorageClassOffer> primaryClass = primarySite == null ? Optional.empty()
                : classAt(primarySite, registeredClass);
        if (primaryClass.isEmpty()) {
            return null;
        }
        SiteOffer serving = ReadRouting.nearestSite(primary, replicas, clientRegion, sites);
        return CostModel.reads(serving != null ? serving : primarySite, primaryClass.get(), clientRegion, count, bytes);
    }
}
