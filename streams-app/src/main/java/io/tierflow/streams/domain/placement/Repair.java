package io.tierflow.streams.domain.placement;

import java.util.Arrays;

/**
 * Makes the datasets' choices at the best prices fit, then spends what room is left. At the dual's optimum only the
 * datasets the LP splits make a site overflow, so the repair moves few: off each overflowing site, those whose next
 * site with room costs least more per GB freed; back home, while the budget is exceeded, those whose move saves least
 * per GB; then, cheapest first per GB saved, any dataset that a site with room holds for less; last, the datasets
 * that would save most on a full site get in by pushing out datasets that lose less than that elsewhere, and those
 * the budget holds back get moved by sending home moved datasets that save less.
 */
final class Repair {
    private final EstateProblem problem;
    private final GlobalPlacementSolver.Dual dual;
    private final double[] prices;
    private final int[] sites;
    private final int m;
    private final double[] load;
    private double used;

    /** Repairs {@code sites} (the choices at {@code prices}), weighing moves at those prices. */
    Repair(EstateProblem problem, GlobalPlacementSolver.Dual dual, double[] prices, int[] sites) {
        this.problem = problem;
        this.dual = dual;
        this.prices = prices;
        this.sites = sites;
        this.m = problem.sites();
        this.load = new double[m];
        for (int i = 0; i < sites.length; i++) {
            load[sites[i]] += problem.sizeGb(i);
            used += problem.budgetUseGb(i, sites[i]);
        }
    }

    /** Repairs in place; false if some site still overflows or the budget is still exceeded. */
    boolean run() {
        relieveOverflowingSites();
        keepWithinBudget();
        spendRoomLeft();
        makeRoomWhereItPays();
        spendBudgetWhereItPays();
        for (int j = 0; j < m; j++) {
            if (!fits(0.0, load[j], problem.capacityGb(j))) {
                return false;
            }
        }
        return fits(0.0, used, problem.budgetGb());
    }

    static boolean fits(double now, double more, double limit) {
        return now + more <= limit * (1 + 1e-12) + 1e-12;
    }

    private boolean mayMove(int i, int to) {
        double budgetChange = problem.budgetUseGb(i, to) - problem.budgetUseGb(i, sites[i]);
        return problem.feasible(i, to) && fits(load[to], problem.sizeGb(i), problem.capacityGb(to))
                && (budgetChange <= 0 || fits(used, budgetChange, problem.budgetGb()));
    }

    private void move(int i, int to) {
        double s = problem.sizeGb(i);
        used += problem.budgetUseGb(i, to) - problem.budgetUseGb(i, sites[i]);
        load[sites[i]] -= s;
        load[to] += s;
        sites[i] = to;
    }

