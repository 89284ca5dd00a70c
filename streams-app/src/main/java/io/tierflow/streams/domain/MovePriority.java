package io.tierflow.streams.domain;

import java.util.List;

/**
 * How urgent and how valuable a COPY step is, for the order moves wait in ({@link MigrationBudget#PRIORITY}): moving
 * the primary off a site marked down is an evacuation; off a site the decision no longer allows (the SLA, encryption,
 * capacity, a site gone) a forced move; anything else is ranked by what it saves per GB moved over the policy's
 * horizon, read from the decision's own per-site costs.
 */
public final class MovePriority {
    private static final double BYTES_PER_GB = 1e9;

    private MovePriority() {
    }

    /**
     * The waiting move for {@code step} (a COPY) of a dataset of {@code sizeBytes} whose primary is
     * {@code actualPrimary} in {@code actualClass}, decided as {@code decision} at {@code now}.
     */
    public static MigrationBudget.Move of(String key, long sizeBytes, MigrationPlanner.Step step,
            String actualPrimary, String actualClass, PlacementDecision decision, List<SiteOffer> sites,
            double horizonMonths, long now) {
        MigrationBudget.Urgency urgency = MigrationBudget.Urgency.SAVING;
        double valuePerGb = 0.0;
        boolean movesPrimary = step.source().equals(actualPrimary) && !step.destination().equals(actualPrimary)
                && step.destination().equals(decision.primary());
        if (movesPrimary) {
            SiteOffer primary = site(sites, actualPrimary);
            PlacementDecision.SiteEvaluation current = evaluation(decision, actualPrimary);
            PlacementDecision.SiteEvaluation then = evaluation(decision, decision.primary());
            if (primary != null && !primary.up()) {
                urgency = MigrationBudget.Urgency.EVACUATION;
            } else if (current == null || !current.feasible()) {
                urgency = MigrationBudget.Urgency.FORCED;
            } else if (then != null) {
                double savingPerMonth = current.storageUsd() + current.egressUsd()
                        - (then.storageUsd() + then.egressUsd());
                valuePerGb = perGb(savingPerMonth * horizonMonths, sizeBytes);
            }
        } else if (step.destination().equals(actualPrimary) && !step.storageClass().equals(actualClass)) {
            // A change of storage class in place: the saving is the difference of the two classes' storage prices.
            SiteOffer site = site(sites, actualPrimary);
            if (site != null) {
                double before = pricePerGbMonth(site, actualClass);
                double after = pricePerGbMonth(site, step.storageClass());
                if (!Double.isNaN(before) && !Double.isNaN(after)) {
                    valuePerGb = (before - after) * horizonMonths;
                }
            }
        }
        // A new replica saves nothing: it is made for the tier's durability, after the moves that save money.
        return new MigrationBudget.Move(key, sizeBytes, urgency, Double.isFinite(valuePerGb) ? valuePerGb : 0.0, now);
    }

    private static double perGb(double usd, long bytes) {
        return bytes <= 0 ? 0.0 : usd / (bytes / BYTES_PER_GB);
    }

    private static double pricePerGbMonth(SiteOffer site, String storageClass) {
        for (SiteOffer.StorageClassOffer offer : site.classes()) {
            if (offer.name().equals(storageClass)) {
                return offer.storagePerGbMonth();
            }
        }
        return Double.NaN;
    }

    private static SiteOffer site(List<SiteOffer> sites, String name) {
        for (SiteOffer site : sites) {
            if (site.name().equals(name)) {
                return site;
            }
        }
        return null;
    }

    private static PlacementDecision.SiteEvaluation evaluation(PlacementDecision decision, String site) {
        for (PlacementDecision.SiteEvaluation e : decision.evaluations()) {
            if (e.site().equals(site)) {
                return e;
            }
        }
        return null;
    }
}
