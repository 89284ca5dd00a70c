package io.tierflow.streams.domain.cost;

/**
 * A cost in USD split by what it pays for: storage (including storage charged on minimum billable sizes), GET
 * requests, retrieval fees, egress of reads, migration (PUT and transition requests, reads of the source and egress of
 * copies), early deletion (the rest of a minimum storage duration) and monitoring fees.
 */
public record CostBreakdown(double storageUsd, double requestUsd, double retrievalUsd, double egressUsd,
        double migrationUsd, double earlyDeletionUsd, double monitoringUsd) {

    public static final CostBreakdown ZERO = new CostBreakdown(0, 0, 0, 0, 0, 0, 0);

    public double total() {
        return storageUsd + requestUsd + retrievalUsd + egressUsd + migrationUsd + earlyDeletionUsd + monitoringUsd;
    }

    public CostBreakdown plus(CostBreakdown other) {
        return new CostBreakdown(storageUsd + other.storageUsd, requestUsd + other.requestUsd,
                retrievalUsd + other.retrievalUsd, egressUsd + other.egressUsd, migrationUsd + other.migrationUsd,
                earlyDeletionUsd + other.earlyDeletionUsd, monitoringUsd + other.monitoringUsd);
    }
}
