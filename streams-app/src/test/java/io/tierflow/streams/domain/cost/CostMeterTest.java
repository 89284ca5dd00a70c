package io.tierflow.streams.domain.cost;

import static io.tierflow.streams.domain.cost.Prices.AWAY;
import static io.tierflow.streams.domain.cost.Prices.DAY;
import static io.tierflow.streams.domain.cost.Prices.HOME;
import static io.tierflow.streams.domain.cost.Prices.KIB;
import static io.tierflow.streams.domain.cost.Prices.T0;
import static io.tierflow.streams.domain.cost.Prices.gbMonths;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tierflow.streams.domain.SiteOffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostMeterTest {
    private static final double EPS = 1e-15;
    private static final ClassPrices STANDARD = ClassPrices.of(Prices.STANDARD);
    private static final ClassPrices STANDARD_IA = ClassPrices.of(Prices.STANDARD_IA);
    private static final ClassPrices GLACIER_IR = ClassPrices.of(Prices.GLACIER_IR);
    private static final long GB = 1_000_000_000L;

    @Test
    void shouldChargeASmallObjectRemovedEarlyItsMinimumSizeAndDuration() {
        CostMeter meter = new CostMeter();
        meter.placed("k", "aws", STANDARD_IA, 1_000, T0);
        meter.removed("k", "aws", T0 + 10 * DAY);

        CostBreakdown cost = meter.finish(T0 + 50 * DAY);

        assertEquals(gbMonths(128 * KIB, 10 * DAY) * 0.0125, cost.storageUsd(), EPS);
        assertEquals(gbMonths(128 * KIB, 20 * DAY) * 0.0125, cost.earlyDeletionUsd(), EPS);
        assertEquals(0.01 / 1000, cost.migrationUsd(), EPS);
        assertEquals(cost.storageUsd() + cost.earlyDeletionUsd() + cost.migrationUsd(), cost.total(), EPS);
    }

    @Test
    void shouldChargeAResizedCopyOnItsNewSizeWithNoPutAndItsMinimumCountedFromWhenItEntered() {
        CostMeter meter = new CostMeter();
        meter.placed("k", "aws", GLACIER_IR, GB, T0);
        meter.resized("k", "aws", 2 * GB, T0 + 30 * DAY);
        meter.removed("k", "aws", T0 + 60 * DAY);

        CostBreakdown cost = meter.finish(T0 + 60 * DAY);

        assertEquals(0.004 * (1 + 2), cost.storageUsd(), 1e-12, "a month of 1 GB, then a month of 2 GB");
        assertEquals(0.004 * 2, cost.earlyDeletionUsd(), 1e-12, "the 90 days ran from the first PUT: 30 left, 2 GB");
        assertEquals(0.02 / 1000, cost.migrationUsd(), EPS, "one PUT");
    }

    @Test
    void shouldChargeNoEarlyDeletionForACopyStillHeldWhenTheRunEnds() {
        CostMeter meter = new CostMeter();
        meter.placed("k", "aws", GLACIER_IR, GB, T0);

        CostBreakdown cost = meter.finish(T0 + 10 * DAY);

        assertEquals(0.004 / 3, cost.storageUsd(), EPS);
        assertEquals(0.0, cost.earlyDeletionUsd());
    }

    @Test
    void shouldChargeARemoteReadItsRequestRetrievalAndEgress() {
        CostMeter meter = new CostMeter();
        SiteOffer aws = Prices.aws();

        meter.read("k", aws, GLACIER_IR, AWAY, 500_000_000, T0);
        meter.read("k", aws, GLACIER_IR, HOME, 500_000_000, T0);

        CostBreakdown cost = meter.finish(T0);
        assertEquals(2 * 0.01 / 1000, cost.requestUsd(), EPS);
        assertEquals(2 * 0.5 * 0.03, cost.retrievalUsd(), EPS);
        assertEquals(0.5 * 0.09, cost.egressUsd(), EPS);
    }

    @Test
    void shouldChargeAMoveDownItsPutAndAMoveUpItsRetrievalAndTheColdClassEarlyDeletion() {
        CostMeter meter = new CostMeter();
        meter.placed("k", "aws", STANDARD, GB, T0);
        meter.placed("k", "aws", GLACIER_IR, GB, T0 + 10 * DAY); // a lifecycle transition: no retrieval
        meter.placed("k", "aws", STANDARD, GB, T0 + 20 * DAY); // a copy back up: reads Glacier IR

        CostBreakdown cost = meter.finish(T0 + 30 * DAY);

        assertEquals((0.005 + 0.02 + 0.005) / 1000 + 1 * 0.03, cost.migrationUsd(), EPS);
        assertEquals(0.023 / 3 + 0.004 / 3 + 0.023 / 3, cost.storageUsd(), 1e-12);
        assertEquals(0.004 * 80 / 30, cost.earlyDeletionUsd(), 1e-12);
    }

    @Test
    void shouldChargeACrossRegionCopyTheSourceReadItsEgressAndTheTargetPut() {
        SiteOffer aws = Prices.aws();
        SiteOffer azure = new SiteOffer("azure", "AZURE", AWAY, 40, 0.087, true, true, Long.MAX_VALUE, List.of());
        CostMeter meter = new CostMeter();
        meter.placed("k", "aws", STANDARD_IA, GB, T0);

        meter.copied("k", aws, azure, STANDARD, GB, T0 + 40 * DAY);
        meter.removed("k", "aws", T0 + 40 * DAY);

        CostBreakdown cost = meter.finish(T0 + 70 * DAY);
        assertEquals((0.01 + 0.001 + 0.005) / 1000 + 0.01 + 0.09, cost.migrationUsd(), EPS);
        assertEquals(0.0125 * 40 / 30 + 0.023, cost.storageUsd(), 1e-12);
        assertEquals(0.0, cost.earlyDeletionUsd());
    }

    @Test
    void shouldChargeNothingForRemovingACopyItDoesNotHold() {
        CostMeter meter = new CostMeter();
        assertFalse(meter.removed("k", "aws", T0));
        assertEquals(0.0, meter.finish(T0 + DAY).total());
        assertThrows(IllegalStateException.class, () -> meter.removed("k", "aws", T0 + DAY));
    }

    @Test
    void shouldSampleTheCumulativeCostOverTime() {
        CostMeter meter = new CostMeter().sampleEvery(DAY);
        meter.placed("a", "aws", STANDARD, 3 * GB, T0);
        meter.read("a", Prices.aws(), STANDARD, AWAY, GB, T0 + 36 * 3_600_000L);
        meter.placed("b", "aws", GLACIER_IR, GB, T0 + 2 * DAY);

        CostBreakdown total = meter.finish(T0 + 3 * DAY);

        List<CostMeter.Sample> samples = meter.samples();
        assertEquals(List.of(T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY),
                samples.stream().map(CostMeter.Sample::atMs).toList());
        double put = 0.005 / 1000;
        assertEquals(0.0, samples.get(0).cumulative().total()); // a sample comes before the charges of its instant
        assertEquals(put + 3 * 0.023 / 30, samples.get(1).cumulative().total(), 1e-12);
        // the read at 1.5 days is in; b, placed at the very moment of the sample, is not
        assertEquals(put + 2 * 3 * 0.023 / 30 + 0.0004 / 1000 + 0.09, samples.get(2).cumulative().total(), 1e-12);
        assertEquals(total, samples.get(3).cumulative());
        assertEquals(put + 0.02 / 1000 + 3 * 3 * 0.023 / 30 + 0.0004 / 1000 + 0.09 + 0.004 / 30, total.total(),
                1e-12);
    }
}
