package io.tierflow.streams.domain.placement;

/**
 * What the global pass decided for an estate: a site for every dataset that respects every capacity and the budget,
 * its total monthly cost, and a lower bound on the cost of any placement (the LP relaxation's optimum, or a value
 * just below it when the dual search stopped early).
 *
 * @param sites per dataset, the index of the site chosen for its primary
 * @param objectiveUsd total monthly cost of the placement
 * @param boundUsd lower bound: no placement within the capacities and budget costs less
 * @param provenOptimal whether the placement was shown to be the cheapest integral one (the search over datasets the
 *     bound could not settle finished)
 * @param sitePricesUsdPerGb per site, the Lagrange multiplier of its capacity (what a GB of room there is worth a
 *     month): zero where capacity does not bind
 * @param budgetPriceUsdPerGb the multiplier of the budget; zero without one or when it does not bind
 * @param dualIterations Lagrangian evaluations made by the dual search
 * @param undecidedDatasets datasets the bound could not settle at the end (those the exact search ran over when it ran)
 */
public record GlobalPlacement(int[] sites, double objectiveUsd, double boundUsd, boolean provenOptimal,
        double[] sitePricesUsdPerGb, double budgetPriceUsdPerGb, int dualIterations, int undecidedDatasets) {

    /** (objective − bound) / bound: how far above the LP lower bound the placement may be at most. */
    public double gap() {
        return gap(objectiveUsd, boundUsd);
    }

    static double gap(double objective, double bound) {
        if (objective <= bound) {
            return 0.0;
        }
        return bound > 0 ? (objective - bound) / bound : Double.POSITIVE_INFINITY;
    }

    /** GB on each site under this placement. */
    public double[] loadGb(EstateProblem problem) {
        double[] load = new double[problem.sites()];
        for (int i = 0; i < sites.length; i++) {
            load[sites[i]] += problem.sizeGb(i);
        }
        return load;
    }

    /** GB this placement moves that count against the budget. */
    public double budgetUseGb(EstateProblem problem) {
        double used = 0.0;
        for (int i = 0; i < sites.length; i++) {
            used += problem.budgetUseGb(i, sites[i]);
        }
        return used;
    }

    /** How many datasets change site. */
    public int moves(EstateProblem problem) {
        int moves = 0;
        for (int i = 0; i < sites.length; i++) {
            moves += sites[i] != problem.currentSite(i) ? 1 : 0;
        }
        return moves;
    }
}
