package io.tierflow.streams;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * How published models are rolled out: the one under {@code current} decides; the ones under the candidate names score
 * in shadow next to it, changing no decision; every model in force is compared with what happened (see
 * {@code LivePredictions}).
 *
 * @param candidates the names, other than {@code current}, whose models score in shadow
 * @param pendingPerModel how many predictions per model and task may wait for their label
 * @param defaultHorizon how long after a prediction it is labelled when its model was published without a horizon
 * @param driftMargin how far the live observed rate or Brier score may be from the training figures before drift is
 *     flagged
 */
public record ModelRollout(List<String> candidates, int pendingPerModel, Duration defaultHorizon,
        double driftMargin) {
    /** Setting: comma-separated candidate names. */
    public static final String CANDIDATES = "tierflow.models.candidates";
    /** Setting: the drift margin, a number from 0 to 1. */
    public static final String DRIFT_MARGIN = "tierflow.models.drift-margin";

    public static final ModelRollout DEFAULTS = new ModelRollout(List.of("candidate"), 10_000, Duration.ofHours(24),
            0.05);

    public ModelRollout {
        candidates = List.copyOf(candidates);
        if (candidates.contains(Catalogue.CURRENT_MODEL)) {
            throw new IllegalArgumentException(CANDIDATES + ": '" + Catalogue.CURRENT_MODEL + "' is the model in "
                    + "force, not a candidate");
        }
        if (pendingPerModel <= 0 || defaultHorizon.isNegative() || defaultHorizon.isZero()) {
            throw new IllegalArgumentException("pendingPerModel and defaultHorizon must be positive");
        }
        if (!(driftMargin >= 0 && driftMargin <= 1)) {
            throw new IllegalArgumentException(DRIFT_MARGIN + " must be a number from 0 to 1, not " + driftMargin);
        }
    }

    /** The defaults, with what {@code config} sets; a value that cannot be used fails with a clear error. */
    static ModelRollout from(Properties config) {
        List<String> candidates = DEFAULTS.candidates;
        String listed = config.getProperty(CANDIDATES);
        if (listed != null) {
            candidates = Arrays.stream(listed.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        double margin = DEFAULTS.driftMargin;
        String marginSetting = config.getProperty(DRIFT_MARGIN);
        if (marginSetting != null) {
            try {
                margin = Double.parseDouble(marginSetting.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(DRIFT_MARGIN + " must be a number, not '" + marginSetting + "'", e);
            }
        }
        return new ModelRollout(candidates, DEFAULTS.pendingPerModel, DEFAULTS.defaultHorizon, margin);
    }
}
