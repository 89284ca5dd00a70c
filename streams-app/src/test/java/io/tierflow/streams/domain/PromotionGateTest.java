package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cost decision's promotion gate against the full choice it stands in front of, on a catalogue like the local
 * stack's: a provider with three classes, one with a single cheap class, one in another region.
 */
class PromotionGateTest {
    private static final long KIB = 1024;
    private static final long MB = 1_000_000L;
    private static final long DAY = 24L * 3_600_000;
    private static final long NOW = 1_700_000_000_000L;
    private static final List<SiteOffer> SITES = List.of(
            new SiteOffer("aws", "aws", "us-east", 25, 0.09, true, true, Long.MAX_VALUE, List.of(
                    new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT, 0.023, 0.0, 0.0004, 0.005, 0, 0, 0.0),
                    new SiteOffer.StorageClassOffer("STANDARD_IA", Tier.WARM, 0.0125, 0.01, 0.001, 0.01, 30,
                            128 * KIB, 0.0),
                    new SiteOffer.StorageClassOffer("GLACIER_IR", Tier.COLD, 0.004, 0.03, 0.01, 0.02, 90, 128 * KIB,
                            0.0))),
            new SiteOffer("gcp", "gcp", "us-central", 30, 0.12, true, true, Long.MAX_VALUE, List.of(
                    new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT, 0.020, 0.0, 0.0004, 0.005, 0, 0, 0.0),
                    new SiteOffer.StorageClassOffer("NEARLINE", Tier.WARM, 0.010, 0.01, 0.001, 0.01, 30, 0, 0.0))),
            new SiteOffer("onprem", "onprem", "eu-west", 8, 0.0, true, true, Long.MAX_VALUE, List.of(
                    new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT, 0.010, 0.0, 0.0, 0.0, 0, 0, 0.0))));
    private static final String[] REGIONS = {"us-east", "us-central", "eu-west"};

    @Test
    void shouldNotLookAtADatasetAlreadyInTheCheapestClassHoweverOftenItIsRead() {
        // The single class of the disk array serves every tier: a warm dataset there pays nothing per read, so no read
        // makes a hotter class pay, although aws's standard class beats aws's infrequent one after a few.
        TieringPolicy policy = policy(0.25);
        long size = 2 * MB;
        Activity activity = new Activity();
        DatasetEvaluator.Facts facts = facts(size, Tier.WARM, "onprem", "STANDARD");
        activity.record(NOW - DAY, "GET", size, "eu-west", null, policy, 0);
        CostBasedTier.Choice first = choose(facts, activity, policy, NOW - DAY);
        assertEquals(Tier.WARM, first.tier(), "cheapest where it is");
        PromotionGate.StayingCost staying = staying(first, facts);

        for (int i = 0; i < 5_000; i++) {
            long at = NOW - DAY + i * 10_000L;
            activity.record(at, "GET", size, REGIONS[i % 3], null, policy, 0);
            assertFalse(PromotionGate.promotionMayPay(activity, size, Tier.WARM, staying, policy, SITES, at),
                    "read " + i);
        }
        assertEquals(Tier.WARM, choose(facts, activity, policy, NOW).tier(), "and the full choice agrees");
    }

    @Test
    void shouldSayAPromotionMayPayWhenTheReadsOutweighTheStorage() {
        TieringPolicy policy = policy(0.25);
        long size = 100 * MB;
        DatasetEvaluator.Facts facts = facts(size, Tier.COLD, "aws", "GLACIER_IR");
        Activity activity = new Activity();
        activity.record(NOW - DAY, "GET", MB, "us-east", null, policy, 0);
        CostBasedTier.Choice first = choose(facts, activity, policy, NOW - DAY);
        assertEquals(Tier.COLD, first.tier());
        PromotionGate.StayingCost staying = staying(first, facts);
        assertFalse(PromotionGate.promotionMayPay(activity, size, Tier.COLD, staying, policy, SITES, NOW - DAY));

        for (int i = 0; i < 2000; i++) {
            activity.record(NOW - i * 1000L, "GET", 100 * MB, "us-east", null, policy, 0);
        }
        assertTrue(PromotionGate.promotionMayPay(activity, size, Tier.COLD, staying, policy, SITES, NOW));
        assertTrue(choose(facts, activity, policy, NOW).tier().hotterThan(Tier.COLD), "the full choice promotes");
        assertFalse(PromotionGate.promotionMayPay(activity, size, Tier.HOT, staying, policy, SITES, NOW),
                "nothing is hotter");
        assertTrue(PromotionGate.promotionMayPay(activity, size, Tier.COLD, null, policy, SITES, NOW),
                "not priced yet: look");
    }

    @Test
    void shouldNeverSayNoWhenTheFullChoicePromotesAndSaveMostLooks() {
        Random random = new Random(42);
        int promotions = 0;
        int asked = 0;
        int saved = 0;
        int lateral = 0;
        for (int i = 0; i < 1_500; i++) {
            TieringPolicy policy = policy(random.nextDouble() * 0.5);
            // Without the disk array in most cases: it is the cheapest class for any demand, so nothing leaves it.
            List<SiteOffer> sites = random.nextInt(4) == 0 ? SITES : SITES.subList(0, 2);
            long size = (long) Math.pow(10, 3 + random.nextDouble() * 7); // 1 KB .. 10 GB
            long bytesPerRead = 1 + (long) (random.nextDouble() * size);
            Activity activity = new Activity();
            long at = NOW - 60 * DAY;
            for (int r = random.nextInt(50); r > 0; r--) {
                at += random.nextLong(DAY);
                activity.record(at, "GET", bytesPerRead, REGIONS[random.nextInt(3)], null, policy, 0);
            }
            // The look that placed it, from where it was: its decision and what staying there costs.
            SiteOffer site = sites.get(random.nextInt(sites.size()));
            SiteOffer.StorageClassOffer held = site.classes().get(random.nextInt(site.classes().size()));
            DatasetEvaluator.Facts before = facts(size, held.tier(), site.name(), held.name());
            CostBasedTier.Choice look = choose(before, activity, policy, sites, at);
            if (look.tier() == Tier.HOT) {
                continue;
            }
            PromotionGate.StayingCost staying = staying(look, before, sites);
            // Its copy stays where it is until the move the look decided completes (then it is looked at again).
            DatasetEvaluator.Facts after = new DatasetEvaluator.Facts("k", size, null, look.tier(), site.name(),
                    List.of(), held.name(), 0, !look.placement().primary().equals(site.name()), NOW - 90 * DAY);
            boolean lateralCase = false;
            // Then a run of reads, each asked at the gate; the full choice is the judge.
            for (int r = random.nextInt(400); r > 0; r--) {
                at += random.nextLong(3_600_000L);
                activity.record(at, "GET", bytesPerRead, REGIONS[random.nextInt(3)], null, policy, 0);
                boolean gate = PromotionGate.promotionMayPay(activity, size, look.tier(), staying, policy, sites, at);
                asked++;
                CostBasedTier.Choice now = choose(after, activity, policy, sites, at);
                if (now.tier().hotterThan(look.tier())) {
                    if (!gate && !samePlacement(now, look)) {
                        // The full choice measured the hotter tier against its tier's best placement, which has moved
                        // away from where the look put it: a lateral move waits for a look as it always has, and the
                        // promotion for the reads that pay for it where the dataset is.
                        lateralCase = true;
                        continue;
                    }
                    promotions++;
                    assertTrue(gate, "the gate must let every promotion through: case " + i + ", size " + size);
                    break;
                }
                saved += gate ? 0 : 1;
            }
            lateral += lateralCase ? 1 : 0;
        }
        assertTrue(promotions > 50, "the cases include promotions: " + promotions);
        assertTrue(lateral < promotions / 10, "promotions only against a placement moved away are rare: " + lateral);
        assertTrue(saved > asked / 2, "the gate saves most looks: " + saved + " of " + asked);
    }

    /** Whether the candidate of the tier {@code look} chose is still placed where {@code look} placed it. */
    private static boolean samePlacement(CostBasedTier.Choice now, CostBasedTier.Choice look) {
        for (CostBasedTier.Candidate candidate : now.candidates()) {
            if (candidate.tier() == look.tier()) {
                return candidate.placement().primary().equals(look.placement().primary())
                        && candidate.placement().storageClass().equals(look.placement().storageClass());
            }
        }
        return false;
    }

    private static CostBasedTier.Choice choose(DatasetEvaluator.Facts facts, Activity activity, TieringPolicy policy,
            long now) {
        return choose(facts, activity, policy, SITES, now);
    }

    private static CostBasedTier.Choice choose(DatasetEvaluator.Facts facts, Activity activity, TieringPolicy policy,
            List<SiteOffer> sites, long now) {
        return CostBasedTier.choose(facts, DatasetEvaluator.demand(activity, policy, facts.knownSinceMs(), now),
                policy, sites, now);
    }

    private static PromotionGate.StayingCost staying(CostBasedTier.Choice choice, DatasetEvaluator.Facts facts) {
        return staying(choice, facts, SITES);
    }

    private static PromotionGate.StayingCost staying(CostBasedTier.Choice choice, DatasetEvaluator.Facts facts,
            List<SiteOffer> sites) {
        for (CostBasedTier.Candidate candidate : choice.candidates()) {
            if (candidate.tier() == choice.tier()) {
                PromotionGate.StayingCost staying = PromotionGate.StayingCost.of(candidate, facts, sites);
                assertNotNull(staying);
                return staying;
            }
        }
        throw new AssertionError("no candidate of the chosen tier");
    }

    private static DatasetEvaluator.Facts facts(long size, Tier tier, String site, String storageClass) {
        return new DatasetEvaluator.Facts("k", size, null, tier, site, List.of(), storageClass, 0, false,
                NOW - 90 * DAY);
    }

    private static TieringPolicy policy(double hysteresis) {
        TieringPolicy p = TieringPolicy.BUILT_IN;
        return new TieringPolicy("cost", 7 * DAY, p.opWeights(), 0.0, p.hotThreshold(), p.warmThreshold(), hysteresis,
                0.0, 1, 1, 1, 100.0, false, 0, 90.0, p.retireGraceMs(), p.latenessMs(), TieringPolicy.Decision.COST);
    }
}
