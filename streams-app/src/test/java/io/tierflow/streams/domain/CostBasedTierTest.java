package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cost-based tier against hand-computed cases on one site with S3's list prices (Standard / Standard-IA / Glacier
 * Instant Retrieval: storage per GB-month, retrieval per GB, GET and PUT per 1000, minimum days, minimum bytes).
 */
class CostBasedTierTest {
    private static final long KIB = 1024;
    private static final long MB = 1_000_000L;
    private static final long DAY = 24L * 3_600_000;
    private static final long NOW = 1_700_000_000_000L;
    private static final SiteOffer.StorageClassOffer STANDARD = new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT,
            0.023, 0.0, 0.0004, 0.005, 0, 0, 0.0);
    private static final SiteOffer.StorageClassOffer IA = new SiteOffer.StorageClassOffer("STANDARD_IA", Tier.WARM,
            0.0125, 0.01, 0.001, 0.01, 30, 128 * KIB, 0.0);
    private static final SiteOffer.StorageClassOffer GLACIER_IR = new SiteOffer.StorageClassOffer("GLACIER_IR",
            Tier.COLD, 0.004, 0.03, 0.01, 0.02, 90, 128 * KIB, 0.0);
    private static final List<SiteOffer> AWS = List.of(new SiteOffer("aws", "aws", "us-east", 25, 0.09, true, true,
            Long.MAX_VALUE, List.of(STANDARD, IA, GLACIER_IR)));
    /** Costs over 30 days, one copy per tier, a 25 % hysteresis. */
    private static final TieringPolicy POLICY = policy(30.0, 0.25);

    @Test
    void shouldSendABigObjectReadInSmallRangesToTheColdClass() {
        // 100 MB read 40 times in 1 MB ranges over a 90-day horizon.
        CostBasedTier.Demand demand = new CostBasedTier.Demand(40, Map.of("us-east", 40 * MB / 1e9));

        CostBasedTier.Choice choice = CostBasedTier.choose(inStandard(100 * MB, 0), demand, policy(90.0, 0.25), AWS,
                NOW);

        CostBasedTier.Candidate hot = choice.candidates().get(0);
        CostBasedTier.Candidate cold = choice.candidates().get(2);
        // Staying: 0.1 GB x 0.023 x 3 months, 40 GETs at 0.0004/1000.
        assertEquals(0.1 * 0.023 * 3, hot.storageUsd(), 1e-12);
        assertEquals(40 * 0.0004 / 1000, hot.readsUsd(), 1e-12);
        assertEquals(0.0, hot.oneOffUsd(), 1e-12);
        // Glacier IR: 0.1 GB x 0.004 x 3 months; 40 GETs at 0.01/1000 and 0.04 GB retrieved at 0.03; the copy reads
        // the whole object out of Standard (one GET, no retrieval fee) and PUTs it.
        assertEquals(0.1 * 0.004 * 3, cold.storageUsd(), 1e-12);
        assertEquals(40 * 0.01 / 1000 + 0.04 * 0.03, cold.readsUsd(), 1e-12);
        assertEquals(0.0004 / 1000 + 0.02 / 1000, cold.oneOffUsd(), 1e-12);
        assertEquals(Tier.COLD, choice.tier(), "about 0.0028 against 0.0069 in Standard and 0.0042 in Standard-IA");
        assertEquals("GLACIER_IR", choice.placement().storageClass());

        CostBasedTier.Choice shortHorizon = CostBasedTier.choose(inStandard(100 * MB, 0), demand, POLICY, AWS, NOW);
        assertEquals(Tier.WARM, shortHorizon.tier(), "over 30 days, Glacier IR's 90-day minimum makes it dearer");
    }

    @Test
    void shouldKeepASmallObjectReadOftenInTheHotClass() {
        // 10 KB read 1000 times: Glacier IR bills 128 KiB and charges GETs 25 times Standard's.
        CostBasedTier.Demand demand = new CostBasedTier.Demand(1000, Map.of("us-east", 1000 * 10_000 / 1e9));

        CostBasedTier.Choice choice = CostBasedTier.choose(inStandard(10_000, 0), demand, POLICY, AWS, NOW);

        CostBasedTier.Candidate hot = choice.candidates().get(0);
        CostBasedTier.Candidate warm = choice.candidates().get(1);
        assertEquals(10_000 / 1e9 * 0.023 + 1000 * 0.0004 / 1000, hot.totalUsd(), 1e-12);
        assertEquals(128 * KIB / 1e9 * 0.0125 + 1000 * 0.001 / 1000 + 0.01 * 0.01
                + 0.0004 / 1000 + 0.01 / 1000, warm.totalUsd(), 1e-12);
        assertEquals(Tier.HOT, choice.tier());
        assertEquals(Long.MAX_VALUE, choice.reconsiderAtMs(), "the hot class stays cheapest however the reads decay");
    }

    @Test
    void shouldChargeTheRestOfTheMinimumDurationWhenLeavingAClassEarly() {
        // 1 GB in Glacier IR since 60 days ago: leaving now costs the remaining 30 days of it.
        DatasetEvaluator.Facts inGlacier = new DatasetEvaluator.Facts("k", 1_000_000_000L, null, Tier.COLD, "aws",
                List.of(), "GLACIER_IR", NOW - 60 * DAY, false, 0L);
        DatasetEvaluator.Facts pastMinimum = new DatasetEvaluator.Facts("k", 1_000_000_000L, null, Tier.COLD, "aws",
                List.of(), "GLACIER_IR", NOW - 91 * DAY, false, 0L);
        CostBasedTier.Demand heavy = new CostBasedTier.Demand(2000, Map.of("us-east", 2.0));

        CostBasedTier.Candidate early = CostBasedTier.choose(inGlacier, heavy, POLICY, AWS, NOW).candidates().get(0);
        CostBasedTier.Candidate late = CostBasedTier.choose(pastMinimum, heavy, POLICY, AWS, NOW).candidates().get(0);

        double copyOut = 0.01 / 1000 + 1.0 * 0.03 + 0.005 / 1000; // GET and retrieval out of Glacier IR, PUT
        assertEquals(copyOut + 1.0 * 0.004 * 1.0, early.oneOffUsd(), 1e-12, "30 days left of the 90");
        assertEquals(copyOut, late.oneOffUsd(), 1e-12, "the minimum is served: no early deletion");
    }

    @Test
    void shouldKeepTheTierWhenTheSavingIsWithinTheHysteresis() {
        // 1 GB, reads such that Standard-IA is a little cheaper than Standard, but by less than 25 %.
        CostBasedTier.Demand demand = new CostBasedTier.Demand(100, Map.of("us-east", 0.8));
        DatasetEvaluator.Facts hot = inStandard(1_000_000_000L, NOW - 100 * DAY);

        CostBasedTier.Choice kept = CostBasedTier.choose(hot, demand, POLICY, AWS, NOW);
        CostBasedTier.Choice eager = CostBasedTier.choose(hot, demand, policy(30.0, 0.0), AWS, NOW);

        CostBasedTier.Candidate standard = kept.candidates().get(0);
        CostBasedTier.Candidate ia = kept.candidates().get(1);
        assertTrue(ia.totalUsd() < standard.totalUsd() && ia.totalUsd() > 0.75 * standard.totalUsd(),
                "the case is built so: " + ia.totalUsd() + " vs " + standard.totalUsd());
        assertEquals(Tier.HOT, kept.tier());
        assertEquals(Tier.WARM, eager.tier());
    }

    @Test
    void shouldLookAgainWhenTheDecayingReadsMakeTheColdClassCheaper() {
        // Hot because of heavy reads; with no more reads they halve every half-life (a week).
        DatasetEvaluator.Facts dataset = inStandard(1_000_000_000L, NOW - 100 * DAY);
        CostBasedTier.Demand demand = new CostBasedTier.Demand(100_000, Map.of("us-east", 100.0));
        CostBasedTier.Choice now = CostBasedTier.choose(dataset, demand, POLICY, AWS, NOW);
        assertEquals(Tier.HOT, now.tier());
        long at = now.reconsiderAtMs();
        assertTrue(at > NOW && at < Long.MAX_VALUE, "a time to look again: " + at);

        double factor = Math.pow(2.0, -(double) (at - NOW) / POLICY.halfLifeMs());
        double before = Math.pow(2.0, -(double) (at - 60_000 - NOW) / POLICY.halfLifeMs());
        assertTrue(CostBasedTier.choose(dataset, scaled(demand, factor), POLICY, AWS, at).tier() != Tier.HOT,
                "at the time given another tier wins");
        assertEquals(Tier.HOT, CostBasedTier.choose(dataset, scaled(demand, before), POLICY, AWS, at - 60_000).tier(),
                "a minute before, it does not yet");
    }

    @Test
    void shouldDemoteANewDatasetOnlyOnceTheStorageItWouldHaveSavedPaysForTheMove() {
        CostBasedTier.Demand none = new CostBasedTier.Demand(0, Map.of());
        DatasetEvaluator.Facts big = fresh(1_000_000_000L);
        DatasetEvaluator.Facts small = fresh(1_000_000L);

        CostBasedTier.Choice bigNow = CostBasedTier.choose(big, none, policy(90.0, 0.25), AWS, NOW);
        CostBasedTier.Choice smallNow = CostBasedTier.choose(small, none, policy(90.0, 0.25), AWS, NOW);

        // 1 GB saves 0.019 USD a month in Glacier IR, the cheapest over the horizon; the move (Standard's GET, Glacier
        // IR's PUT) costs 2.04e-5 USD: earned after 2.04e-5 / 0.019 of a month, about 46 minutes. Standard-IA would be
        // earned sooner, but a step there would be paid for and then block the move to Glacier IR.
        double bigWait = (0.0004 / 1000 + 0.02 / 1000) / (0.023 - 0.004) * 30 * DAY;
        assertEquals(Tier.HOT, bigNow.tier(), "watched for a minute: not earned yet");
        assertEquals(NOW - 60_000 + (long) Math.ceil(bigWait), bigNow.reconsiderAtMs(), 1.0);
        assertEquals(Tier.COLD, CostBasedTier.choose(big, none, policy(90.0, 0.25), AWS,
                bigNow.reconsiderAtMs()).tier(), "earned: the cold class pays");
        // 1 MB saves a thousandth of that: its move is earned only after about a month.
        assertEquals(Tier.HOT, CostBasedTier.choose(small, none, policy(90.0, 0.25), AWS, NOW + 20 * DAY).tier());
        assertTrue(smallNow.reconsiderAtMs() > NOW + 25 * DAY, "a month for 1 MB: " + smallNow.reconsiderAtMs());
    }

    @Test
    void shouldMoveAnExtentReadAFewTimesWithoutWaitingTheMonthANeverReadOneWaits() {
        // A 1 MiB extent known for two days, read twice in 4 KiB blocks: priced on those two reads and the next one.
        long mib = 1024 * KIB;
        DatasetEvaluator.Facts extent = new DatasetEvaluator.Facts("k", mib, null, Tier.HOT, "aws", List.of(),
                "STANDARD", 0, false, NOW - 2 * DAY);
        CostBasedTier.Demand read = new CostBasedTier.Demand(3, Map.of("us-east", 3 * 4 * KIB / 1e9), true);

        CostBasedTier.Choice choice = CostBasedTier.choose(extent, read, policy(90.0, 0.25), AWS, NOW);

        double gb = mib / 1e9;
        CostBasedTier.Candidate standard = choice.candidates().get(0);
        CostBasedTier.Candidate ia = choice.candidates().get(1);
        // Standard: 3 months of storage, 3 GETs. Standard-IA: 3 months (more than its 30-day minimum), 3 GETs and
        // 12 KiB retrieved, and the move: Standard's GET and Standard-IA's PUT.
        assertEquals(gb * 0.023 * 3 + 3 * 0.0004 / 1000, standard.totalUsd(), 1e-12);
        assertEquals(gb * 0.0125 * 3 + 3 * 0.001 / 1000 + 3 * 4 * KIB / 1e9 * 0.01 + 0.0004 / 1000 + 0.01 / 1000,
                ia.totalUsd(), 1e-12);
        assertTrue(ia.totalUsd() < 0.75 * standard.totalUsd(), "beyond the hysteresis: " + ia.totalUsd());
        assertEquals(Tier.WARM, choice.tier(), "its reads are seen: no month-long wait on top of them");

        // Never read: only the next read is priced, and the move waits until it is earned (about a month for 1 MiB).
        CostBasedTier.Demand unread = new CostBasedTier.Demand(1, Map.of(), false);
        CostBasedTier.Choice waiting = CostBasedTier.choose(extent, unread, policy(90.0, 0.25), AWS, NOW);
        assertEquals(Tier.HOT, waiting.tier());
        assertTrue(waiting.reconsiderAtMs() > NOW + 20 * DAY, "earned after about a month: " + waiting.reconsiderAtMs());
    }

    @Test
    void shouldKeepAnExtentReadEveryDayInTheHotClass() {
        // The same extent read once a day: 90 reads and the next over the horizon pay for Standard.
        long mib = 1024 * KIB;
        DatasetEvaluator.Facts extent = new DatasetEvaluator.Facts("k", mib, null, Tier.HOT, "aws", List.of(),
                "STANDARD", 0, false, NOW - 100 * DAY);
        CostBasedTier.Demand daily = new CostBasedTier.Demand(91, Map.of("us-east", 91 * 4 * KIB / 1e9), true);

        CostBasedTier.Choice choice = CostBasedTier.choose(extent, daily, policy(90.0, 0.25), AWS, NOW);

        CostBasedTier.Candidate standard = choice.candidates().get(0);
        CostBasedTier.Candidate ia = choice.candidates().get(1);
        assertTrue(ia.totalUsd() > 0.75 * standard.totalUsd(), ia.totalUsd() + " vs " + standard.totalUsd());
        assertEquals(Tier.HOT, choice.tier());
    }

    private static DatasetEvaluator.Facts fresh(long size) {
        return new DatasetEvaluator.Facts("k", size, null, null, "aws", List.of(), "STANDARD", 0, false,
                NOW - 60_000);
    }

    private static CostBasedTier.Demand scaled(CostBasedTier.Demand demand, double factor) {
        return new CostBasedTier.Demand(demand.reads() * factor, Map.of("us-east", demand.totalGb() * factor));
    }

    private static DatasetEvaluator.Facts inStandard(long size, long lastMoveAt) {
        return new DatasetEvaluator.Facts("k", size, null, Tier.HOT, "aws", List.of(), "STANDARD", lastMoveAt, false,
                0L);
    }

    private static TieringPolicy policy(double horizonDays, double hysteresis) {
        TieringPolicy p = TieringPolicy.BUILT_IN;
        return new TieringPolicy("cost", 7 * DAY, p.opWeights(), 0.0, p.hotThreshold(), p.warmThreshold(), hysteresis,
                0.0, 1, 1, 1, 100.0, false, 0, horizonDays, p.retireGraceMs(), p.latenessMs(),
                TieringPolicy.Decision.COST);
    }
}
