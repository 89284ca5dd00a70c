package io.tierflow.streams.domain.placement;

import java.util.Arrays;
import java.util.List;

/**
 * The global placement problem of a whole estate: put each dataset's primary copy on one site, minimising the total
 * monthly cost, with the bytes on every site within its usable capacity and the bytes moved within a budget.
 *
 * <p>Sizes and capacities are held in GB (bytes / 1e9), so that the solver's prices per GB stay near the catalogue's
 * list prices. A move counts against the budget only when the dataset could have stayed: a dataset with no site yet
 * or whose current site is no longer feasible for it (down, too slow for its SLA, unencrypted) must move anyway, and
 * an evacuation is never held back by the budget.
 *
 * <p>A move is not free: copying the primary elsewhere and retiring the copy left behind cost once (requests,
 * transfer, early deletion), and, as the per-dataset decision does, a move is worth making only if what it saves over
 * the dataset's policy horizon exceeds that and, by the policy's hysteresis, the cost of staying. Both are linear in
 * the choice of site, so the objective stays one cost per dataset and site ({@link #cost}): the monthly cost there,
 * plus, when that is a move, its one-off cost spread over the horizon and the hysteresis share of the monthly cost of
 * staying. The solver and its LP bound so weigh moves alike, and a move whose saving does not pay for it loses to
 * staying.
 */
public final class EstateProblem {
    private final List<String> siteNames;
    private final double[] capacityGb;
    private final double budgetGb;
    private final String[] keys;
    private final double[] sizeGb;
    private final int[] current;
    private final double[] cost;
    /** Per dataset and site, the one-off cost of moving there; null when no dataset was given one. */
    private final double[] moveUsd;
    private final double[] horizonMonths;
    private final double[] hysteresis;

    private EstateProblem(List<String> siteNames, double[] capacityGb, double budgetGb, String[] keys,
            double[] sizeGb, int[] current, double[] cost, double[] moveUsd, double[] horizonMonths,
            double[] hysteresis) {
        this.siteNames = siteNames;
        this.capacityGb = capacityGb;
        this.budgetGb = budgetGb;
        this.keys = keys;
        this.sizeGb = sizeGb;
        this.current = current;
        this.cost = cost;
        this.moveUsd = moveUsd;
        this.horizonMonths = horizonMonths;
        this.hysteresis = hysteresis;
    }

    /**
     * Starts a problem over these sites.
     *
     * @param usableCapacityBytes per site, what may be placed there (capacity minus headroom)
     * @param budgetBytes the most bytes the pass may move, or {@code Long.MAX_VALUE} for no budget
     */
    public static Builder builder(List<String> siteNames, long[] usableCapacityBytes, long budgetBytes) {
        return new Builder(siteNames, usableCapacityBytes, budgetBytes);
    }

    /**
     * The same datasets and costs under other limits (sharing the arrays): usable capacities and budget in bytes as
     * for {@link #builder}.
     */
    public EstateProblem withLimits(long[] usableCapacityBytes, long budgetBytes) {
        Builder limits = new Builder(siteNames, usableCapacityBytes, budgetBytes);
        return new EstateProblem(siteNames, limits.capacityGb, limits.budgetGb, keys, sizeGb, current, cost,
                moveUsd, horizonMonths, hysteresis);
    }

    public int datasets() {
        return sizeGb.length;
    }

    public int sites() {
        return siteNames.size();
    }

    public String siteName(int site) {
        return siteNames.get(site);
    }

    public List<String> siteNames() {
        return siteNames;
    }

    public String key(int dataset) {
        return keys[dataset];
    }

    public double sizeGb(int dataset) {
        return sizeGb[dataset];
    }

    public double capacityGb(int site) {
        return capacityGb[site];
    }

    /** The most GB the pass may move; infinite when there is no budget. */
    public double budgetGb() {
        return budgetGb;
    }

    public boolean hasBudget() {
        return budgetGb != Double.POSITIVE_INFINITY;
    }

    /** The site holding the dataset's primary now, or -1. */
    public int currentSite(int dataset) {
        return current[dataset];
    }

    /**
     * What the objective counts for the dataset's primary on the site: its monthly cost there and, if that is a move,
     * the move's charge ({@link #moveChargeUsd}); infinite where it may not go.
     */
    public double cost(int dataset, int site) {
        return cost[dataset * siteNames.size() + site];
    }

    /** Monthly cost of the dataset's primary on the site, without the move's charge; infinite where it may not go. */
    public double monthlyCost(int dataset, int site) {
        return cost(dataset, site) - moveChargeUsd(dataset, site);
    }

    /** The one-off cost of moving the dataset's primary to the site: 0 where it is now. */
    public double moveUsd(int dataset, int site) {
        return moveUsd == null ? 0.0 : moveUsd[dataset * siteNames.size() + site];
    }

