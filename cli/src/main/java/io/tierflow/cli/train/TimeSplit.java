package io.tierflow.cli.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The time-ordered split of a labelled table: test on the points after the split time, train on the points before it
 * whose label window also ends by then. A training point whose horizon crosses the split time is dropped: its label
 * would be read from the test period, and the model would learn from the future it is then tested on.
 *
 * @param splitMs points at or before it are for training, later ones for testing
 * @param crossing training points dropped because their label window crosses the split time
 */
public record TimeSplit(long splitMs, List<LabelledPoint> train, List<LabelledPoint> test, long crossing) {

    /**
     * Splits {@code table} so that about {@code testFraction} of its points (which are in time order) are after the
     * split time.
     *
     * @throws IllegalArgumentException when either side would be empty or have a single class
     */
    public static TimeSplit of(LabelledTable table, double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("the test fraction must be between 0 and 1, exclusive");
        }
        List<LabelledPoint> points = table.points();
        if (points.isEmpty()) {
            throw new IllegalArgumentException("the labelled table has no points");
        }
        int firstTest = (int) Math.min(points.size() - 1, Math.round(points.size() * (1 - testFraction)));
        long splitMs = points.get(Math.max(0, firstTest - 1)).timeMs();
        List<LabelledPoint> train = new ArrayList<>();
        List<LabelledPoint> test = new ArrayList<>();
        long crossing = 0;
        for (LabelledPoint p : points) {
            if (p.timeMs() > splitMs) {
                test.add(p);
            } else if (p.timeMs() + table.horizonMs() <= splitMs) {
                train.add(p);
            } else {
                crossing++;
            }
        }
        TimeSplit split = new TimeSplit(splitMs, train, test, crossing);
        split.requireBothClasses("training", train);
        split.requireBothClasses("test", test);
        return split;
    }

    private void requireBothClasses(String side, List<LabelledPoint> points) {
        long positive = points.stream().filter(LabelledPoint::readWithinHorizon).count();
        if (positive == 0 || positive == points.size()) {
            throw new IllegalArgumentException("the " + side + " split has " + points.size() + " points, "
                    + positive + " of them read again within the horizon: it needs both outcomes (a longer input, "
                    + "a shorter --horizon or another --test-fraction)");
        }
    }
}
