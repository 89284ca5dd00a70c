package io.tierflow.streams.domain.placement;

import static io.tierflow.streams.domain.placement.Repair.fits;

import java.util.PriorityQueue;

/**
 * The repair's last passes: trades of one move for several others. The greedy passes before them take one dataset at
 * a time, in order of cost per GB, so they cannot see that one large move is worth more than several small ones it
 * displaces (from a full site, or from the budget). Each trade is planned on copies and made only if it pays.
 */
final class Trades {
    /** Datasets considered for a trade, most saving first; the rest save too little to matter. */
    private static final int CANDIDATES = 4_000;
    /** Datasets looked at to make room (on a site, or in the budget) for one candidate. */
    private static final int EVICTIONS = 400;

    private final EstateProblem problem;
    private final Assignment assignment;
    private final int[] sites;
    private final double[] load;
    private final int m;

    Trades(EstateProblem problem, Assignment assignment) {
        this.problem = problem;
        this.assignment = assignment;
        this.sites = assignment.sites;
        this.load = assignment.load;
        this.m = problem.sites();
    }

    /**
     * A dataset that would cost less on a site without room for it moves there if pushing out enough datasets (each
     * to its cheapest other site with room) costs less than it saves. At the best prices the split datasets are the
     * ones a large dataset displaces, and the greedy passes cannot see a trade of one large for several small.
     */
    void makeRoomWhereItPays() {
        int[] candidates = mostSaving(CANDIDATES);
        int[][] evictionOrder = new int[m][];
        for (int i : candidates) {
            for (int target = 0; target < m; target++) {
                double saving = problem.cost(i, sites[i]) - problem.cost(i, target);
                if (target == sites[i] || !(saving > 0) || assignment.mayMove(i, target)) {
                    continue; // a site with room took it already if it could (spendRoomLeft)
                }
                if (evictionOrder[target] == null) {
                    int full = target;
                    evictionOrder[target] = Repair.orderBy(sites.length, k -> sites[k] == full
                            ? (cheapestElsewhere(k, full) - problem.cost(k, full)) / problem.sizeGb(k) : Double.NaN);
                }
                if (tryMakeRoom(i, target, saving, evictionOrder[target])) {
                    break;
                }
            }
        }
    }

    /**
     * A dataset the budget holds back from a cheaper site with room moves if sending home enough of the moved datasets
     * (those saving least per GB first) gives up less than it saves: the greedy passes fill the budget in order of
     * saving per GB, which can leave out one large move worth more than several small ones.
     */
    void spendBudgetWhereItPays() {
        if (!problem.hasBudget()) {
            return;
        }
        int[] revertOrder = null;
        for (int i : mostSaving(CANDIDATES)) {
            for (int target = 0; target < m; target++) {
                double saving = problem.cost(i, sites[i]) - problem.cost(i, target);
                double budgetChange = problem.budgetUseGb(i, target) - problem.budgetUseGb(i, sites[i]);
                if (target == sites[i] || !(saving > 0) || budgetChange <= 0 || assignment.mayMove(i, target)
                        || !fits(load[target], problem.sizeGb(i), problem.capacityGb(target))) {
                    continue; // only moves the budget alone holds back
                }
                if (revertOrder == null) {
                    revertOrder = Repair.orderBy(sites.length, k -> problem.budgetUseGb(k, sites[k]) > 0
                            ? (problem.cost(k, problem.currentSite(k)) - problem.cost(k, sites[k]))
                                    / problem.sizeGb(k) : Double.NaN);
                }
                if (trySendHome(i, target, saving, budgetChange, revertOrder)) {
                    break;
                }
            }
        }
    }

    /** Up to {@code limit} datasets that would save most on another site, most first (a bounded heap, not a sort). */
    private int[] mostSaving(int limit) {
        PriorityQueue<long[]> heap = new PriorityQueue<>(limit + 1,
                (a, b) -> Double.compare(Double.longBitsToDouble(a[0]), Double.longBitsToDouble(b[0])));
        for (int i = 0; i < sites.length; i++) {
            double saving = 0.0;
            for (int j = 0; j < m; j++) {
                saving = Math.max(saving, problem.cost(i, sites[i]) - problem.cost(i, j));
            }
            if (saving > 0 && (heap.size() < limit || saving > Double.longBitsToDouble(heap.peek()[0]))) {
                heap.add(new long[] {Double.doubleToLongBits(saving), i});
                if (heap.size() > limit) {
                    heap.poll();
                }
            }
        }
        int[] most = new int[heap.size()];
        for (int n = most.length - 1; n >= 0; n--) {
            most[n] = (int) heap.poll()[1];
        }
        return most;
    }

