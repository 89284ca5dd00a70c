package io.tierflow.streams;

import io.tierflow.streams.domain.Activity;
import io.tierflow.streams.domain.Features;
import io.tierflow.streams.domain.LivePredictions;
import io.tierflow.streams.domain.ScoringModel;
import io.tierflow.streams.domain.TieringPolicy;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One dataset task's side of the model rollout: at every evaluation the current model's probability, and each
 * candidate's scored in shadow on the same features, are remembered ({@link LivePredictions}); on the clock the ones
 * whose horizon passed are labelled and the task's figures published to the {@link ModelScoreboard}. Nothing here
 * changes a decision: the evaluation has already been made with the current model when {@link #scored} is called.
 */
final class LiveModelScoring {
    private final Catalogue catalogue;
    private final LivePredictions predictions;
    private final ModelScoreboard scoreboard;
    private final int partition;
    private List<ScoringModel> following = List.of();

    LiveModelScoring(Catalogue catalogue, ModelRollout rollout, ModelScoreboard scoreboard, int partition) {
        this.catalogue = catalogue;
        this.predictions = new LivePredictions(rollout.pendingPerModel(), rollout.defaultHorizon().toMillis(),
                rollout.driftMargin());
        this.scoreboard = scoreboard;
        this.partition = partition;
        follow();
        scoreboard.publish(partition, predictions.figures());
    }

    /** A dataset was just evaluated at {@code now}, the current model giving it {@code pCurrent}. */
    void scored(String key, Activity activity, long sizeBytes, TieringPolicy policy, double pCurrent, long now) {
        follow();
        predictions.predicted(Catalogue.CURRENT_MODEL, key, now, pCurrent);
        List<ScoringModel> candidates = catalogue.candidates();
        if (!candidates.isEmpty()) {
            Features features = activity.features(now, sizeBytes, policy.halfLifeMs());
            for (ScoringModel candidate : candidates) {
                predictions.predicted(candidate.name(), key, now, candidate.scorer().score(features));
            }
        }
    }

    /** Labels up to {@code max} predictions whose horizon has passed and publishes the task's figures. */
    void labelDue(long now, int max, ToLongFunction<String> lastAccessOf) {
        follow();
        predictions.labelDue(now, max, lastAccessOf);
        scoreboard.publish(partition, predictions.figures());
    }

    void close() {
        scoreboard.withdraw(partition);
    }

    private void follow() {
        List<ScoringModel> inForce = catalogue.modelsInForce();
        if (inForce != following) { // a new list whenever a model changed: see Catalogue.modelsInForce
            following = inForce;
            predictions.inForce(inForce);
        }
    }
}
