package io.tierflow.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class XgboostTrainerTest {

    @Test
    void shouldSendEveryDoubleTheWayXgboostsFloatComparisonDoes() {
        Random random = new Random(9);
        for (int i = 0; i < 200_000; i++) {
            float condition = (float) ((random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(12) - 4));
            double threshold = XgboostTrainer.doubleThreshold(condition);
            // values right around the condition and the midpoint below it, where float rounding decides
            double[] near = {condition, Math.nextDown((double) condition), Math.nextUp((double) condition),
                    threshold, Math.nextDown(threshold), Math.nextUp(threshold), Math.nextDown(condition),
                    condition + (random.nextDouble() - 0.5) * Math.ulp(condition) * 4};
            for (double x : near) {
                assertEquals((float) x < condition, x < threshold, "x=" + x + " condition=" + condition);
            }
        }
    }
}
