package io.tierflow.streams.domain.placement;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Solves the global placement problem by Lagrangian relaxation of the capacities and the budget (ADR 18).
 *
 * <p>With one price per site (and one for the budget) the problem falls apart into one choice per dataset: the site
 * where cost + price × size (+ budget price × bytes moved) is least. Each such evaluation gives a lower bound on every
 * placement, and because each dataset's own choice is an assignment, the best of these bounds equals the LP
 * relaxation's optimum. The prices are searched by a cutting-plane method in a trust box (Kelley's, made stable by the
 * box), whose model is a tiny LP over the prices; one evaluation is one pass over the cost matrix, so the whole search
 * scales linearly in datasets (and runs on every core). At the best prices each dataset's choice is the LP's except
 * for the few the LP splits: the choices repaired to fit, datasets placed one by one, and staying put are the candidate
 * placements, the cheapest kept; when the bound leaves few datasets undecided an exact depth-first search over them
 * finishes the job.
 */
public final class GlobalPlacementSolver {
    private final Settings settings;

    /**
     * Limits of one solve.
     *
     * @param maxDualIterations Lagrangian evaluations at most
     * @param relativeTolerance the dual search stops when the model promises no more than this fraction of the bound
     * @param maxUndecidedForSearch the exact search runs only when the bound leaves at most this many datasets open
     * @param maxSearchNodes nodes of the exact search at most (it then keeps the best found, unproven)
     * @param targetGap no further candidate placement is tried once one is within this gap of the bound (the exact
     *     search still runs when it can)
     */
    public record Settings(int maxDualIterations, double relativeTolerance, int maxUndecidedForSearch,
            long maxSearchNodes, double targetGap) {
        public static final Settings DEFAULT = new Settings(400, 1e-9, 40, 2_000_000, 1e-4);

        public Settings {
            if (maxDualIterations < 1 || !(relativeTolerance > 0) || maxUndecidedForSearch < 0 || maxSearchNodes < 0
                    || !(targetGap >= 0)) {
                throw new IllegalArgumentException("invalid solver settings " + this);
            }
        }
    }

    public GlobalPlacementSolver() {
        this(Settings.DEFAULT);
    }

    public GlobalPlacementSolver(Settings settings) {
        this.settings = settings;
    }

    /**
     * Places every dataset.
     *
     * @throws InfeasibleEstateException when no placement fits the capacities (and budget), naming what does not fit
     */
    public GlobalPlacement solve(EstateProblem problem) {
        CapacityCheck.requireFits(problem);
        Dual dual = new Dual(problem);
        DualResult best = searchPrices(problem, dual);

        // Candidate placements, cheapest to make first; each is repaired to fit, the cheapest kept, and the rest
        // skipped once one is within the target gap of the bound.
        List<Supplier<int[]>> candidates = List.of(
                () -> best.choice.clone(),
                // Staying put, when the estate fits as it is; the repair's last passes improve on it.
                problem::currentSitesIfTheyFit,
                // At the best prices the datasets the LP splits are ties; a large one among them decides much, and
                // placing datasets one by one (by regret, or largest first) settles the large ones first.
                () -> RegretGreedy.byRegret(problem, dual, best.prices),
                () -> RegretGreedy.bySize(problem, dual, best.prices),
                () -> RegretGreedy.bySize(problem, dual, new double[dual.dimensions()]));
        int[] sites = null;
        double objective = Double.POSITIVE_INFINITY;
        for (Supplier<int[]> candidate : candidates) {
            if (GlobalPlacement.gap(objective, best.value) <= settings.targetGap()) {
                break;
            }
            int[] placement = candidate.get();
            if (placement != null && new Repair(problem, dual, best.prices, placement).run()) {
                double placementObjective = objectiveOf(problem, placement);
                if (placementObjective < objective) {
                    sites = placement;
                    objective = placementObjective;
                }
            }
        }
        boolean fits = sites != null;

        ExactSearch search = new ExactSearch(problem, dual, best.prices, best.value, best.choice);
        int undecided = search.undecided(objective);
        boolean proven = objective <= best.value;
        if (!proven && undecided <= settings.maxUndecidedForSearch()) {
            ExactSearch.Outcome outcome = search.run(fits ? sites : null, objective, settings.maxSearchNodes());
            if (outcome.sites() != null) {
                sites = outcome.sites();
                objective = outcome.objective();
            }
            proven = outcome.complete();
        }
        if (objective == Double.POSITIVE_INFINITY) {
            throw new InfeasibleEstateException("no placement found that fits every capacity"
                    + (problem.hasBudget() ? " and the migration budget of " + problem.budgetGb() + " GB" : "")
                    + (proven ? " (none exists)" : " (the greedy repair failed and the estate is too large to "
                    + "search exhaustively)"));
        }
        double[] prices = Arrays.copyOf(best.prices, problem.sites());
        double budgetPrice = problem.hasBudget() ? best.prices[problem.sites()] : 0.0;
        return new GlobalPlacement(sites, objective, best.value, proven, prices, budgetPrice, best.iterations,
                undecided);
    }

