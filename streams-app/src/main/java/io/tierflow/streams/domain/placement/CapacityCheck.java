package io.tierflow.streams.domain.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the datasets can fit the sites at all, split as finely as one likes: by Hall's condition for transport
 * problems, they can exactly when, for every set of sites, the datasets that may go nowhere else fit in those sites
 * together. Checked before solving, because an estate that cannot fit makes the Lagrangian dual unbounded, and the
 * answer then names the sites that are too small.
 */
final class CapacityCheck {
    /** Sites beyond which the 2^sites subsets are not enumerated (the check is then skipped). */
    private static final int MAX_SITES = 16;

    private CapacityCheck() {
    }

    static void requireFits(EstateProblem problem) {
        int m = problem.sites();
        if (m > MAX_SITES) {
            return;
        }
        double[] gbWithin = new double[1 << m];
        for (int i = 0; i < problem.datasets(); i++) {
            int mask = 0;
            for (int j = 0; j < m; j++) {
                if (problem.feasible(i, j)) {
                    mask |= 1 << j;
                }
            }
            gbWithin[mask] += problem.sizeGb(i);
        }
        // Sum over subsets: gbWithin[S] becomes the GB of datasets whose feasible sites all lie in S.
        for (int bit = 0; bit < m; bit++) {
            for (int set = 0; set < gbWithin.length; set++) {
                if ((set & (1 << bit)) != 0) {
                    gbWithin[set] += gbWithin[set ^ (1 << bit)];
                }
            }
        }
        for (int set = 1; set < gbWithin.length; set++) {
            double capacity = 0.0;
            List<String> names = new ArrayList<>();
            for (int j = 0; j < m; j++) {
                if ((set & (1 << j)) != 0) {
                    capacity += problem.capacityGb(j);
                    names.add(problem.siteName(j));
                }
            }
            if (gbWithin[set] > capacity * (1 + 1e-12) + 1e-12) {
                throw new InfeasibleEstateException(String.format(java.util.Locale.ROOT,
                        "datasets that may only go to %s need %.3f GB, but those sites have %.3f GB usable",
                        names, gbWithin[set], capacity));
            }
        }
    }
}
