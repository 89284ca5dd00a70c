package io.tierflow.streams.domain.cost;

import static io.tierflow.streams.domain.cost.Prices.AWAY;
import static io.tierflow.streams.domain.cost.Prices.DAY;
import static io.tierflow.streams.domain.cost.Prices.HOME;
import static io.tierflow.streams.domain.cost.Prices.KIB;
import static io.tierflow.streams.domain.cost.Prices.T0;
import static io.tierflow.streams.domain.cost.Prices.gbMonths;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselinesTest {
    private static final long GB = 1_000_000_000L;
    private static final double EPS = 1e-12;
    private static final double MONITORING = 0.0025 / 1000;
    private final SiteOffer aws = Prices.aws();

    private static ObjectAccesses object(long size, long... readsAtDayMs) {
        List<ObjectAccesses.Access> reads = new java.util.ArrayList<>();
        for (long at : readsAtDayMs) {
            reads.add(new ObjectAccesses.Access(T0 + at, size, HOME));
        }
        return ObjectAccesses.of("k", size, T0, reads);
    }

    @Test
    void allHotShouldKeepEverythingInTheHotClassAndPayEveryRead() {
        ObjectAccesses object = ObjectAccesses.of("k", GB, T0, List.of(new ObjectAccesses.Access(T0 + DAY, GB, AWAY),
                new ObjectAccesses.Access(T0 + 95 * DAY, GB / 2, HOME)));

        PricedObject priced = Baselines.allHot(object, aws, T0 + 120 * DAY);

        CostBreakdown cost = priced.cost();
        assertEquals(0.023 * 4, cost.storageUsd(), EPS);
        assertEquals(2 * 0.0004 / 1000, cost.requestUsd(), EPS);
        assertEquals(0.09, cost.egressUsd(), EPS);
        assertEquals(0.005 / 1000, cost.migrationUsd(), EPS);
        assertEquals(0.0, cost.retrievalUsd() + cost.earlyDeletionUsd() + cost.monitoringUsd());
        assertEquals(List.of(new PricedObject.Stay(T0, "STANDARD", Tier.HOT)), priced.schedule());
    }

    @Test
    void lifecycleShouldMoveAt30And90DaysOfAgeWhateverTheReads() {
        // read at 30 days less a millisecond: still Standard; at 90 days exactly: already Glacier IR
        PricedObject priced = Baselines.lifecycleByAge(object(GB, 30 * DAY - 1, 90 * DAY), aws, T0 + 100 * DAY);

        CostBreakdown cost = priced.cost();
        assertEquals(List.of(new PricedObject.Stay(T0, "STANDARD", Tier.HOT),
                new PricedObject.Stay(T0 + 30 * DAY, "STANDARD_IA", Tier.WARM),
                new PricedObject.Stay(T0 + 90 * DAY, "GLACIER_IR", Tier.COLD)), priced.schedule());
        assertEquals(0.023 + 0.0125 * 2 + 0.004 / 3, cost.storageUsd(), EPS);
        assertEquals((0.0004 + 0.01) / 1000, cost.requestUsd(), EPS);
        assertEquals(0.03, cost.retrievalUsd(), EPS);
        assertEquals((0.005 + 0.01 + 0.02) / 1000, cost.migrationUsd(), EPS);
        assertEquals(0.0, cost.earlyDeletionUsd());
    }

    @Test
    void lifecycleShouldChargeASmallObjectTheColdClassesMinimumBillableSize() {
        PricedObject priced = Baselines.lifecycleByAge(object(1_000), aws, T0 + 120 * DAY);

        assertEquals(gbMonths(1_000, 30 * DAY) * 0.023 + gbMonths(128 * KIB, 60 * DAY) * 0.0125
                + gbMonths(128 * KIB, 30 * DAY) * 0.004, priced.cost().storageUsd(), 1e-15);
    }

    @Test
    void lifecycleShouldNotMoveAnObjectYoungerThan30DaysWhenTheRunEnds() {
        PricedObject priced = Baselines.lifecycleByAge(object(GB), aws, T0 + 30 * DAY - 1);

        assertEquals(List.of(new PricedObject.Stay(T0, "STANDARD", Tier.HOT)), priced.schedule());
    }

    @Test
    void intelligentTieringShouldMoveAnUnreadObjectAt30And90DaysAndMonitorIt() {
        PricedObject priced = Baselines.intelligentTiering(object(GB), aws, T0 + 100 * DAY);

        CostBreakdown cost = priced.cost();
        assertEquals(List.of(T0, T0 + 30 * DAY, T0 + 90 * DAY),
                priced.schedule().stream().map(PricedObject.Stay::fromMs).toList());
        assertEquals(0.023 + 0.0125 * 2 + 0.004 / 3, cost.storageUsd(), EPS);
        assertEquals(MONITORING * 100 / 30, cost.monitoringUsd(), 1e-15);
        assertEquals(0.005 / 1000, cost.migrationUsd(), EPS); // the upload; its own moves are free
    }

    @Test
    void intelligentTieringShouldBringAReadObjectBackToFrequentWithoutRetrievalFees() {
        // unread for 95 days (archive instant since day 90), read, then 29 more days: frequent again, not moved
        PricedObject priced = Baselines.intelligentTiering(object(GB, 95 * DAY), aws, T0 + 124 * DAY);

        CostBreakdown cost = priced.cost();
        assertEquals(List.of(T0, T0 + 30 * DAY, T0 + 90 * DAY, T0 + 95 * DAY),
                priced.schedule().stream().map(PricedObject.Stay::fromMs).toList());
        assertEquals(0.023 + 0.0125 * 2 + 0.004 * 5 / 30 + 0.023 * 29 / 30, cost.storageUsd(), EPS);
        assertEquals(0.0, cost.retrievalUsd());
        assertEquals(0.0004 / 1000, cost.requestUsd(), EPS); // Standard's GET price, even from archive instant
        assertEquals(0.0, cost.earlyDeletionUsd());
    }

    @Test
    void intelligentTieringShouldCountThirtyDaysFromTheLastRead() {
        // read at day 10: infrequent at day 40, not 30
        PricedObject priced = Baselines.intelligentTiering(object(GB, 10 * DAY), aws, T0 + 45 * DAY);

        assertEquals(List.of(T0, T0 + 40 * DAY), priced.schedule().stream().map(PricedObject.Stay::fromMs).toList());
        assertEquals(0.023 * 40 / 30 + 0.0125 * 5 / 30, priced.cost().storageUsd(), EPS);
    }

    @Test
    void intelligentTieringShouldNeverMoveNorMonitorAnObjectUnder128KiB() {
        PricedObject small = Baselines.intelligentTiering(object(128 * KIB - 1), aws, T0 + 100 * DAY);
        PricedObject edge = Baselines.intelligentTiering(object(128 * KIB), aws, T0 + 100 * DAY);

        assertEquals(1, small.schedule().size());
        assertEquals(gbMonths(128 * KIB - 1, 100 * DAY) * 0.023, small.cost().storageUsd(), 1e-15);
        assertEquals(0.0, small.cost().monitoringUsd());
        assertEquals(3, edge.schedule().size());
        assertEquals(MONITORING * 100 / 30, edge.cost().monitoringUsd(), 1e-15);
        assertEquals(gbMonths(128 * KIB, 30 * DAY) * 0.023 + gbMonths(128 * KIB, 60 * DAY) * 0.0125
                + gbMonths(128 * KIB, 10 * DAY) * 0.004, edge.cost().storageUsd(), 1e-15);
    }
}