    /** Total monthly cost of a placement (infinite if a dataset sits where it may not). */
    public static double objectiveOf(EstateProblem problem, int[] sites) {
        double total = 0.0;
        for (int i = 0; i < sites.length; i++) {
            total += problem.cost(i, sites[i]);
        }
        return total;
    }

    /** The best prices found, the dual value there, and each dataset's choice at them. */
    record DualResult(double[] prices, double value, int[] choice, int iterations) {
    }

    private DualResult searchPrices(EstateProblem problem, Dual dual) {
        int k = dual.dimensions();
        double[] center = new double[k];
        double[] slope = new double[k];
        int[] choice = new int[problem.datasets()];
        double centerValue = dual.evaluate(center, choice, slope);
        int[] centerChoice = choice.clone();
        CuttingPlaneModel model = new CuttingPlaneModel(k);
        model.add(center, centerValue, slope);

        double[] radius = new double[k];
        Arrays.fill(radius, dual.typicalPricePerGb());
        double[] lo = new double[k];
        double[] hi = new double[k];
        int iterations = 1;
        int widenings = 0;
        while (iterations < settings.maxDualIterations() && widenings < 4 * settings.maxDualIterations()) {
            for (int j = 0; j < k; j++) {
                lo[j] = Math.max(0.0, center[j] - radius[j]);
                hi[j] = center[j] + radius[j];
            }
            CuttingPlaneModel.Top top = model.maximise(lo, hi);
            double promised = top.height() - centerValue;
            boolean atEdge = false;
            for (int j = 0; j < k; j++) {
                double edgeTolerance = 1e-9 * (hi[j] - lo[j]);
                boolean atUpper = top.x()[j] >= hi[j] - edgeTolerance;
                boolean atLower = lo[j] > 0 && top.x()[j] <= lo[j] + edgeTolerance;
                if (atUpper || atLower) {
                    atEdge = true;
                    radius[j] *= 2;
                }
            }
            if (promised <= settings.relativeTolerance() * Math.max(Math.abs(centerValue), 1e-9)) {
                if (!atEdge) {
                    // The model's top inside the box, away from its edges, is its top everywhere (it is concave),
                    // and the model lies above the dual: no prices do better than the centre by more than promised.
                    break;
                }
                widenings++;
                continue;
            }
            double value = dual.evaluate(top.x(), choice, slope);
            iterations++;
            model.add(top.x(), value, slope);
            if (value - centerValue >= 0.1 * promised) {
                center = top.x().clone();
                centerValue = value;
                System.arraycopy(choice, 0, centerChoice, 0, choice.length);
            }
            if (model.size() > 240) {
                model.keepNearest(center, 160);
            }
        }
        return new DualResult(center, centerValue, centerChoice, iterations);
    }

    /** The Lagrangian dual: for given prices, each dataset's cheapest priced site, and the bound that makes. */
    static final class Dual {
        private static final int CHUNK = 1 << 16;

        private final EstateProblem problem;
        private final int m;
        private final boolean budget;
        private final boolean[] countsAgainstBudget;

        Dual(EstateProblem problem) {
            this.problem = problem;
            this.m = problem.sites();
            this.budget = problem.hasBudget();
            this.countsAgainstBudget = new boolean[problem.datasets()];
            for (int i = 0; i < countsAgainstBudget.length; i++) {
                countsAgainstBudget[i] = problem.movesCountAgainstBudget(i);
            }
        }

        int dimensions() {
            return budget ? m + 1 : m;
        }

