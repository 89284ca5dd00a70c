package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * One task's record of what the models in force predicted and what happened: each prediction is remembered with its
 * time until the model's horizon has passed, then labelled by whether the dataset was accessed after it, and added to
 * the model's {@link LiveModelFigures}.
 *
 * <p>Bounded: at most {@code capacity} predictions per model wait for their label, and at most one per dataset (a
 * dataset looked at again before its label is taken is not remembered twice, so busy datasets do not crowd the rest
 * out). A model's figures start when it comes into force and end when it is replaced; they live in memory, so a
 * restarted task starts them again.
 */
public final class LivePredictions {
    /** Metrics keys of the training figures drift is judged against. */
    public static final String TRAINING_BRIER = "brier";
    public static final String TRAINING_POSITIVE_RATE = "positive_rate";

    private final int capacity;
    private final long defaultHorizonMs;
    private final double driftMargin;
    /** The models in force, by name, with what they predicted. */
    private final Map<String, Tally> tallies = new LinkedHashMap<>();

    /**
     * @param capacity how many predictions per model may wait for their label
     * @param defaultHorizonMs how long after a prediction it is labelled for a model published without a horizon
     * @param driftMargin see {@link LiveModelFigures#driftMargin}
     */
    public LivePredictions(int capacity, long defaultHorizonMs, double driftMargin) {
        if (capacity <= 0 || defaultHorizonMs <= 0 || !(driftMargin >= 0)) {
            throw new IllegalArgumentException("capacity and horizon must be positive, the margin not negative");
        }
        this.capacity = capacity;
        this.defaultHorizonMs = defaultHorizonMs;
        this.driftMargin = driftMargin;
    }

    /**
     * The models now in force. A model not in force any more, or replaced by another version under its name, is
     * forgotten with its predictions; one still in force keeps them.
     */
    public void inForce(List<ScoringModel> models) {
        Map<String, Tally> kept = new HashMap<>(tallies);
        tallies.clear();
        for (ScoringModel model : models) {
            Tally tally = kept.get(model.name());
            tallies.put(model.name(), tally != null && tally.model.equals(model) ? tally : new Tally(model));
        }
    }

    /** Remembers that the model published as {@code name} gave {@code dataset} probability {@code p} at {@code atMs}. */
    public void predicted(String name, String dataset, long atMs, double p) {
        Tally tally = tallies.get(name);
        if (tally == null || tally.waitingDatasets.contains(dataset)) {
            return;
        }
        if (tally.waiting.size() >= capacity) {
            tally.skipped++;
            return;
        }
        tally.waiting.add(new Prediction(dataset, atMs, atMs + tally.horizonMs, p));
        tally.waitingDatasets.add(dataset);
    }

    /**
     * Labels the predictions whose horizon has passed by {@code nowMs}, at most {@code max} of them.
     *
     * @param lastAccessOf the time of a dataset's last access, {@link Long#MIN_VALUE} if it is gone (its predictions
     *     are dropped unlabelled)
     * @return how many were labelled or dropped
     */
    public int labelDue(long nowMs, int max, ToLongFunction<String> lastAccessOf) {
        int done = 0;
        for (Tally tally : tallies.values()) {
            while (done < max && !tally.waiting.isEmpty() && tally.waiting.peek().dueAtMs() <= nowMs) {
                Prediction prediction = tally.waiting.poll();
                tally.waitingDatasets.remove(prediction.dataset());
                long lastAccess = lastAccessOf.applyAsLong(prediction.dataset());
                if (lastAccess != Long.MIN_VALUE) {
                    tally.label(prediction.p(), lastAccess > prediction.atMs());
                }
                done++;
            }
        }
        return done;
    }

    /** The figures of every model in force, in the order {@link #inForce} listed them. */
    public List<LiveModelFigures> figures() {
        List<LiveModelFigures> figures = new ArrayList<>(tallies.size());
        tallies.values().forEach(tally -> figures.add(tally.figures(driftMargin)));
        return figures;
    }

    private record Prediction(String dataset, long atMs, long dueAtMs, double p) {
    }

    private final class Tally {
        final ScoringModel model;
        final long horizonMs;
        final PriorityQueue<Prediction> waiting = new PriorityQueue<>(
                (a, b) -> Long.compare(a.dueAtMs(), b.dueAtMs()));
        final Set<String> waitingDatasets = new HashSet<>();
        long skipped;
        long labelled;
        long positives;
        long predictedPositives;
        long truePositives;
        double sumPredicted;
        double sumSquaredError;

        Tally(ScoringModel model) {
            this.model = model;
            this.horizonMs = model.horizonMs() > 0 ? model.horizonMs() : defaultHorizonMs;
        }

        void label(double p, boolean accessed) {
            double y = accessed ? 1 : 0;
            boolean predictedPositive = p >= model.threshold();
            labelled++;
            positives += accessed ? 1 : 0;
            predictedPositives += predictedPositive ? 1 : 0;
            truePositives += predictedPositive && accessed ? 1 : 0;
            sumPredicted += p;
            sumSquaredError += (p - y) * (p - y);
        }

        LiveModelFigures figures(double margin) {
            return new LiveModelFigures(model.name(), model.version(), model.threshold(),
                    model.trainingMetrics().getOrDefault(TRAINING_BRIER, Double.NaN),
                    model.trainingMetrics().getOrDefault(TRAINING_POSITIVE_RATE, Double.NaN), margin, waiting.size(),
                    skipped, labelled, positives, predictedPositives, truePositives, sumPredicted, sumSquaredError);
        }
    }
}
