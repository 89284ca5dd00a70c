package io.tierflow.streams;

import io.tierflow.schemas.Model;
import io.tierflow.schemas.Policy;
import io.tierflow.streams.domain.ScoringModel;
import io.tierflow.streams.domain.TieringPolicy;

/**
 * The topology's own mappings from published records to domain types, for tools outside it ({@code tierflow train})
 * that must read a policy and check a model exactly as the streams app will.
 */
public final class RecordMapping {
    private RecordMapping() {
    }

    /** The policy knobs of a published policy. */
    public static TieringPolicy policy(Policy policy) {
        return StateMapper.policy(policy);
    }

    /**
     * The scorer the streams app would load from {@code model} published under {@code name}.
     *
     * @throws IllegalArgumentException saying why the streams app would refuse it
     */
    public static ScoringModel scoringModel(String name, Model model) {
        return StateMapper.scoringModel(name, model);
    }
}
