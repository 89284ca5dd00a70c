package io.tierflow.cli.trace;

import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.streams.domain.CostModel;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which catalogue site an import puts its objects on: the one named, or else the baseline site (everything hot on
 * the cheapest site meeting the SLA: {@link CostModel#baselineSite}), where a user without tiering would keep them.
 */
public final class SiteChoice {
    private SiteChoice() {
    }

    /**
     * @param wanted the site asked for, or null for the baseline
     * @param slaMs the SLA the baseline must meet
     */
    public static TraceSite choose(List<Site> catalogue, String wanted, double slaMs) {
        if (catalogue.isEmpty()) {
            throw new IllegalArgumentException("the sites catalogue is empty: run tierflow init (or tierflow local) "
                    + "first");
        }
        List<String> names = catalogue.stream().map(Site::getName).sorted().toList();
        Site site;
        if (wanted != null) {
            site = catalogue.stream().filter(s -> s.getName().equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no site " + wanted + " in the catalogue (it has "
                            + String.join(", ", names) + ")"));
        } else {
            List<SiteOffer> offers = catalogue.stream().map(SiteChoice::offer).toList();
            String baseline = CostModel.baselineSite(offers, slaMs).map(SiteOffer::name)
                    .orElseThrow(() -> new IllegalArgumentException("no site meets the " + slaMs + " ms SLA with a "
                            + "hot class, so there is no baseline site: name one with --site (" + String.join(", ",
                            names) + ")"));
            site = catalogue.stream().filter(s -> s.getName().equals(baseline)).findFirst().orElseThrow();
        }
        String hotClass = hottestClass(site).map(StorageClassPrice::getName)
                .orElseThrow(() -> new IllegalArgumentException("site " + site.getName() + " has no storage class"));
        return new TraceSite(site.getName(), site.getRegion(), hotClass, site.getP95LatencyMs());
    }

    /** The class new data lands in: the cheapest of the hottest tier the site offers. */
    private static Optional<StorageClassPrice> hottestClass(Site site) {
        return site.getStorageClasses().stream()
                .min(Comparator.comparing((StorageClassPrice c) -> c.getTier().ordinal())
                        .thenComparingDouble(StorageClassPrice::getStoragePricePerGbMonth));
    }

    /** A catalogue site as the cost model sees it (the streams app's own mapping, StateMapper.site, is package-private). */
    public static SiteOffer offer(Site site) {
        List<SiteOffer.StorageClassOffer> classes = new ArrayList<>();
        for (StorageClassPrice price : site.getStorageClasses()) {
            classes.add(new SiteOffer.StorageClassOffer(price.getName(), Tier.valueOf(price.getTier().name()),
                    price.getStoragePricePerGbMonth(), price.getRetrievalPricePerGb(), price.getRequestPricePer1000(),
                    price.getPutPricePer1000(), price.getMinimumStorageDays(), price.getMinimumBillableBytes(),
                    price.getMonitoringPricePerObjectMonth()));
        }
        return new SiteOffer(site.getName(), site.getProvider().name(), site.getRegion(), site.getP95LatencyMs(),
                site.getEgressPricePerGb(), site.getEncrypted(), site.getUp(), site.getCapacityBytes(), classes);
    }
}