    /**
     * What the objective adds to the monthly cost for moving the dataset to the site: the move spread over the
     * dataset's horizon and the hysteresis share of the monthly cost of staying; 0 where it is now and where it may not
     * go.
     */
    public double moveChargeUsd(int dataset, int site) {
        if (moveUsd == null || site == current[dataset] || !feasible(dataset, site)) {
            return 0.0;
        }
        return charge(moveUsd(dataset, site), horizonMonths[dataset], hysteresis[dataset],
                movesCountAgainstBudget(dataset) ? cost(dataset, current[dataset]) : 0.0);
    }

    /** The move's charge: {@code moveUsd} over the horizon, and the hysteresis share of staying's monthly cost. */
    private static double charge(double moveUsd, double horizonMonths, double hysteresis, double stayingMonthlyUsd) {
        return moveUsd / horizonMonths + hysteresis * stayingMonthlyUsd;
    }

    public boolean feasible(int dataset, int site) {
        return cost(dataset, site) != Double.POSITIVE_INFINITY;
    }

    /** Whether moving this dataset anywhere else uses the budget: it has a site now and may stay there. */
    public boolean movesCountAgainstBudget(int dataset) {
        return current[dataset] >= 0 && feasible(dataset, current[dataset]);
    }

    /** GB counted against the budget if the dataset goes to the site. */
    public double budgetUseGb(int dataset, int site) {
        return site != current[dataset] && movesCountAgainstBudget(dataset) ? sizeGb[dataset] : 0.0;
    }

    /** A copy of where every dataset is now, if each has a site it may stay on and they fit; else null. */
    public int[] currentSitesIfTheyFit() {
        double[] load = new double[siteNames.size()];
        for (int i = 0; i < current.length; i++) {
            if (current[i] < 0 || !feasible(i, current[i])) {
                return null;
            }
            load[current[i]] += sizeGb[i];
        }
        for (int j = 0; j < load.length; j++) {
            if (!Repair.fits(0.0, load[j], capacityGb[j])) {
                return null;
            }
        }
        return current.clone();
    }

    /** The cost matrix, row per dataset; shared, not copied, for the solver's inner loops. */
    double[] costs() {
        return cost;
    }

    double[] sizes() {
        return sizeGb;
    }

    int[] currentSites() {
        return current;
    }

    /** Collects datasets one by one; checks each as it comes, so a bad one is named. */
    public static final class Builder {
        private final List<String> siteNames;
        private final double[] capacityGb;
        private final double budgetGb;
        private String[] keys = new String[1024];
        private double[] sizeGb = new double[1024];
        private int[] current = new int[1024];
        private double[] cost;
        /** Allocated at the first dataset whose moves cost something, as {@code cost} is. */
        private double[] moveUsd;
        private double[] horizonMonths;
        private double[] hysteresis;
        private int count;

        private Builder(List<String> siteNames, long[] usableCapacityBytes, long budgetBytes) {
            if (siteNames.isEmpty()) {
                throw new IllegalArgumentException("an estate needs at least one site");
            }
            if (siteNames.stream().distinct().count() != siteNames.size()) {
                throw new IllegalArgumentException("site names repeat: " + siteNames);
            }
            if (usableCapacityBytes.length != siteNames.size()) {
                throw new IllegalArgumentException(usableCapacityBytes.length + " capacities for "
                        + siteNames.size() + " sites");
            }
            this.siteNames = List.copyOf(siteNames);
            this.capacityGb = new double[siteNames.size()];
            for (int j = 0; j < capacityGb.length; j++) {
                if (usableCapacityBytes[j] < 0) {
                    throw new IllegalArgumentException("site " + siteNames.get(j) + " has a negative usable capacity");
                }
                capacityGb[j] = usableCapacityBytes[j] / 1e9;
            }
            if (budgetBytes < 0) {
                throw new IllegalArgumentException("the migration budget is negative: " + budgetBytes);
            }
            this.budgetGb = budgetBytes == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : budgetBytes / 1e9;
            this.cost = new double[1024 * siteNames.size()];
        }

        /**
         * Adds a dataset whose moves cost nothing once (or whose costs already spread them).
         *
         * @param currentSite index of the site holding its primary now, or -1
         * @param monthlyCost per site, the monthly cost of its primary there, or {@code Double.POSITIVE_INFINITY}
         *     where it may not go
         */
        public Builder add(String key, long sizeBytes, int currentSite, double[] monthlyCost) {
            return add(key, sizeBytes, currentSite, monthlyCost, null, 1.0, 0.0);
        }

