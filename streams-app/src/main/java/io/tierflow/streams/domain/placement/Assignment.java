package io.tierflow.streams.domain.placement;

/**
 * The site of each dataset in a placement under repair, with the load the choices put on each site and the budget
 * they use, kept in step: a choice changes only through {@link #move}, so the loads and the budget use are always
 * those of the choices, whichever repair pass moved them.
 */
final class Assignment {
    private final EstateProblem problem;
    /** Each dataset's site: read freely, changed only by {@link #move}. */
    final int[] sites;
    /** GB on each site: read freely (a trade plans on a copy), changed only by {@link #move}. */
    final double[] load;
    private double used;

    /** The choices {@code sites} (changed in place by the moves). */
    Assignment(EstateProblem problem, int[] sites) {
        this.problem = problem;
        this.sites = sites;
        this.load = new double[problem.sites()];
        for (int i = 0; i < sites.length; i++) {
            load[sites[i]] += problem.sizeGb(i);
            used += problem.budgetUseGb(i, sites[i]);
        }
    }

    /** GB of the budget the choices use. */
    double used() {
        return used;
    }

    /** Whether site {@code j} holds more than it can. */
    boolean overflows(int j) {
        return !Repair.fits(0.0, load[j], problem.capacityGb(j));
    }

    /** Whether the choices use more than the budget. */
    boolean overBudget() {
        return !Repair.fits(0.0, used, problem.budgetGb());
    }

    /** Whether dataset {@code i} may go to site {@code to} now: it may be there, fits, and the budget allows it. */
    boolean mayMove(int i, int to) {
        double budgetChange = problem.budgetUseGb(i, to) - problem.budgetUseGb(i, sites[i]);
        return problem.feasible(i, to) && Repair.fits(load[to], problem.sizeGb(i), problem.capacityGb(to))
                && (budgetChange <= 0 || Repair.fits(used, budgetChange, problem.budgetGb()));
    }

    void move(int i, int to) {
        double s = problem.sizeGb(i);
        used += problem.budgetUseGb(i, to) - problem.budgetUseGb(i, sites[i]);
        load[sites[i]] -= s;
        load[to] += s;
        sites[i] = to;
    }
}