        /** A price per GB of the scale the costs have: their spread between sites, per GB, on average. */
        double typicalPricePerGb() {
            double[] cost = problem.costs();
            double[] size = problem.sizes();
            double spread = 0.0;
            double gb = 0.0;
            for (int i = 0; i < size.length; i++) {
                double low = Double.POSITIVE_INFINITY;
                double high = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    double c = cost[i * m + j];
                    if (c != Double.POSITIVE_INFINITY) {
                        low = Math.min(low, c);
                        high = Math.max(high, c);
                    }
                }
                spread += high - low;
                gb += size[i];
            }
            return Math.max(spread / Math.max(gb, 1e-12), 1e-6);
        }

        /**
         * Whether a site priced {@code priced} (at list price {@code raw}) beats one priced {@code otherPriced}: at
         * the best prices the sites the LP splits a dataset between tie up to rounding, and list price breaks the tie
         * (keeping a large dataset where it is cheap and moving small ones costs least).
         */
        static boolean cheaper(double priced, double raw, double otherPriced, double otherRaw) {
            double tolerance = 1e-9 * Math.max(Math.abs(priced), Math.abs(otherPriced));
            if (Math.abs(priced - otherPriced) <= tolerance) {
                return raw < otherRaw;
            }
            return priced < otherPriced;
        }

        /** Priced cost of the dataset at the site. */
        double pricedCost(int i, int j, double[] prices) {
            double c = problem.cost(i, j) + prices[j] * problem.sizeGb(i);
            if (budget && countsAgainstBudget[i] && j != problem.currentSite(i)) {
                c += prices[m] * problem.sizeGb(i);
            }
            return c;
        }

        /** The dual value at the prices; fills each dataset's choice and the dual's slope there. */
        double evaluate(double[] prices, int[] choice, double[] slope) {
            // Datasets in fixed chunks, on the common pool's threads, each chunk's sums added in chunk order: the
            // result does not depend on how many threads ran.
            int chunks = (problem.datasets() + CHUNK - 1) / CHUNK;
            List<double[]> partials = IntStream.range(0, chunks).parallel()
                    .mapToObj(c -> evaluateChunk(prices, choice, c * CHUNK, Math.min(problem.datasets(),
                            (c + 1) * CHUNK)))
                    .toList();
            double[] load = new double[m];
            double used = 0.0;
            double sum = 0.0;
            for (double[] partial : partials) {
                sum += partial[m];
                used += partial[m + 1];
                for (int j = 0; j < m; j++) {
                    load[j] += partial[j];
                }
            }
            for (int j = 0; j < m; j++) {
                sum -= prices[j] * problem.capacityGb(j);
                slope[j] = load[j] - problem.capacityGb(j);
            }
            if (budget) {
                sum -= prices[m] * problem.budgetGb();
                slope[m] = used - problem.budgetGb();
            }
            return sum;
        }

        /** Each dataset's choice in [from, to); returns the load per site, then the priced sum, then the GB moved. */
        private double[] evaluateChunk(double[] prices, int[] choice, int from, int to) {
            double[] cost = problem.costs();
            double[] size = problem.sizes();
            int[] current = problem.currentSites();
            double budgetPrice = budget ? prices[m] : 0.0;
            double[] partial = new double[m + 2];
            double used = 0.0;
            double sum = 0.0;
            for (int i = from; i < to; i++) {
                double s = size[i];
                int here = current[i];
                double moveCharge = budget && countsAgainstBudget[i] ? budgetPrice * s : 0.0;
                int row = i * m;
                int bestSite = -1;
                double best = Double.POSITIVE_INFINITY;
                double bestRaw = Double.POSITIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    double raw = cost[row + j];
                    if (raw == Double.POSITIVE_INFINITY) {
                        continue;
                    }
                    double priced = raw + prices[j] * s + (j == here ? 0.0 : moveCharge);
                    // Ties go to staying, then to the lower unpriced cost: the LP's choice is the same either way,
                    // and the repair has less to undo.
                    if (priced < best || priced == best && (j == here || bestSite != here && raw < bestRaw)) {
                        best = priced;
                        bestRaw = raw;
                        bestSite = j;
                    }
                }
                choice[i] = bestSite;
                sum += best;
                partial[bestSite] += s;
                if (countsAgainstBudget[i] && bestSite != here) {
                    used += s;
                }
            }
            partial[m] = sum;
            partial[m + 1] = used;
            return partial;
        }
    }
}