        /**
         * Adds a dataset whose moves cost something once.
         *
         * @param currentSite index of the site holding its primary now, or -1
         * @param monthlyCost per site, the monthly cost of its primary there, or {@code Double.POSITIVE_INFINITY}
         *     where it may not go
         * @param moveUsd per site, the one-off cost of moving its primary there (ignored where it is now and where it
         *     may not go); null for none
         * @param horizonMonths the horizon over which a move must pay for itself (its policy's), in months, > 0
         * @param hysteresis the share (0 to below 1) of the monthly cost of staying a move must save on top
         */
        public Builder add(String key, long sizeBytes, int currentSite, double[] monthlyCost, double[] moveUsd,
                double horizonMonths, double hysteresis) {
            int m = siteNames.size();
            if (sizeBytes <= 0) {
                throw new IllegalArgumentException("dataset " + key + " has size " + sizeBytes + "; sizes are > 0");
            }
            if (currentSite < -1 || currentSite >= m) {
                throw new IllegalArgumentException("dataset " + key + " names site index " + currentSite);
            }
            if (monthlyCost.length != m || moveUsd != null && moveUsd.length != m) {
                throw new IllegalArgumentException("dataset " + key + " has " + monthlyCost.length + " costs and "
                        + (moveUsd == null ? 0 : moveUsd.length) + " move costs for " + m + " sites");
            }
            if (!(horizonMonths > 0) || horizonMonths == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("dataset " + key + " has horizon " + horizonMonths
                        + " months; horizons are finite and > 0");
            }
            if (!(hysteresis >= 0 && hysteresis < 1)) {
                throw new IllegalArgumentException("dataset " + key + " has hysteresis " + hysteresis
                        + "; it is in [0, 1)");
            }
            boolean anywhere = false;
            for (int j = 0; j < m; j++) {
                double c = monthlyCost[j];
                if (Double.isNaN(c) || c == Double.NEGATIVE_INFINITY) {
                    throw new IllegalArgumentException("dataset " + key + " has cost " + c + " at site "
                            + siteNames.get(j));
                }
                anywhere |= c != Double.POSITIVE_INFINITY;
                double move = moveUsd == null || j == currentSite || c == Double.POSITIVE_INFINITY ? 0.0 : moveUsd[j];
                if (!(move >= 0) || move == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("dataset " + key + " has move cost " + move + " to site "
                            + siteNames.get(j) + "; move costs are finite and >= 0");
                }
            }
            if (!anywhere) {
                throw new IllegalArgumentException("dataset " + key + " may go to no site");
            }
            if (count == sizeGb.length) {
                int grown = count * 2;
                keys = Arrays.copyOf(keys, grown);
                sizeGb = Arrays.copyOf(sizeGb, grown);
                current = Arrays.copyOf(current, grown);
                cost = Arrays.copyOf(cost, grown * m);
                if (this.moveUsd != null) {
                    growMoves(grown);
                }
            }
            boolean charged = moveUsd != null || hysteresis > 0;
            if (charged && this.moveUsd == null) {
                // The first dataset whose moves cost something: those before it cost nothing (a horizon of a month
                // and no hysteresis charge nothing either way).
                this.moveUsd = new double[0];
                this.horizonMonths = new double[0];
                this.hysteresis = new double[0];
                growMoves(sizeGb.length);
                Arrays.fill(this.horizonMonths, 0, count, 1.0);
            }
            keys[count] = key;
            sizeGb[count] = sizeBytes / 1e9;
            current[count] = currentSite;
            System.arraycopy(monthlyCost, 0, cost, count * m, m);
            if (this.moveUsd != null) {
                this.horizonMonths[count] = horizonMonths;
                this.hysteresis[count] = hysteresis;
                boolean mayStay = currentSite >= 0 && monthlyCost[currentSite] != Double.POSITIVE_INFINITY;
                double staying = mayStay ? monthlyCost[currentSite] : 0.0;
                for (int j = 0; j < m; j++) {
                    double move = moveUsd == null || j == currentSite || monthlyCost[j] == Double.POSITIVE_INFINITY
                            ? 0.0 : moveUsd[j];
                    this.moveUsd[count * m + j] = move;
                    if (j != currentSite && monthlyCost[j] != Double.POSITIVE_INFINITY) {
                        cost[count * m + j] += charge(move, horizonMonths, hysteresis, staying);
                    }
                }
            }
            count++;
            return this;
        }

        private void growMoves(int datasets) {
            moveUsd = Arrays.copyOf(moveUsd, datasets * siteNames.size());
            horizonMonths = Arrays.copyOf(horizonMonths, datasets);
            hysteresis = Arrays.copyOf(hysteresis, datasets);
        }

        public EstateProblem build() {
            int m = siteNames.size();
            boolean charged = moveUsd != null;
            return new EstateProblem(siteNames, capacityGb.clone(), budgetGb, Arrays.copyOf(keys, count),
                    Arrays.copyOf(sizeGb, count), Arrays.copyOf(current, count), Arrays.copyOf(cost, count * m),
                    charged ? Arrays.copyOf(moveUsd, count * m) : null,
                    charged ? Arrays.copyOf(horizonMonths, count) : null,
                    charged ? Arrays.copyOf(hysteresis, count) : null);
        }
    }
}
