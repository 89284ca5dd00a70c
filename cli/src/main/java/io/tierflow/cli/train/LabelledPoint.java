package io.tierflow.cli.train;

/**
 * One row of the labelled table: what the topology knew about a dataset at one moment, and what followed it.
 *
 * @param features values in the order of the table's feature names, as {@code Features.byName()} gave them
 * @param readWithinHorizon the label: the dataset was read again within the horizon after {@code timeMs}
 * @param readsInHorizon reads (GETs) in the horizon after {@code timeMs}
 * @param bytesInHorizon bytes those reads transferred
 * @param beforeBreakEven whether the next read came before the cold class's break-even time; null when that window
 *     runs past the end of the input (censored: not known)
 */
public record LabelledPoint(String key, long timeMs, Kind kind, double[] features, boolean readWithinHorizon,
        int readsInHorizon, long bytesInHorizon, Boolean beforeBreakEven) {

    /** Why the point was taken. */
    public enum Kind {
        /** Right after an access to the dataset. */
        ACCESS,
        /** At a periodic evaluation, whether the dataset was accessed or not. */
        PERIODIC
    }

    /** The same point with another label, for the shuffled-labels check. */
    LabelledPoint withLabel(boolean label) {
        return new LabelledPoint(key, timeMs, kind, features, label, readsInHorizon, bytesInHorizon, beforeBreakEven);
    }
}
