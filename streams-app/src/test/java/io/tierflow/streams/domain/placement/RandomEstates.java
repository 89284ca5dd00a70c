package io.tierflow.streams.domain.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random estates for the solver's tests: log-normal sizes, per-site prices per GB-month and egress of the catalogue's
 * order, some sites forbidden per dataset, the two sites most datasets would pick made too small for them (so at least
 * two capacities bind; one of two sites), a current placement that fits (so staying put is always possible and any budget can be
 * met), and moves that cost something once (so the solver weighs each against staying).
 */
final class RandomEstates {
    private RandomEstates() {
    }

    /**
     * Every dataset's moves priced once.
     *
     * @param budgetShare the budget as a share of the bytes the unconstrained choice would move; negative for none
     */
    static EstateProblem estate(long seed, int datasets, int sites, double budgetShare) {
        return estate(seed, datasets, sites, budgetShare, 1.0);
    }

    /**
     * @param budgetShare the budget as a share of the bytes the unconstrained choice would move; negative for none
     * @param pricedMoves the share of datasets whose moves cost something once (the others' moves are free but for
     *     their transfer spread over six months, as the per-dataset decision's scores have it)
     */
    static EstateProblem estate(long seed, int datasets, int sites, double budgetShare, double pricedMoves) {
        SplittableRandom random = new SplittableRandom(seed);
        int m = sites;
        double[] storagePerGb = new double[m];
        double[] egressPerGb = new double[m];
        for (int j = 0; j < m; j++) {
            storagePerGb[j] = 0.004 + random.nextDouble() * 0.02;
            egressPerGb[j] = random.nextDouble() * 0.12;
        }
        long[] size = new long[datasets];
        double[][] base = new double[datasets][m];
        int[] cheapest = new int[datasets];
        for (int i = 0; i < datasets; i++) {
            size[i] = Math.max(1, (long) Math.exp(18 + 2.0 * random.nextGaussian())); // median ~66 MB
            double gb = size[i] / 1e9;
            double readsGb = gb * Math.exp(random.nextGaussian() * 1.5 - 1);
            int home = random.nextInt(m); // the region most reads come from
            boolean any = false;
            for (int j = 0; j < m; j++) {
                boolean allowed = random.nextDouble() < 0.85;
                base[i][j] = allowed ? gb * storagePerGb[j] + (j == home ? 0.0 : readsGb * egressPerGb[j])
                        + random.nextDouble() * 1e-4 : Double.POSITIVE_INFINITY;
                any |= allowed;
            }
            if (!any) {
                int j = random.nextInt(m);
                base[i][j] = gb * storagePerGb[j];
            }
            cheapest[i] = argmin(base[i]);
        }
        double[] unconstrained = new double[m];
        double total = 0;
        for (int i = 0; i < datasets; i++) {
            unconstrained[cheapest[i]] += size[i];
            total += size[i];
        }
        // The two most chosen sites (one of two) get 60-85 % of what they would take; the others room for everything.
        int first = 0;
        for (int j = 1; j < m; j++) {
            first = unconstrained[j] > unconstrained[first] ? j : first;
        }
        int second = first == 0 ? Math.min(1, m - 1) : 0;
        for (int j = 0; j < m; j++) {
            second = j != first && unconstrained[j] > unconstrained[second] ? j : second;
        }
        long[] capacity = new long[m];
        for (int j = 0; j < m; j++) {
            boolean tight = j == first || m > 2 && j == second;
            capacity[j] = tight ? (long) (unconstrained[j] * (0.6 + 0.25 * random.nextDouble()))
                    : (long) (unconstrained[j] + total);
        }
        // Where each dataset is now: a random allowed site with room, else any allowed site with room.
        int[] current = new int[datasets];
        long[] load = new long[m];
        for (int i = 0; i < datasets; i++) {
            int pick = -1;
            for (int attempt = 0; attempt < 3 * m && pick < 0; attempt++) {
                int j = random.nextInt(m);
                if (base[i][j] != Double.POSITIVE_INFINITY && load[j] + size[i] <= capacity[j]) {
                    pick = j;
                }
            }
            for (int j = 0; j < m && pick < 0; j++) {
                if (base[i][j] != Double.POSITIVE_INFINITY && load[j] + size[i] <= capacity[j]) {
                    pick = j;
                }
            }
            if (pick < 0) {
                // Only tight sites allowed and full: give the site enough room, it stays the tightest.
                pick = cheapest[i];
                capacity[pick] = load[pick] + size[i];
            }
            current[i] = pick;
            load[pick] += size[i];
        }
        long budget = Long.MAX_VALUE;
        if (budgetShare >= 0) {
            long wouldMove = 0;
            for (int i = 0; i < datasets; i++) {
                wouldMove += cheapest[i] != current[i] ? size[i] : 0;
            }
            budget = (long) (wouldMove * budgetShare);
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            names.add("site" + j);
        }
        // A move costs once: the target's PUT, the source's retrieval and its egress; it must pay within a horizon of
        // one to six months, by a hysteresis of up to a quarter of what staying costs.
        double[] putUsd = new double[m];
        double[] retrievalPerGb = new double[m];
        for (int j = 0; j < m; j++) {
            putUsd[j] = random.nextDouble() * 2e-5;
            retrievalPerGb[j] = random.nextDouble() * 0.03;
        }
        EstateProblem.Builder builder = EstateProblem.builder(names, capacity, budget);
        for (int i = 0; i < datasets; i++) {
            double gb = size[i] / 1e9;
            double[] move = new double[m];
            for (int j = 0; j < m; j++) {
                move[j] = putUsd[j] + gb * (retrievalPerGb[current[i]] + egressPerGb[current[i]]);
            }
            if (pricedMoves >= 1 || random.nextDouble() < pricedMoves) {
                builder.add("d" + i, size[i], current[i], base[i], move, 1 + 5 * random.nextDouble(),
                        0.25 * random.nextDouble());
            } else {
                double[] cost = base[i].clone();
                for (int j = 0; j < m; j++) {
                    if (j != current[i] && cost[j] != Double.POSITIVE_INFINITY) {
                        cost[j] += gb * egressPerGb[current[i]] / 6.0;
                    }
                }
                builder.add("d" + i, size[i], current[i], cost);
            }
        }
        return builder.build();
    }

    private static int argmin(double[] values) {
        int best = 0;
        for (int j = 1; j < values.length; j++) {
            best = values[j] < values[best] ? j : best;
        }
        return best;
    }
}
