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
 */
public final class EstateProblem {
    private final List<String> siteNames;
    private final double[] capacityGb;
    private final double budgetGb;
    private final String[] keys;
    private final double[] sizeGb;
    private final int[] current;
    private final double[] cost;

    private EstateProblem(List<String> siteNames, double[] capacityGb, double budgetGb, String[] keys,
            double[] sizeGb, int[] current, double[] cost) {
        this.siteNames = siteNames;
        this.capacityGb = capacityGb;
        this.budgetGb = budgetGb;
        this.keys = keys;
        this.sizeGb = sizeGb;
        this.current = current;
        this.cost = cost;
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
        return new EstateProblem(siteNames, limits.capacityGb, limits.budgetGb, keys, sizeGb, current, cost);
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

    /** Monthly cost of the dataset's primary on the site, move included; infinite where it may not go. */
    public double cost(int dataset, int site) {
        return cost[dataset * siteNames.size() + site];
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
         * Adds a dataset.
         *
         * @param currentSite index of the site holding its primary now, or -1
         * @param monthlyCost per site, the monthly cost of its primary there (move included), or
         *     {@code Double.POSITIVE_INFINITY} where it may not go
         */
        public Builder add(String key, long sizeBytes, int currentSite, double[] monthlyCost) {
            int m = siteNames.size();
            if (sizeBytes <= 0) {
                throw new IllegalArgumentException("dataset " + key + " has size " + sizeBytes + "; sizes are > 0");
            }
            if (currentSite < -1 || currentSite >= m) {
                throw new IllegalArgumentException("dataset " + key + " names site index " + currentSite);
            }
            if (monthlyCost.length != m) {
                throw new IllegalArgumentException("dataset " + key + " has " + monthlyCost.length + " costs for "
                        + m + " sites");
            }
            boolean anywhere = false;
            for (int j = 0; j < m; j++) {
                double c = monthlyCost[j];
                if (Double.isNaN(c) || c == Double.NEGATIVE_INFINITY) {
                    throw new IllegalArgumentException("dataset " + key + " has cost " + c + " at site "
                            + siteNames.get(j));
                }
                anywhere |= c != Double.POSITIVE_INFINITY;
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
            }
            keys[count] = key;
            sizeGb[count] = sizeBytes / 1e9;
            current[count] = currentSite;
            System.arraycopy(monthlyCost, 0, cost, count * m, m);
            count++;
            return this;
        }

        public EstateProblem build() {
            int m = siteNames.size();
            return new EstateProblem(siteNames, capacityGb.clone(), budgetGb, Arrays.copyOf(keys, count),
                    Arrays.copyOf(sizeGb, count), Arrays.copyOf(current, count), Arrays.copyOf(cost, count * m));
        }
    }
}