    private void relieveOverflowingSites() {
        boolean[] relieved = new boolean[m];
        for (int round = 0; round < m; round++) {
            int worst = -1;
            double worstExcess = 0.0;
            for (int j = 0; j < m; j++) {
                double excess = load[j] - problem.capacityGb(j);
                if (!relieved[j] && !fits(0.0, load[j], problem.capacityGb(j)) && excess > worstExcess) {
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
                if (fits(0.0, load[site], problem.capacityGb(site))) {
                    break;
                }
                int to = cheapestPricedWithRoom(i);
                if (to >= 0) {
                    move(i, to);
                }
            }
        }
    }

    private void keepWithinBudget() {
        if (fits(0.0, used, problem.budgetGb())) {
            return;
        }
        int[] order = orderBy(i -> problem.budgetUseGb(i, sites[i]) > 0
                ? (problem.cost(i, problem.currentSite(i)) - problem.cost(i, sites[i])) / problem.sizeGb(i)
                : Double.NaN);
        for (int i : order) {
            if (fits(0.0, used, problem.budgetGb())) {
                return;
            }
            int home = problem.currentSite(i);
            if (mayMove(i, home)) {
                move(i, home);
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
                move(i, to);
            }
        }
    }

    /** Datasets considered for {@link #makeRoomWhereItPays}, most saving first; the rest save too little to matter. */
    private static final int MAKE_ROOM_CANDIDATES = 4_000;
    /** Datasets looked at to push out of one site for one candidate. */
    private static final int MAKE_ROOM_EVICTIONS = 400;

    /**
     * A dataset that would cost less on a site without room for it moves there if pushing out enough datasets (each
     * to its cheapest other site with room) costs less than it saves. At the best prices the split datasets are the
     * ones a large dataset displaces, and the greedy passes cannot see a trade of one large for several small.
     */
    private void makeRoomWhereItPays() {
        int[] candidates = mostSaving(MAKE_ROOM_CANDIDATES);
        int[][] evictionOrder = new int[m][];
        for (int i : candidates) {
            for (int target = 0; target < m; target++) {
                double saving = problem.cost(i, sites[i]) - problem.cost(i, target);
                if (target == sites[i] || !(saving > 0) || mayMove(i, target)) {
                    continue; // a site with room took it already if it could (spendRoomLeft)
                }
                if (evictionOrder[target] == null) {
                    int full = target;
                    evictionOrder[target] = orderBy(k -> sites[k] == full
                            ? (cheapestElsewhere(k, full) - problem.cost(k, full)) / problem.sizeGb(k) : Double.NaN);
                }
                if (tryMakeRoom(i, target, saving, evictionOrder[target])) {
                    break;
                }
            }
        }
    }

    /** Up to {@code limit} datasets that would save most on another site, most first (a bounded heap, not a sort). */
    private int[] mostSaving(int limit) {
        java.util.PriorityQueue<long[]> heap = new java.util.PriorityQueue<>(limit + 1,
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

    /**
     * A dataset the budget holds back from a cheaper site with room moves if sending home enough of the moved datasets
     * (those saving least per GB first) gives up less than it saves: the greedy passes fill the budget in order of
     * saving per GB, which can leave out one large move worth more than several small ones.
     */
    private void spendBudgetWhereItPays() {
        if (!problem.hasBudget()) {
            return;
        }
        int[] revertOrder = null;
        for (int i : mostSaving(MAKE_ROOM_CANDIDATES)) {
            for (int target = 0; target < m; target++) {
                double saving = problem.cost(i, sites[i]) - problem.cost(i, target);
                double budgetChange = problem.budgetUseGb(i, target) - problem.budgetUseGb(i, sites[i]);
                if (target == sites[i] || !(saving > 0) || budgetChange <= 0 || mayMove(i, target)
                        || !fits(load[target], problem.sizeGb(i), problem.capacityGb(target))) {
                    continue; // only moves the budget alone holds back
                }
                if (revertOrder == null) {
                    revertOrder = orderBy(k -> problem.budgetUseGb(k, sites[k]) > 0
                            ? (problem.cost(k, problem.currentSite(k)) - problem.cost(k, sites[k]))
                                    / problem.sizeGb(k) : Double.NaN);
                }
                if (trySendHome(i, target, saving, budgetChange, revertOrder)) {
                    break;
                }
            }
        }
    }

    private boolean trySendHome(int i, int target, double saving, double budgetChange, int[] revertOrder) {
        double[] plannedLoad = load.clone();
        plannedLoad[sites[i]] -= problem.sizeGb(i);
        plannedLoad[target] += problem.sizeGb(i);
        double plannedUse = used + budgetChange;
        int[] reverted = new int[MAKE_ROOM_EVICTIONS];
        int count = 0;
        double lost = 0.0;
        int looked = 0;
        for (int k : revertOrder) {
            if (fits(0.0, plannedUse, problem.budgetGb()) || looked++ >= MAKE_ROOM_EVICTIONS || lost >= saving) {
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
            move(reverted[e], problem.currentSite(reverted[e]));
        }
        move(i, target);
        return true;
    }

    private boolean tryMakeRoom(int i, int target, double saving, int[] evictionOrder) {
        double s = problem.sizeGb(i);
        double[] plannedLoad = load.clone();
        double plannedUse = used + problem.budgetUseGb(i, target) - problem.budgetUseGb(i, sites[i]);
        int[] evicted = new int[MAKE_ROOM_EVICTIONS];
        int[] destination = new int[MAKE_ROOM_EVICTIONS];
        int count = 0;
        double extraCost = 0.0;
        int looked = 0;
        for (int k : evictionOrder) {
            if (fits(plannedLoad[target], s, problem.capacityGb(target)) || looked++ >= MAKE_ROOM_EVICTIONS
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
            move(evicted[e], destination[e]);
        }
        move(i, target);
        return true;
    }

    /** The other site the dataset may move to now that is cheapest at the prices (room elsewhere is worth them), or -1. */
    private int cheapestPricedWithRoom(int i) {
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            if (j != sites[i] && mayMove(i, j)) {
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
            if (j != sites[i] && c < bestCost && mayMove(i, j)) {
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
