package io.tierflow.streams;

import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.CostLedger;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.cost.StatusQuo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.TreeMap;

/**
 * Totals over the state one streams node holds — datasets and bytes per tier and site, what storing them costs per
 * month, active alerts, the cost ledger — so that gauges never need one series per dataset. Summed over all nodes
 * in Prometheus, they describe the whole deployment.
 */
final class StateCensus {
    static final String[] COST_KINDS = {"storage", "egress", "request", "retrieval"};

    /** Copies held at one site in one tier. */
    record Holding(long copies, long bytes) {
        Holding plus(long size) {
            return new Holding(copies + 1, bytes + size);
        }
    }

    private final Map<String, SiteOffer> sites;
    private final Function<String, SiteOffer> siteNamed;
    final long[] datasetsByTier = new long[Tier.values().length];
    final Map<String, Holding[]> holdings = new TreeMap<>();
    final Map<String, Double> storageUsdPerMonth = new TreeMap<>();
    double baselineStorageUsdPerMonth;
    long migrationsInFlight;
    final long[][] activeAlerts = new long[AlertType.values().length][AlertState.values().length];
    /** Cost-ledger totals keyed {@code <site>|<TIER>}, one value per {@link #COST_KINDS} entry. */
    final Map<String, double[]> costs = new TreeMap<>();
    final double[] baselineCosts = new double[COST_KINDS.length];

    /**
     * @param sites the site catalogue, for the price of each copy, actual and as registered (the status-quo baseline)
     */
    StateCensus(Map<String, SiteOffer> sites) {
        this.sites = sites;
        this.siteNamed = sites::get;
    }

    /** Counts a dataset in its decided tier, and each of its actual copies at its site. */
    void dataset(DatasetState state) {
        if (state.getInventory() == null || state.getTier() == null) {
            return; // only events seen so far, or not decided yet: nothing is stored on Tierflow's behalf
        }
        Tier tier = StateMapper.tier(state.getTier());
        long size = state.getInventory().getSizeBytes();
        double gb = size / 1e9;
        datasetsByTier[tier.ordinal()]++;
        if (state.getInFlight() != null) {
            migrationsInFlight++;
        }
        Dataset registered = state.getInventory();
        baselineStorageUsdPerMonth += StatusQuo.storageUsdPerMonth(size, registered.getPrimarySite(),
                registered.getStorageClass(), registered.getReplicaSites(), siteNamed);
        List<String> copies = new ArrayList<>();
        if (state.getPrimarySite() != null) {
            copies.add(state.getPrimarySite());
        }
        copies.addAll(state.getReplicaSites());
        for (int i = 0; i < copies.size(); i++) {
            String site = copies.get(i);
            Holding[] bySite = holdings.computeIfAbsent(site, s -> emptyHoldings());
            bySite[tier.ordinal()] = bySite[tier.ordinal()].plus(size);
            SiteOffer offer = sites.get(site);
            if (offer != null) {
                String storageClass = i == 0 && state.getPrimarySite() != null ? state.getStorageClass() : null;
                CostLedgerWriter.classAt(offer, storageClass, tier).ifPresent(c ->
                        storageUsdPerMonth.merge(site, gb * c.storagePerGbMonth(), Double::sum));
            }
        }
    }

    void alert(Alert alert) {
        if (alert.getState() != AlertState.RESOLVED) {
            activeAlerts[alert.getType().ordinal()][alert.getState().ordinal()]++;
        }
    }

    void ledger(CostLedger entry) {
        double[] values = entry.getBaseline() ? baselineCosts
                : costs.computeIfAbsent(entry.getSite() + "|" + entry.getTier().name(), k -> new double[COST_KINDS.length]);
        values[0] += entry.getStorageUsd();
        values[1] += entry.getEgressUsd();
        values[2] += entry.getRequestUsd();
        values[3] += entry.getRetrievalUsd();
    }

    private static Holding[] emptyHoldings() {
        Holding[] empty = new Holding[Tier.values().length];
        java.util.Arrays.fill(empty, new Holding(0, 0));
        return empty;
    }
}
