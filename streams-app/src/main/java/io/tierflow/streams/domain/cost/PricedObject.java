package io.tierflow.streams.domain.cost;

import io.tierflow.streams.domain.Tier;
import java.util.List;

/**
 * What one object cost under a strategy (a baseline or the offline optimum), and the storage classes it was held in,
 * to explain the cost.
 */
public record PricedObject(String key, String strategy, CostBreakdown cost, List<Stay> schedule) {

    /** From {@code fromMs} (until the next stay, or the end of the run) the object was in {@code className}. */
    public record Stay(long fromMs, String className, Tier tier) {
    }

    public PricedObject {
        schedule = List.copyOf(schedule);
    }
}
