package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Decisions on a catalogue snapshot (the policy, model and sites of {@link DecisionTest}). */
class DatasetEvaluatorTest {
    private static final TieringPolicy POLICY = HeatPolicy.DEFAULTS;
    private static final LogisticScorer SCORER = LogisticScorer.BUILT_IN;
    private static final List<SiteOffer> SITES = DecisionTest.SITES;
    private static final long T0 = 1_700_000_000_000L;
    private static final long GB = 1_000_000_000L;
    private static final String[] OPS = {"GET", "PUT", "HEAD", "LIST"};
    private static final String[] REGIONS = {"us-east", "eu-west", "us-central"};

    @Test
    void shouldPromoteABurstAndPlanACopyTowardsItsReaders() {
        Activity burst = reads("us-east", 30, T0, 10_000);
        long now = T0 + 300_000;

        DatasetEvaluator.Evaluation evaluation = DatasetEvaluator.evaluate(coldOnAzure(false), burst, POLICY, SCORER,
                SITES, now);

        assertEquals(Tier.HOT, evaluation.tier());
        assertEquals(evaluation.heat() + POLICY.scoreBoost() * evaluation.pHotSoon(), evaluation.boostedHeat(), 1e-9);
        assertEquals("aws", evaluation.placement().primary(), "the readers' region, no egress");
        MigrationPlanner.Step step = evaluation.step();
        assertNotNull(step);
        assertEquals(MigrationPlanner.Action.COPY, step.action());
        assertEquals(List.of("azure", "aws"), List.of(step.source(), step.destination()));
        assertEquals(evaluation.placement().storageClass(), step.storageClass());
        assertTrue(evaluation.demotionAtMs() > now && evaluation.demotionAtMs() < Long.MAX_VALUE,
                "a hot dataset is looked at again once its heat can have fallen: " + evaluation.demotionAtMs());
    }

    @Test
    void shouldDecideTheSameButPlanNoStepWhileACommandIsInFlight() {
        Activity burst = reads("us-east", 30, T0, 10_000);
        long now = T0 + 300_000;
        DatasetEvaluator.Evaluation free = DatasetEvaluator.evaluate(coldOnAzure(false), burst, POLICY, SCORER, SITES,
                now);

        DatasetEvaluator.Evaluation busy = DatasetEvaluator.evaluate(coldOnAzure(true), burst, POLICY, SCORER, SITES,
                now);

        assertNull(busy.step());
        assertEquals(free.tier(), busy.tier());
        assertEquals(free.placement(), busy.placement());
        assertEquals(free.demotionAtMs(), busy.demotionAtMs());
    }

    @Test
    void shouldLeaveAnUnreadColdDatasetWhereItIsAndNeverScheduleIt() {
        DatasetEvaluator.Evaluation evaluation = DatasetEvaluator.evaluate(coldOnAzure(false), new Activity(), POLICY,
                SCORER, SITES, T0);

        assertEquals(Tier.COLD, evaluation.tier());
        assertEquals(List.of("azure", "GLACIER_IR"),
                List.of(evaluation.placement().primary(), evaluation.placement().storageClass()), "the cheapest");
        assertNull(evaluation.step(), "already where it belongs");
        assertEquals(Long.MAX_VALUE, evaluation.demotionAtMs(), "no colder tier to fall to");
    }

    @Test
    void shouldScheduleTheNextLookWhenTheHeatHasFallenToTheDemotionThreshold() {
        Activity burst = reads("us-east", 30, T0, 10_000);
        DatasetEvaluator.Evaluation evaluation = DatasetEvaluator.evaluate(coldOnAzure(false), burst, POLICY, SCORER,
                SITES, T0 + 300_000);

        double threshold = TierDecider.demotionThreshold(evaluation.tier(), POLICY)
                - POLICY.scoreBoost() * evaluation.pHotSoon();
        assertEquals(threshold, burst.heatAt(evaluation.demotionAtMs(), POLICY.halfLifeMs()), threshold * 1e-3);
    }

