package io.tierflow.streams.domain.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * The cutting-plane model of a concave piecewise-linear function of a few variables (the Lagrangian dual of the
 * placement problem, one variable per site plus one for the budget): the minimum of the tangent planes seen so far,
 * which lies above the function everywhere. {@link #maximise} finds the model's highest point in a box by the simplex
 * method on a dense tableau; the model has a handful of columns and at most a few hundred rows, so a dense tableau with
 * Bland's rule (which cannot cycle) is simple and fast enough, and keeps OR-Tools out of the product.
 */
final class CuttingPlaneModel {
    private static final double PIVOT_EPS = 1e-11;

    /** A tangent plane: f(x) ≤ value + slope · (x − at). */
    record Cut(double[] at, double value, double[] slope) {
    }

    /** The model's highest point in the box and its height. */
    record Top(double[] x, double height) {
    }

    private final int dimensions;
    private final List<Cut> cuts = new ArrayList<>();

    CuttingPlaneModel(int dimensions) {
        this.dimensions = dimensions;
    }

    void add(double[] at, double value, double[] slope) {
        cuts.add(new Cut(at.clone(), value, slope.clone()));
    }

    int size() {
        return cuts.size();
    }

    /** The model's height at x: the lowest cut there. */
    double height(double[] x) {
        double lowest = Double.POSITIVE_INFINITY;
        for (Cut cut : cuts) {
            lowest = Math.min(lowest, valueAt(cut, x));
        }
        return lowest;
    }

    /** Keeps the {@code keep} cuts lowest at x (the ones that shape the model near there). */
    void keepNearest(double[] x, int keep) {
        if (cuts.size() <= keep) {
            return;
        }
        cuts.sort((a, b) -> Double.compare(valueAt(a, x), valueAt(b, x)));
        cuts.subList(keep, cuts.size()).clear();
    }

    private double valueAt(Cut cut, double[] x) {
        double v = cut.value();
        for (int j = 0; j < dimensions; j++) {
            v += cut.slope()[j] * (x[j] - cut.at()[j]);
        }
        return v;
    }

    /**
     * The highest point of the model with lo ≤ x ≤ hi. Variables are shifted to the box's corner and scaled to its
     * width, and the height is measured from just below the lowest cut at the corner, so that the corner is a
     * feasible starting vertex with every right-hand side ≥ 1 (in the height's unit).
     */
    Top maximise(double[] lo, double[] hi) {
        if (cuts.isEmpty()) {
            throw new IllegalStateException("the model has no cut yet");
        }
        int k = dimensions;
        int rows = cuts.size() + k;
        // Columns: scaled box offsets v[0..k), height t, one slack per row; then the right-hand side.
        int cols = k + 1 + rows;
        double floor = Double.POSITIVE_INFINITY;
        double scale = 0.0;
        for (Cut cut : cuts) {
            double atCorner = valueAt(cut, lo);
            floor = Math.min(floor, atCorner);
            scale = Math.max(scale, Math.abs(atCorner));
        }
        scale = Math.max(scale, 1e-9);
        floor -= Math.max(1e-6 * scale, 1e-12);
        double[][] t = new double[rows + 1][cols + 1];
        int[] basis = new int[rows];
        for (int r = 0; r < cuts.size(); r++) {
            Cut cut = cuts.get(r);
            // height ≤ cut at lo + slope · width · v  →  t − Σ slope·width·v ≤ (cut at lo − floor)
            for (int j = 0; j < k; j++) {
                t[r][j] = -cut.slope()[j] * (hi[j] - lo[j]) / scale;
            }
            t[r][k] = 1.0;
            t[r][k + 1 + r] = 1.0;
            t[r][cols] = (valueAt(cut, lo) - floor) / scale;
            basis[r] = k + 1 + r;
        }
        for (int j = 0; j < k; j++) {
            int r = cuts.size() + j;
            t[r][j] = 1.0;
            t[r][k + 1 + r] = 1.0;
            t[r][cols] = 1.0;
            basis[r] = k + 1 + r;
        }
        double[] objective = t[rows];
        objective[k] = -1.0; // maximise t: z − t = 0
        int pivots = 0;
        while (true) {
            int entering = -1;
            for (int c = 0; c < cols; c++) {
                if (objective[c] < -PIVOT_EPS) {
                    entering = c;
                    break;
                }
            }
            if (entering < 0) {
                break;
            }
            int leaving = -1;
            double bestRatio = Double.POSITIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                double a = t[r][entering];
                if (a > PIVOT_EPS) {
                    double ratio = t[r][cols] / a;
                    if (ratio < bestRatio - 1e-15 || (Math.abs(ratio - bestRatio) <= 1e-15 && leaving >= 0
                            && basis[r] < basis[leaving])) {
                        bestRatio = ratio;
                        leaving = r;
                    }
                }
            }
            if (leaving < 0) {
                throw new IllegalStateException("the cutting-plane model is unbounded in a box; a cut is malformed");
            }
            pivot(t, leaving, entering, cols);
            basis[leaving] = entering;
            if (++pivots > 50_000) {
                throw new IllegalStateException("the cutting-plane model did not converge in 50000 pivots");
            }
        }
        double[] x = lo.clone();
        double height = floor;
        for (int r = 0; r < rows; r++) {
            int b = basis[r];
            double value = Math.max(0.0, t[r][cols]);
            if (b < k) {
                x[b] = lo[b] + Math.min(1.0, value) * (hi[b] - lo[b]);
            } else if (b == k) {
                height = floor + value * scale;
            }
        }
        // Rounding may leave either the tableau's height or the cuts' value at x a little low: an upper bound takes the
        // larger.
        return new Top(x, Math.max(height, height(x)));
    }

    private static void pivot(double[][] t, int row, int col, int cols) {
        double[] pivotRow = t[row];
        double p = pivotRow[col];
        for (int c = 0; c <= cols; c++) {
            pivotRow[c] /= p;
        }
        pivotRow[col] = 1.0;
        for (int r = 0; r < t.length; r++) {
            if (r == row) {
                continue;
            }
            double[] other = t[r];
            double f = other[col];
            if (f != 0.0) {
                for (int c = 0; c <= cols; c++) {
                    other[c] -= f * pivotRow[c];
                }
                other[col] = 0.0;
            }
        }
    }
}
