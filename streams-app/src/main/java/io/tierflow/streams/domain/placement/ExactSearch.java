package io.tierflow.streams.domain.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finishes a placement exactly when the bound leaves few datasets open. At prices λ every placement within the
 * capacities and budget costs at least the dual value plus, for each dataset, how much its priced cost exceeds its
 * cheapest priced site (reduced-cost fixing). So a dataset whose every other site exceeds by more than the gap
 * between the incumbent and the bound is at its cheapest priced site in every better placement; the search is a
 * depth-first branch and bound over the rest, pruned by that same bound and by the capacities and budget.
 */
final class ExactSearch {
    private final EstateProblem problem;
    private final GlobalPlacementSolver.Dual dual;
    private final double[] prices;
    private final double dualValue;
    private final int[] choice;
    private final double[] cheapestPriced;

    /** Outcome of a search: the best placement known (null if none fits) and whether the search finished. */
    record Outcome(int[] sites, double objective, boolean complete) {
    }

    ExactSearch(EstateProblem problem, GlobalPlacementSolver.Dual dual, double[] prices, double dualValue,
            int[] choice) {
        this.problem = problem;
        this.dual = dual;
        this.prices = prices;
        this.dualValue = dualValue;
        this.choice = choice;
        this.cheapestPriced = new double[problem.datasets()];
        for (int i = 0; i < cheapestPriced.length; i++) {
            cheapestPriced[i] = dual.pricedCost(i, choice[i], prices);
        }
    }

    private double slack(double incumbent) {
        return incumbent - dualValue + 1e-12 * Math.max(Math.abs(incumbent), 1.0);
    }

    /** The sites of dataset i that a placement cheaper than {@code incumbent} might use, cheapest priced first. */
    private int[] openSites(int i, double incumbent) {
        double slack = slack(incumbent);
        List<double[]> open = new ArrayList<>();
        for (int j = 0; j < problem.sites(); j++) {
            if (problem.feasible(i, j)) {
                double excess = dual.pricedCost(i, j, prices) - cheapestPriced[i];
                if (j == choice[i] || excess < slack) {
                    open.add(new double[] {excess, j});
                }
            }
        }
        open.sort((a, b) -> Double.compare(a[0], b[0]));
        int[] sites = new int[open.size()];
        for (int n = 0; n < sites.length; n++) {
            sites[n] = (int) open.get(n)[1];
        }
        return sites;
    }

    /** How many datasets have more than one site open below the incumbent's cost. */
    int undecided(double incumbent) {
        int count = 0;
        double slack = slack(incumbent);
        for (int i = 0; i < choice.length; i++) {
            for (int j = 0; j < problem.sites(); j++) {
                if (j != choice[i] && problem.feasible(i, j)
                        && dual.pricedCost(i, j, prices) - cheapestPriced[i] < slack) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    /** Searches for a placement cheaper than the incumbent (which may be null, objective infinite). */
    Outcome run(int[] incumbent, double incumbentObjective, long maxNodes) {
        int m = problem.sites();
        List<Integer> open = new ArrayList<>();
        double[] load = new double[m];
        double used = 0.0;
        double fixedCost = 0.0;
        for (int i = 0; i < choice.length; i++) {
            if (openSites(i, incumbentObjective).length > 1) {
                open.add(i);
            } else {
                load[choice[i]] += problem.sizeGb(i);
                used += problem.budgetUseGb(i, choice[i]);
                fixedCost += problem.cost(i, choice[i]);
            }
        }
        for (int j = 0; j < m; j++) {
            if (!Repair.fits(0.0, load[j], problem.capacityGb(j))) {
                // The settled datasets alone overflow a site: no placement beats the incumbent.
                return new Outcome(incumbent, incumbentObjective, true);
            }
        }
        if (!Repair.fits(0.0, used, problem.budgetGb())) {
            return new Outcome(incumbent, incumbentObjective, true);
        }
        open.sort((a, b) -> Double.compare(problem.sizeGb(b), problem.sizeGb(a)));
        Node node = new Node(open.stream().mapToInt(Integer::intValue).toArray(), incumbentObjective, maxNodes);
        for (int d = 0; d < node.open.length; d++) {
            node.candidates[d] = openSites(node.open[d], incumbentObjective);
        }
        node.dive(0, dualValue, fixedCost, load, used);
        if (node.best == null) {
            return new Outcome(incumbent, incumbentObjective, !node.stopped);
        }
        int[] sites = choice.clone();
        for (int d = 0; d < node.open.length; d++) {
            sites[node.open[d]] = node.best[d];
        }
        return new Outcome(sites, node.bestObjective, !node.stopped);
    }

    /** The depth-first search's state. */
    private final class Node {
        final int[] open;
        final int[][] candidates;
        final int[] path;
        final long maxNodes;
        int[] best;
        double bestObjective;
        long nodes;
        boolean stopped;

        Node(int[] open, double incumbentObjective, long maxNodes) {
            this.open = open;
            this.candidates = new int[open.length][];
            this.path = new int[open.length];
            this.bestObjective = incumbentObjective;
            this.maxNodes = maxNodes;
        }

        void dive(int depth, double bound, double cost, double[] load, double used) {
            if (stopped || bestObjective != Double.POSITIVE_INFINITY
                    && bound >= bestObjective - 1e-12 * Math.max(Math.abs(bestObjective), 1.0)) {
                return;
            }
            if (++nodes > maxNodes) {
                stopped = true;
                return;
            }
            if (depth == open.length) {
                if (cost < bestObjective) {
                    bestObjective = cost;
                    best = Arrays.copyOf(path, path.length);
                }
                return;
            }
            int i = open[depth];
            double s = problem.sizeGb(i);
            for (int j : candidates[depth]) {
                double budgetUse = problem.budgetUseGb(i, j);
                if (!Repair.fits(load[j], s, problem.capacityGb(j))
                        || !Repair.fits(used, budgetUse, problem.budgetGb())) {
                    continue;
                }
                path[depth] = j;
                load[j] += s;
                dive(depth + 1, bound + dual.pricedCost(i, j, prices) - cheapestPriced[i],
                        cost + problem.cost(i, j), load, used + budgetUse);
                load[j] -= s;
            }
        }
    }
}