    @Test
    void shouldSayTheTierMayChangeExactlyWhenAnEvaluationWouldChangeIt() {
        // The shortcut (no scoring when both ends of the boost give the same tier) against the full evaluation.
        TieringPolicy negativeBoost = new TieringPolicy("negative", POLICY.halfLifeMs(), POLICY.opWeights(),
                POLICY.bytesWeightPerGb(), POLICY.hotThreshold(), POLICY.warmThreshold(), POLICY.hysteresis(), -5.0,
                POLICY.replicationHot(), POLICY.replicationWarm(), POLICY.replicationCold(), POLICY.defaultSlaMs(),
                POLICY.encryptedOnly(), POLICY.cooldownMs(), POLICY.horizonDays(), POLICY.retireGraceMs(),
                POLICY.latenessMs(), POLICY.decision());
        Random random = new Random(23);
        int tierChanges = 0;
        for (int i = 0; i < 2_000; i++) {
            TieringPolicy policy = i % 2 == 0 ? POLICY : negativeBoost;
            Activity activity = new Activity();
            long at = T0;
            int events = random.nextInt(80);
            long every = 1 + random.nextInt(600_000);
            for (int e = 0; e < events; e++) {
                at += random.nextLong(every);
                activity.record(at, OPS[random.nextInt(OPS.length)], random.nextLong(GB),
                        REGIONS[random.nextInt(REGIONS.length)], "e" + e, policy, at);
            }
            long now = at + random.nextLong(48 * 3_600_000L);
            Tier tier = Tier.values()[random.nextInt(Tier.values().length)];
            DatasetEvaluator.Facts facts = new DatasetEvaluator.Facts("k", GB, null, tier, "azure", List.of(),
                    "GLACIER_IR", 0, false, 0L);

            boolean changes = DatasetEvaluator.evaluate(facts, activity, policy, SCORER, SITES, now).tier() != tier;

            assertEquals(changes, DatasetEvaluator.tierMayChange(activity, GB, tier, null, policy, SCORER, SITES, now),
                    "case " + i + ": " + events + " events, tier " + tier + ", policy " + policy.name());
            tierChanges += changes ? 1 : 0;
        }
        assertTrue(tierChanges > 100 && tierChanges < 1_900, "both answers are checked often: " + tierChanges);
    }

    private static DatasetEvaluator.Facts coldOnAzure(boolean commandInFlight) {
        return new DatasetEvaluator.Facts("k", GB, null, Tier.COLD, "azure", List.of(), "GLACIER_IR", 0,
                commandInFlight, 0L);
    }

    private static Activity reads(String region, int count, long from, long every) {
        Activity activity = new Activity();
        for (int i = 0; i < count; i++) {
            long at = from + i * every;
            activity.record(at, "GET", GB / 10, region, "read-" + i, POLICY, at);
        }
        return activity;
    }

    @Test
    void shouldPriceTheReadsSeenAndTheNextOne() {
        // Two 4 KiB reads 60 days ago by a dataset known for 61: the decayed estimate is nearly nothing, the lifetime
        // average (2 reads in less than a horizon) says 2; the next read makes 3, each of 4 KiB.
        long day = 24L * 3_600_000;
        TieringPolicy policy = costPolicy(90.0);
        Activity activity = new Activity();
        activity.record(T0 - 60 * day, "GET", 4096, "us-east", null, policy, 0);
        activity.record(T0 - 60 * day + 1_000, "GET", 4096, "us-east", null, policy, 0);

        CostBasedTier.Demand demand = DatasetEvaluator.demand(activity, policy, T0 - 61 * day, T0);

        assertEquals(3.0, demand.reads(), 1e-9);
        assertEquals(3 * 4096 / 1e9, demand.totalGb(), 1e-15);
        assertTrue(demand.readSeen());
    }

    @Test
    void shouldSayNoReadIsSeenOfADatasetOnlyWritten() {
        // Written 4 times in its first day, never read: the lifetime average counts the accesses, plus the next read;
        // no bytes read to scale, and no read seen, so a move down waits until it is earned.
        TieringPolicy policy = costPolicy(90.0);
        Activity activity = new Activity();
        for (int i = 0; i < 4; i++) {
            activity.record(T0 - 3_600_000L + i * 1_000L, "PUT", 4096, "us-east", null, policy, 0);
        }

        CostBasedTier.Demand demand = DatasetEvaluator.demand(activity, policy, T0 - 3_600_000L, T0);

        assertEquals(5.0, demand.reads(), 1e-9);
        assertEquals(0.0, demand.totalGb());
        assertFalse(demand.readSeen());
    }

    private static TieringPolicy costPolicy(double horizonDays) {
        TieringPolicy p = TieringPolicy.BUILT_IN;
        return new TieringPolicy("cost", 7 * 24L * 3_600_000, p.opWeights(), 0.0, p.hotThreshold(),
                p.warmThreshold(), 0.25, 0.0, 1, 1, 1, 100.0, false, 0, horizonDays, p.retireGraceMs(),
                p.latenessMs(), TieringPolicy.Decision.COST);
    }
}
