package io.tierflow.streams.domain.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CuttingPlaneModelTest {
    @Test
    void shouldFindTheModelsTopInABoxNoGridPointBeats() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 300; round++) {
            int dimensions = 1 + random.nextInt(3);
            CuttingPlaneModel model = new CuttingPlaneModel(dimensions);
            int cuts = 1 + random.nextInt(12);
            for (int c = 0; c < cuts; c++) {
                double[] at = new double[dimensions];
                double[] slope = new double[dimensions];
                for (int j = 0; j < dimensions; j++) {
                    at[j] = random.nextDouble() * 10;
                    slope[j] = random.nextGaussian() * 1e3;
                }
                model.add(at, random.nextGaussian() * 1e4, slope);
            }
            double[] lo = new double[dimensions];
            double[] hi = new double[dimensions];
            for (int j = 0; j < dimensions; j++) {
                lo[j] = random.nextDouble() * 3;
                hi[j] = lo[j] + 0.01 + random.nextDouble() * 5;
            }

            CuttingPlaneModel.Top top = model.maximise(lo, hi);

            String where = "round " + round;
            for (int j = 0; j < dimensions; j++) {
                assertTrue(top.x()[j] >= lo[j] - 1e-9 && top.x()[j] <= hi[j] + 1e-9, where + ": outside the box");
            }
            assertEquals(model.height(top.x()), top.height(), 1e-6 * Math.max(1, Math.abs(top.height())), where);
            double gridBest = gridBest(model, lo, hi, dimensions);
            assertTrue(top.height() >= gridBest - 1e-6 * Math.max(1, Math.abs(gridBest)),
                    where + ": the grid found " + gridBest + " above " + top.height());
        }
    }

    /** The model's highest value on a 41-point-per-axis grid over the box (corners included). */
    private static double gridBest(CuttingPlaneModel model, double[] lo, double[] hi, int dimensions) {
        int steps = 40;
        int points = (int) Math.pow(steps + 1, dimensions);
        double best = Double.NEGATIVE_INFINITY;
        double[] x = new double[dimensions];
        for (int p = 0; p < points; p++) {
            int rest = p;
            for (int j = 0; j < dimensions; j++) {
                x[j] = lo[j] + (hi[j] - lo[j]) * (rest % (steps + 1)) / steps;
                rest /= steps + 1;
            }
            best = Math.max(best, model.height(x));
        }
        return best;
    }
}
