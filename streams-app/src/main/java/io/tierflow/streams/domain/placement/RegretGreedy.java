package io.tierflow.streams.domain.placement;

/**
 * The other way to a placement from the best prices: datasets one by one, each to its cheapest priced site that still
 * has room and budget (if none has, to its cheapest, for the repair to make room), in one of two orders. By regret (how much more the second-best site costs than the best, at
 * the prices), the datasets with most to lose choose first and the near-ties the LP splits take the room left; by
 * size, largest first, as in bin packing, so a dataset large against a site's capacity is not left without room by
 * many small ones. The solver keeps the cheapest of these and the repaired choices.
 */
final class RegretGreedy {
    private RegretGreedy() {
    }

    /** Placed by regret, largest first: a placement for the repair to finish. */
    static int[] byRegret(EstateProblem problem, GlobalPlacementSolver.Dual dual, double[] prices) {
        int n = problem.datasets();
        int m = problem.sites();
        return assign(problem, dual, prices, Repair.orderBy(n, i -> {
            double first = Double.POSITIVE_INFINITY;
            double second = Double.POSITIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                if (problem.feasible(i, j)) {
                    double c = dual.pricedCost(i, j, prices);
                    if (c < first) {
                        second = first;
                        first = c;
                    } else if (c < second) {
                        second = c;
                    }
                }
            }
            return second == Double.POSITIVE_INFINITY ? Double.NEGATIVE_INFINITY : -(second - first);
        }));
    }

    /**
     * Placed largest first, each where it is cheapest at {@code prices} (all zero: at list price) among the sites
     * with room: a placement for the repair to finish.
     */
    static int[] bySize(EstateProblem problem, GlobalPlacementSolver.Dual dual, double[] prices) {
        return assign(problem, dual, prices, Repair.orderBy(problem.datasets(), i -> -problem.sizeGb(i)));
    }

    private static int[] assign(EstateProblem problem, GlobalPlacementSolver.Dual dual, double[] prices,
            int[] order) {
        int n = problem.datasets();
        int m = problem.sites();
        int[] sites = new int[n];
        double[] load = new double[m];
        double used = 0.0;
        for (int i : order) {
            double s = problem.sizeGb(i);
            int best = -1;
            double bestCost = Double.POSITIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                if (problem.feasible(i, j) && Repair.fits(load[j], s, problem.capacityGb(j))
                        && Repair.fits(used, problem.budgetUseGb(i, j), problem.budgetGb())) {
                    double c = dual.pricedCost(i, j, prices);
                    if (best < 0 || GlobalPlacementSolver.Dual.cheaper(c, problem.cost(i, j), bestCost,
                            problem.cost(i, best))) {
                        best = j;
                        bestCost = c;
                    }
                }
            }
            if (best < 0) {
                // No room left for it: it goes where it is cheapest anyway, and the repair makes room.
                for (int j = 0; j < m; j++) {
                    if (problem.feasible(i, j) && (best < 0 || GlobalPlacementSolver.Dual.cheaper(
                            dual.pricedCost(i, j, prices), problem.cost(i, j), bestCost, problem.cost(i, best)))) {
                        best = j;
                        bestCost = dual.pricedCost(i, j, prices);
                    }
                }
            }
            sites[i] = best;
            load[best] += s;
            used += problem.budgetUseGb(i, best);
        }
        return sites;
    }
}
