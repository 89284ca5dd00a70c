package io.tierflow.cli.whatif;

import java.util.List;
import java.util.Map;

/**
 * What one policy (or baseline) cost over a replay, in USD, and what it did.
 *
 * @param getsByTier reads served, by the tier of the copy that served them
 * @param slaMisses reads served slower than the dataset's SLA
 * @param unplacedReads reads of datasets with no known copy (an event before its inventory), not priced
 * @param moves migration steps that changed where bytes are (completed COPYs)
 * @param bytesMoved bytes those copies moved
 * @param failedSteps migration steps that failed (injected)
 * @param cumulative the cumulative total cost over event time, sampled
 */
public record PolicyCosts(String name, double storage, double requests, double retrieval, double egress,
        double migration, double earlyDeletion, Map<String, Long> getsByTier, long slaMisses, long unplacedReads,
        long moves, long bytesMoved, long failedSteps, List<Sample> cumulative) {
    /** The cumulative cost at an event time. */
    public record Sample(long timeMs, double totalUsd) {
    }

    public double total() {
        return storage + requests + retrieval + egress + migration + earlyDeletion;
    }

    public long reads() {
        return getsByTier.values().stream().mapToLong(Long::longValue).sum();
    }
}
