package io.tierflow.streams.domain.placement;

import io.tierflow.streams.domain.PlacementDecision;
import io.tierflow.streams.domain.PlacementOptimizer;
import io.tierflow.streams.domain.PlacementRequest;
import io.tierflow.streams.domain.SiteOffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prices each dataset of an estate at every site the way the per-dataset placement does (storage, expected reads and
 * egress, the move amortised over the horizon; SLA, encryption, site down and object size deciding where it may go),
 * and adds it to a global problem. The global pass and the per-dataset decisions so weigh a placement alike.
 */
public final class EstateCosts {
    private final List<SiteOffer> sites;
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final double[] row;

    /** Costs against these sites, in the global problem's site order. */
    public EstateCosts(List<SiteOffer> sites) {
        this.sites = List.copyOf(sites);
        for (int j = 0; j < sites.size(); j++) {
            indexByName.put(sites.get(j).name(), j);
        }
        this.row = new double[sites.size()];
    }

    public List<String> siteNames() {
        return sites.stream().map(SiteOffer::name).toList();
    }

    /** Index of the named site, or -1 when it is not one of these (for instance removed from the catalogue). */
    public int siteIndex(String name) {
        Integer index = name == null ? null : indexByName.get(name);
        return index == null ? -1 : index;
    }

    /**
     * Adds the dataset's primary to the problem.
     *
     * @return false (and adds nothing) when no site may hold it: the global pass cannot place it either, and the
     *     per-dataset placement reports it
     */
    public boolean add(EstateProblem.Builder problem, PlacementRequest request) {
        PlacementDecision decision = PlacementOptimizer.optimize(request, sites);
        java.util.Arrays.fill(row, Double.POSITIVE_INFINITY);
        boolean anywhere = false;
        for (PlacementDecision.SiteEvaluation evaluation : decision.evaluations()) {
            int j = siteIndex(evaluation.site());
            if (j >= 0 && evaluation.feasible() && Double.isFinite(evaluation.total())) {
                row[j] = evaluation.total();
                anywhere = true;
            }
        }
        if (!anywhere) {
            return false;
        }
        problem.add(request.key(), request.sizeBytes(), siteIndex(request.currentPrimary()), row);
        return true;
    }
}
