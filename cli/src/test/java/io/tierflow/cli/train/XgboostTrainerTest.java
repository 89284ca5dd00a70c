package io.tierflow.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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

    @Test
    void shouldValidateTheTreeSettingsOnTheLatestTrainingPointsOnly() {
        // A day's horizon over 20 days: the training part holds a validation split with a training part of its own.
        long day = 86_400_000L;
        List<LabelledPoint> train = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            double x = random.nextDouble();
            train.add(new LabelledPoint("d" + i % 50, i * 20 * day / 2_000, LabelledPoint.Kind.PERIODIC,
                    new double[] {x, random.nextDouble()}, x > 0.6 ^ random.nextInt(10) == 0, 0, 0, null));
        }

        XgboostTrainer.TreeChoice choice = XgboostTrainer.chooseTrees(List.of("x", "noise"), train, day, 1);

        assertEquals(XgboostTrainer.TREE_GRID, List.copyOf(choice.validationAuc().keySet()), "every setting tried");
        double best = choice.validationAuc().get(choice.settings());
        choice.validationAuc().values().forEach(auc -> assertTrue(auc <= best, choice.toString()));
        assertTrue(best > 0.8 && best < 0.95, "the planted rule with 10 % of labels flipped: " + best);
        assertTrue(choice.how().startsWith("validated: trained on "), choice.how());
        // the latest 30 % validate; the training points are those whose day-long label window ends before them
        assertTrue(choice.how().contains("trained on 1300 training points, measured on the 600 latest"), choice.how());
    }

    @Test
    void shouldKeepTheFixedTreeSettingsWhenTheTrainingPartIsTooShortToValidate() {
        long day = 86_400_000L;
        List<LabelledPoint> train = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // 10 days of points and a 30-day horizon: no validation point has a training point 30 days before it
            train.add(new LabelledPoint("d" + i, i * day / 10, LabelledPoint.Kind.PERIODIC, new double[] {i},
                    i % 3 == 0, 0, 0, null));
        }

        XgboostTrainer.TreeChoice choice = XgboostTrainer.chooseTrees(List.of("x"), train, 30 * day, 1);

        assertEquals(XgboostTrainer.FIXED_TREES, choice.settings());
        assertTrue(choice.validationAuc().isEmpty());
        assertTrue(choice.how().startsWith("fixed: no validation split"), choice.how());
    }
}
