package io.tierflow.cli.whatif;

import io.tierflow.streams.domain.cost.CostBreakdown;
import java.util.List;
import java.util.Map;

/**
 * What one policy (or baseline) cost over a replay, in USD, by the shared cost model, and what it did.
 *
 * @param cost the bill, split by kind (storage, requests, retrieval, egress, migration, early deletion, monitoring)
 * @param getsByTier reads served, by the tier of the copy that served them (empty for the baselines, which are priced
 *     per object by the cost model and do not say)
 * @param slaMisses reads served slower than the dataset's SLA
 * @param unplacedReads reads of datasets with no known copy (an event before its inventory), not priced
 * @param moves migration steps that made a copy (completed COPYs)
 * @param bytesMoved bytes those copies moved between sites
 * @param failedSteps migration steps that failed (injected)
 * @param cumulative the cumulative total cost over event time, sampled (empty for the baselines)
 */
public record PolicyCosts(String name, CostBreakdown cost, Map<String, Long> getsByTier, long slaMisses,
        long unplacedReads, long moves, long bytesMoved, long failedSteps, List<Sample> cumulative) {
    /** The cumulative cost at an event time. */
    public record Sample(long timeMs, double totalUsd) {
    }

    public double total() {
        return cost.total();
    }

    public long reads() {
        return getsByTier.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A row priced without a replay: a baseline or the optimum. */
    static PolicyCosts priced(String name, CostBreakdown cost) {
        return new PolicyCosts(name, cost, Map.of(), 0, 0, 0, 0, 0, List.of());
    }
}
