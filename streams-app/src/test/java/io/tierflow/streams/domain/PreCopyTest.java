package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Predictive pre-copy: the forecast's heat, and decisions made on it. */
class PreCopyTest {
    private static final long HOUR = 3_600_000L;
    /** An hour's start. */
    private static final long T0 = 1_700_000_000_000L / HOUR * HOUR;
    private static final long GB = 1_000_000_000L;
    private static final LogisticScorer SCORER = LogisticScorer.BUILT_IN;

    /** The built-in policy with no model boost (decisions on heat alone), a hot threshold of 25 and the lookahead. */
    private static TieringPolicy policy(long lookaheadMs) {
        TieringPolicy p = TieringPolicy.BUILT_IN;
        return new TieringPolicy("pre-copy", p.halfLifeMs(), p.opWeights(), 0.0, 25.0, 2.0, p.hysteresis(), 0.0,
                p.replicationHot(), p.replicationWarm(), p.replicationCold(), p.defaultSlaMs(), false, p.cooldownMs(),
                p.horizonDays(), p.retireGraceMs(), p.latenessMs(), TieringPolicy.Decision.HEAT, 0, 0, lookaheadMs);
    }

    /** {@code counts[h]} GETs spread evenly over hour {@code h} from T0. */
    private static Activity hourly(TieringPolicy policy, int... counts) {
        Activity activity = new Activity();
        int id = 0;
        for (int h = 0; h < counts.length; h++) {
            for (int i = 0; i < counts[h]; i++) {
                long at = T0 + h * HOUR + (i * HOUR + HOUR / 2) / counts[h];
                activity.record(at, "GET", GB / 100, "us-east", "e" + id++, policy, at);
            }
        }
        return activity;
    }

    @Test
    void aSteadyForecastProjectsTheHeatItsAccessesAddOverTheLookahead() {
        TieringPolicy policy = policy(HOUR);
        Activity steady = hourly(policy, 4, 4, 4, 4);
        long now = T0 + 4 * HOUR;
        HoltForecast forecast = PreCopy.forecastAt(steady, now);
        assertEquals(4.0, forecast.level(), 1e-9, "four hours of four");
        assertEquals(0.0, forecast.trend(), 1e-9);

        double halfLife = policy.halfLifeMs();
        double decay = Math.pow(2, -HOUR / halfLife);
        double expected = steady.heatAt(now, policy.halfLifeMs()) * decay
                + 4 * (1 - decay) * halfLife / (HOUR * Math.log(2));
        assertEquals(expected, PreCopy.forecastHeat(steady, policy, now), 1e-9);
    }

    @Test
    void climbingAccessesMakeADatasetHotBeforeItsBurstAndOnlyWithPreCopyOn() {
        TieringPolicy on = policy(3 * HOUR);
        TieringPolicy off = policy(0);
        Activity climbing = hourly(on, 2, 4, 8);
        long now = T0 + 3 * HOUR + 60_000;
        double heat = climbing.heatAt(now, on.halfLifeMs());
        assertTrue(heat < on.hotThreshold(), "not hot yet: " + heat);
        double ahead = PreCopy.forecastHeat(climbing, on, now);
        assertTrue(ahead >= on.hotThreshold(), "the forecast says hot within three hours: " + ahead);

        DatasetEvaluator.Evaluation without = DatasetEvaluator.evaluate(coldOnAzure(), climbing, off, SCORER,
                DecisionTest.SITES, now);
        DatasetEvaluator.Evaluation with = DatasetEvaluator.evaluate(coldOnAzure(), climbing, on, SCORER,
                DecisionTest.SITES, now);
        assertEquals(Tier.WARM, without.tier());
        assertEquals(Tier.HOT, with.tier());
        assertEquals(ahead, with.boostedHeat(), 1e-9, "the explanation gives the heat the tier was decided on");
        assertEquals(MigrationPlanner.Action.COPY, with.step().action(), "copied to the hot placement ahead");
        assertEquals(T0 + 4 * HOUR, with.demotionAtMs(), "looked at again when the forecast next changes");
        assertTrue(DatasetEvaluator.tierMayChange(climbing, GB, Tier.WARM, null, on, SCORER, DecisionTest.SITES, now),
                "an access re-decides a dataset the forecast would promote");
        assertTrue(!DatasetEvaluator.tierMayChange(climbing, GB, Tier.WARM, null, off, SCORER, DecisionTest.SITES, now));
    }

    @Test
    void aForecastThatDoesNotComeTrueFadesAndLetsTheDatasetGo() {
        TieringPolicy on = policy(3 * HOUR);
        Activity climbing = hourly(on, 2, 4, 8);
        long later = T0 + 9 * HOUR + 60_000; // six quiet hours
        DatasetEvaluator.Facts heldHot = new DatasetEvaluator.Facts("k", GB, null, Tier.HOT, "aws", List.of(),
                "STANDARD", 0, false, 0L);
        assertTrue(PreCopy.forecastHeat(climbing, on, later) < on.hotThreshold() * (1 - on.hysteresis()));
        DatasetEvaluator.Evaluation evaluation = DatasetEvaluator.evaluate(heldHot, climbing, on, SCORER,
                DecisionTest.SITES, later);
        assertEquals(Tier.WARM, evaluation.tier());
        assertTrue(evaluation.demotionAtMs() > later, "never due again at once");
    }

    @Test
    void aDatasetWithNoForecastYetIsDecidedOnItsHeat() {
        TieringPolicy on = policy(3 * HOUR);
        Activity oneHour = hourly(on, 10);
        long now = T0 + 30 * 60_000;
        assertEquals(oneHour.heatAt(now, on.halfLifeMs()), PreCopy.forecastHeat(oneHour, on, now), 1e-12);
        assertEquals(0.0, PreCopy.forecastHeat(new Activity(), on, now), 1e-12);
    }

    private static DatasetEvaluator.Facts coldOnAzure() {
        return new DatasetEvaluator.Facts("k", GB, null, Tier.COLD, "azure", List.of(), "GLACIER_IR", 0, false, 0L);
    }
}
