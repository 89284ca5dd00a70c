package io.tierflow.bench;

import io.tierflow.localstack.LocalSiteCatalogue;
import io.tierflow.localstack.SiteEndpoint;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.streams.domain.PlacementRequest;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.placement.EstateCosts;
import io.tierflow.streams.domain.placement.EstateProblem;
import io.tierflow.streams.domain.placement.GlobalPlacement;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A generated estate for the placement benchmark: the local stack's four sites at their catalogue list prices, and
 * datasets with log-normal sizes (median 66 MB, a long tail to terabytes), a tier mix, reads from three regions and a
 * current site.
 */
record PlacementEstate(List<SiteOffer> sites, List<PlacementRequest> requests) {
    private static final List<String> SITES = List.of("aws", "azure", "gcp", "onprem");
    private static final List<String> REGIONS = List.of("us-east", "eu-west", "us-central");

    static PlacementEstate generate(int datasets, long seed) {
        List<SiteOffer> sites = new ArrayList<>();
        for (String name : SITES) {
            // Capacity is the global problem's constraint here, not a per-object limit: the catalogue's 50 GiB on
            // premises would otherwise refuse the tail's large datasets outright.
            sites.add(offer(LocalSiteCatalogue.site(new SiteEndpoint(name, URI.create("http://127.0.0.1:9"),
                    "bench"))));
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<PlacementRequest> requests = new ArrayList<>(datasets);
        for (int i = 0; i < datasets; i++) {
            long size = Math.max(1L, (long) Math.exp(18 + 2.0 * random.nextGaussian()));
            double draw = random.nextDouble();
            Tier tier = draw < 0.15 ? Tier.HOT : draw < 0.5 ? Tier.WARM : Tier.COLD;
            double readShare = (tier == Tier.HOT ? 3.0 : tier == Tier.WARM ? 0.3 : 0.03)
                    * Math.exp(random.nextGaussian() * 1.5 - 1);
            double readsGb = size / 1e9 * readShare;
            String region = REGIONS.get(random.nextInt(REGIONS.size()));
            String elsewhere = REGIONS.get(random.nextInt(REGIONS.size()));
            Map<String, Double> reads = region.equals(elsewhere) ? Map.of(region, readsGb)
                    : Map.of(region, readsGb * 0.8, elsewhere, readsGb * 0.2);
            double requestsPerMonth = Math.ceil(readShare * 4);
            boolean encryptedOnly = random.nextDouble() < 0.1;
            String current = encryptedOnly ? SITES.get(random.nextInt(2)) : SITES.get(random.nextInt(SITES.size()));
            requests.add(new PlacementRequest("datasets/d" + i, size, tier, 1, 50.0, encryptedOnly, 6.0, current,
                    Set.of(current), reads, requestsPerMonth));
        }
        return new PlacementEstate(List.copyOf(sites), requests);
    }

    /**
     * The global problem: every dataset priced at every site; the two sites most datasets would pick given 75 % and
     * 85 % of what they would take (so both bind), the others room for everything; a budget covering what the full
     * sites force out plus {@code budgetShare} of what the unconstrained choice would move (none if negative).
     */
    EstateProblem problem(double budgetShare) {
        EstateCosts costs = new EstateCosts(sites);
        long[] unlimited = new long[sites.size()];
        java.util.Arrays.fill(unlimited, Long.MAX_VALUE / sites.size());
        EstateProblem.Builder builder = EstateProblem.builder(costs.siteNames(), unlimited, Long.MAX_VALUE);
        for (PlacementRequest request : requests) {
            costs.add(builder, request);
        }
        EstateProblem open = builder.build();
        int m = open.sites();
        double[] wanted = new double[m];
        double[] now = new double[m];
        double wouldMove = 0;
        double total = 0;
        for (int i = 0; i < open.datasets(); i++) {
            int cheapest = 0;
            for (int j = 1; j < m; j++) {
                cheapest = open.cost(i, j) < open.cost(i, cheapest) ? j : cheapest;
            }
            wanted[cheapest] += open.sizeGb(i);
            if (open.currentSite(i) >= 0) {
                now[open.currentSite(i)] += open.sizeGb(i);
            }
            wouldMove += open.budgetUseGb(i, cheapest);
            total += open.sizeGb(i);
        }
        int first = 0;
        for (int j = 1; j < m; j++) {
            first = wanted[j] > wanted[first] ? j : first;
        }
        int second = first == 0 ? 1 : 0;
        for (int j = 0; j < m; j++) {
            second = j != first && wanted[j] > wanted[second] ? j : second;
        }
        long[] capacity = new long[m];
        double forcedOut = 0;
        for (int j = 0; j < m; j++) {
            double gb = j == first ? 0.75 * wanted[j] : j == second ? 0.85 * wanted[j] : wanted[j] + total;
            capacity[j] = (long) (gb * 1e9);
            forcedOut += Math.max(0, now[j] - gb);
        }
        long budget = budgetShare < 0 ? Long.MAX_VALUE : (long) ((1.2 * forcedOut + budgetShare * wouldMove) * 1e9);
        return open.withLimits(capacity, budget);
    }

    /** What in the placement breaks a limit, or "" when it fits. */
    static String violations(EstateProblem problem, GlobalPlacement placement) {
        StringBuilder problems = new StringBuilder();
        double[] load = placement.loadGb(problem);
        for (int j = 0; j < problem.sites(); j++) {
            if (load[j] > problem.capacityGb(j) * (1 + 1e-9)) {
                problems.append(String.format(Locale.ROOT, "%s holds %.3f GB of %.3f; ", problem.siteName(j),
                        load[j], problem.capacityGb(j)));
            }
        }
        if (placement.budgetUseGb(problem) > problem.budgetGb() * (1 + 1e-9)) {
            problems.append(String.format(Locale.ROOT, "moves %.3f GB against a budget of %.3f; ",
                    placement.budgetUseGb(problem), problem.budgetGb()));
        }
        for (int i = 0; i < problem.datasets(); i++) {
            if (!problem.feasible(i, placement.sites()[i])) {
                problems.append(problem.key(i)).append(" is on a site it may not use; ");
                break;
            }
        }
        return problems.toString();
    }

    private static SiteOffer offer(Site site) {
        List<SiteOffer.StorageClassOffer> classes = new ArrayList<>();
        for (StorageClassPrice price : site.getStorageClasses()) {
            classes.add(new SiteOffer.StorageClassOffer(price.getName(), Tier.valueOf(price.getTier().name()),
                    price.getStoragePricePerGbMonth(), price.getRetrievalPricePerGb(), price.getRequestPricePer1000(),
                    price.getPutPricePer1000(), price.getMinimumStorageDays(), price.getMinimumBillableBytes(),
                    price.getMonitoringPricePerObjectMonth()));
        }
        return new SiteOffer(site.getName(), site.getProvider().name(), site.getRegion(), site.getP95LatencyMs(),
                site.getEgressPricePerGb(), site.getEncrypted(), site.getUp(), Long.MAX_VALUE, classes);
    }
}
