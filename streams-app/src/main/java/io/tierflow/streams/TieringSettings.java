package io.tierflow.streams;

import java.time.Duration;

/**
 * Knobs of the tiering topology that are not part of the (published, per-run) policy.
 *
 * @param evaluationInterval how often the due-evaluation punctuator runs (wall clock)
 * @param maxEvaluationsPerPunctuation bound on work per punctuation, so a backlog cannot stall processing
 * @param eventTimeClock true to evaluate due datasets at stream time only (replays and what-if give the same
 *     decisions as the recorded run); false to use max(stream time, wall clock), so idle partitions still demote
 * @param minReevaluation soonest a dataset is looked at again after an evaluation
 * @param maxReevaluation latest a dataset is looked at again (picks up new prices, models and policies)
 */
public record TieringSettings(Duration evaluationInterval, int maxEvaluationsPerPunctuation, boolean eventTimeClock,
        Duration minReevaluation, Duration maxReevaluation) {

    public static final TieringSettings DEFAULTS = new TieringSettings(Duration.ofSeconds(10), 10_000, false,
            Duration.ofMinutes(1), Duration.ofHours(1));

    public TieringSettings withEventTimeClock(boolean eventTime) {
        return new TieringSettings(evaluationInterval, maxEvaluationsPerPunctuation, eventTime, minReevaluation,
                maxReevaluation);
    }
}
