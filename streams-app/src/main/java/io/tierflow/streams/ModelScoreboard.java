package io.tierflow.streams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tierflow.streams.domain.LiveModelFigures;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The live figures of the models in force on this instance, per dataset task (partition), as each task last published
 * them: what {@code /models} gathers, and the {@code tierflow_model_live_*} gauges (tagged by model name, a handful:
 * {@code current} and the candidates). Written by the stream threads, read by the API and the metrics scrape.
 */
public final class ModelScoreboard {
    private final MeterRegistry registry;
    private final Map<Integer, List<LiveModelFigures>> byPartition = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    ModelScoreboard(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The figures of the task of {@code partition} now. */
    void publish(int partition, List<LiveModelFigures> figures) {
        byPartition.put(partition, List.copyOf(figures));
        figures.forEach(f -> gauge(f.name()));
    }

    /** The task of {@code partition} closed here (its figures go with it). */
    void withdraw(int partition) {
        byPartition.remove(partition);
    }

    /**
     * The figures of the given partitions' tasks on this instance, added up per model name and version, in the order
     * first seen (a partition that has not published yet adds nothing).
     */
    public List<LiveModelFigures> figures(Collection<Integer> partitions) {
        Map<String, LiveModelFigures> sums = new LinkedHashMap<>();
        for (int partition : partitions) {
            for (LiveModelFigures f : byPartition.getOrDefault(partition, List.of())) {
                sums.merge(f.name() + "\u0000" + f.version(), f, LiveModelFigures::plus);
            }
        }
        return new ArrayList<>(sums.values());
    }

    private void gauge(String name) {
        if (!gauged.add(name)) {
            return;
        }
        gauge(name, "tierflow.model.live.predictions", "Predictions labelled by what followed, this instance's tasks",
                f -> f.labelled());
        gauge(name, "tierflow.model.live.pending", "Predictions waiting for their horizon to pass", f -> f.pending());
        gauge(name, "tierflow.model.live.precision", "Share of predicted reads that came (NaN before any)",
                LiveModelFigures::precision);
        gauge(name, "tierflow.model.live.brier", "Brier score of the labelled predictions",
                LiveModelFigures::brier);
        gauge(name, "tierflow.model.live.predicted.rate", "Mean predicted probability (calibration)",
                LiveModelFigures::meanPredicted);
        gauge(name, "tierflow.model.live.observed.rate", "Share of labelled predictions followed by an access",
                LiveModelFigures::observedRate);
        gauge(name, "tierflow.model.live.drift", "1 when the live figures left the training ones by more than the "
                + "margin", f -> f.drifted() ? 1 : 0);
    }

    private void gauge(String name, String meter, String description, ToDoubleFunction<LiveModelFigures> value) {
        Gauge.builder(meter, this, board -> {
            // The version in force on most of this instance's tasks: the one with most predictions.
            LiveModelFigures newest = null;
            for (LiveModelFigures f : board.figures(byPartition.keySet())) {
                if (f.name().equals(name) && (newest == null || f.labelled() + f.pending()
                        > newest.labelled() + newest.pending())) {
                    newest = f;
                }
            }
            return newest == null ? Double.NaN : value.applyAsDouble(newest);
        }).description(description).tag("model", name).register(registry);
    }
}