    private double cheapestElsewhere(int k, int site) {
        double cheapest = Double.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            if (j != site) {
                cheapest = Math.min(cheapest, problem.cost(k, j));
            }
        }
        return cheapest;
    }

    private boolean trySendHome(int i, int target, double saving, double budgetChange, int[] revertOrder) {
        double[] plannedLoad = load.clone();
        plannedLoad[sites[i]] -= problem.sizeGb(i);
        plannedLoad[target] += problem.sizeGb(i);
        double plannedUse = assignment.used() + budgetChange;
        int[] reverted = new int[EVICTIONS];
        int count = 0;
        double lost = 0.0;
        int looked = 0;
        for (int k : revertOrder) {
            if (fits(0.0, plannedUse, problem.budgetGb()) || looked++ >= EVICTIONS || lost >= saving) {
                break;
            }
            int home = problem.currentSite(k);
            double size = problem.sizeGb(k);
            if (k == i || problem.budgetUseGb(k, sites[k]) <= 0
                    || !fits(plannedLoad[home], size, problem.capacityGb(home))) {
                continue;
            }
            reverted[count++] = k;
            lost += problem.cost(k, home) - problem.cost(k, sites[k]);
            plannedLoad[sites[k]] -= size;
            plannedLoad[home] += size;
            plannedUse -= size;
        }
        boolean pays = lost < saving - 1e-12 * Math.abs(saving) && fits(0.0, plannedUse, problem.budgetGb());
        for (int j = 0; j < m && pays; j++) {
            pays = plannedLoad[j] <= load[j] || fits(0.0, plannedLoad[j], problem.capacityGb(j));
        }
        if (!pays) {
            return false;
        }
        for (int e = 0; e < count; e++) {
            assignment.move(reverted[e], problem.currentSite(reverted[e]));
        }
        assignment.move(i, target);
        return true;
    }

    private boolean tryMakeRoom(int i, int target, double saving, int[] evictionOrder) {
        double s = problem.sizeGb(i);
        double[] plannedLoad = load.clone();
        double used = assignment.used();
        double plannedUse = used + problem.budgetUseGb(i, target) - problem.budgetUseGb(i, sites[i]);
        int[] evicted = new int[EVICTIONS];
        int[] destination = new int[EVICTIONS];
        int count = 0;
        double extraCost = 0.0;
        int looked = 0;
        for (int k : evictionOrder) {
            if (fits(plannedLoad[target], s, problem.capacityGb(target)) || looked++ >= EVICTIONS
                    || extraCost >= saving) {
                break;
            }
            if (k == i || sites[k] != target) {
                continue;
            }
            double size = problem.sizeGb(k);
            int best = -1;
            for (int j = 0; j < m; j++) {
                if (j != target && problem.feasible(k, j) && fits(plannedLoad[j], size, problem.capacityGb(j))
                        && (best < 0 || problem.cost(k, j) < problem.cost(k, best))) {
                    best = j;
                }
            }
            if (best < 0) {
                continue;
            }
            evicted[count] = k;
            destination[count++] = best;
            extraCost += problem.cost(k, best) - problem.cost(k, target);
            plannedLoad[target] -= size;
            plannedLoad[best] += size;
            plannedUse += problem.budgetUseGb(k, best) - problem.budgetUseGb(k, target);
        }
        boolean pays = extraCost < saving - 1e-12 * Math.abs(saving)
                && fits(plannedLoad[target], s, problem.capacityGb(target))
                && (plannedUse <= used || fits(0.0, plannedUse, problem.budgetGb()));
        if (!pays) {
            return false;
        }
        for (int e = 0; e < count; e++) {
            assignment.move(evicted[e], destination[e]);
        }
        assignment.move(i, target);
        return true;
    }
}
