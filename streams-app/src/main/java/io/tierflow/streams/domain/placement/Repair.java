package io.tierflow.streams.domain.placement;

import java.util.Arrays;

/**
 * Makes the datasets' choices at the best prices fit, then spends what room is left. At the dual's optimum only the
 * datasets the LP splits make a site overflow, so the repair moves few: off each overflowing site, those whose next
 * site with room costs least more per GB freed; back home, while the budget is exceeded, those whose move saves least
 * per GB; then, cheapest first per GB saved, any dataset that a site with room holds for less; last ({@link Trades}),
 * the datasets that would save most on a full site get in by pushing out datasets that lose less than that elsewhere,
 * and those the budget holds back get moved by sending home moved datasets that save less.
 */
final class Repair {
    private final EstateProblem problem;
    private final GlobalPlacementSolver.Dual dual;
    private final double[] prices;
    private final Assignment assignment;
    private final int[] sites;
    private final double[] load;
    private final int m;

    /** Repairs {@code sites} (the choices at {@code prices}), weighing moves at those prices. */
    Repair(EstateProblem problem, GlobalPlacementSolver.Dual dual, double[] prices, int[] sites) {
        this.problem = problem;
        this.dual = dual;
        this.prices = prices;
        this.assignment = new Assignment(problem, sites);
        this.sites = assignment.sites;
        this.load = assignment.load;
        this.m = problem.sites();
    }

    /** Repairs in place; false if some site still overflows or the budget is still exceeded. */
    boolean run() {
        relieveOverflowingSites();
        keepWithinBudget();
        spendRoomLeft();
        Trades trades = new Trades(problem, assignment);
        trades.makeRoomWhereItPays();
        trades.spendBudgetWhereItPays();
        for (int j = 0; j < m; j++) {
            if (assignment.overflows(j)) {
                return false;
            }
        }
        return !assignment.overBudget();
    }

    /** Whether {@code more} on top of {@code now} stays within {@code limit}, give or take rounding. */
    static boolean fits(double now, double more, double limit) {
        return now + more <= limit * (1 + 1e-12) + 1e-12;
    }

    private void relieveOverflowingSites() {
        boolean[] relieved = new boolean[m];
        for (int round = 0; round < m; round++) {
            int worst = -1;
            double worstExcess = 0.0;
            for (int j = 0; j < m; j++) {
                double excess = load[j] - problem.capacityGb(j);
                if (!relieved[j] && assignment.overflows(j) && excess > worstExcess) {
                    worst = j;
                    worstExcess = excess;
                }
            }
            if (worst < 0) {
                return;
            }
            relieved[worst] = true;
            int site = worst;
            int[] order = orderBy(i -> {
                if (sites[i] != site) {
                    return Double.NaN;
                }
                double cheapestElsewhere = Double.POSITIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    if (j != site && problem.feasible(i, j)) {
                        cheapestElsewhere = Math.min(cheapestElsewhere, dual.pricedCost(i, j, prices));
                    }
                }
                return cheapestElsewhere == Double.POSITIVE_INFINITY ? Double.NaN
                        : (cheapestElsewhere - dual.pricedCost(i, site, prices)) / problem.sizeGb(i);
            });
            for (int i : order) {
                if (!assignment.overflows(site)) {
                    break;
                }
                int to = cheapestPricedWithRoom(i);
                if (to >= 0) {
                    assignment.move(i, to);
                }
            }
        }
    }

    private void keepWithinBudget() {
        if (!assignment.overBudget()) {
            return;
        }
        int[] order = orderBy(i -> problem.budgetUseGb(i, sites[i]) > 0
                ? (problem.cost(i, problem.currentSite(i)) - problem.cost(i, sites[i])) / problem.sizeGb(i)
                : Double.NaN);
        for (int i : order) {
            if (!assignment.overBudget()) {
                return;
            }
            int home = problem.currentSite(i);
            if (assignment.mayMove(i, home)) {
                assignment.move(i, home);
            }
        }
    }

    private void spendRoomLeft() {
        int[] order = orderBy(i -> {
            double cheapest = problem.cost(i, sites[i]);
            for (int j = 0; j < m; j++) {
                cheapest = Math.min(cheapest, problem.cost(i, j));
            }
            double saving = problem.cost(i, sites[i]) - cheapest;
            return saving > 0 ? -saving / problem.sizeGb(i) : Double.NaN;
        });
        for (int i : order) {
            int to = cheapestWithRoom(i, problem.cost(i, sites[i]));
            if (to >= 0) {
                assignment.move(i, to);
            }
        }
    }

    /** The other site the dataset may move to now that is cheapest at the prices (room elsewhere is worth them), or -1. */
    private int cheapestPricedWithRoom(int i) {
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            if (j != sites[i] && assignment.mayMove(i, j)) {
                double c = dual.pricedCost(i, j, prices);
                if (best < 0 || GlobalPlacementSolver.Dual.cheaper(c, problem.cost(i, j), bestCost,
                        problem.cost(i, best))) {
                    best = j;
                    bestCost = c;
                }
            }
        }
        return best;
    }

    /** The cheapest other site the dataset may move to now that costs less than {@code below}, or -1. */
    private int cheapestWithRoom(int i, double below) {
        int best = -1;
        double bestCost = below;
        for (int j = 0; j < m; j++) {
            double c = problem.cost(i, j);
            if (j != sites[i] && c < bestCost && assignment.mayMove(i, j)) {
                best = j;
                bestCost = c;
            }
        }
        return best;
    }

    interface Key {
        /** The dataset's sort key, or NaN to leave it out. */
        double of(int dataset);
    }

    /**
     * The datasets with a key, in ascending key order. Keys are packed as floats beside the index into one long
     * array: a primitive sort of a million entries, where boxing them would cost more than the dual search.
     */
    private int[] orderBy(Key key) {
        return orderBy(sites.length, key);
    }

    static int[] orderBy(int datasets, Key key) {
        long[] packed = new long[datasets];
        int count = 0;
        for (int i = 0; i < datasets; i++) {
            double k = key.of(i);
            if (!Double.isNaN(k)) {
                int bits = Float.floatToIntBits((float) k);
                bits ^= (bits >> 31) & 0x7fffffff; // negative floats' bits in ascending order, as signed ints
                packed[count++] = ((long) bits << 32) | (i & 0xffffffffL);
            }
        }
        Arrays.sort(packed, 0, count);
        int[] order = new int[count];
        for (int n = 0; n < count; n++) {
            order[n] = (int) packed[n];
        }
        return order;
    }
}
