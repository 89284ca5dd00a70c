package io.tierflow.streams.domain;

import java.util.List;

/**
 * The chosen placement and why.
 *
 * @param primary null when no site can take the dataset
 * @param objective monthly storage + expected egress + amortised move cost, USD
 * @param bindingConstraint the constraint that excluded a cheaper site, or null
 */
public record PlacementDecision(Tier tier, String primary, List<String> replicas, String storageClass,
        double objective, String bindingConstraint, List<SiteEvaluation> evaluations) {

    /** How one site scored as the primary of this dataset. */
    public record SiteEvaluation(String site, double storageUsd, double egressUsd, double moveUsd, boolean feasible,
            String rejectedBecause) {
        public double total() {
            return storageUsd + egressUsd + moveUsd;
        }
    }

    public boolean isPlaced() {
        return primary != null;
    }
}
