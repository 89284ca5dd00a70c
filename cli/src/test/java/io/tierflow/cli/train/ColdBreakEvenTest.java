package io.tierflow.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.cost.ClassPrices;
import org.junit.jupiter.api.Test;

/** Break-even idle times worked out by hand from S3 list prices (Standard against Glacier Instant Retrieval). */
class ColdBreakEvenTest {
    private static final double DAY_MS = 86_400_000.0;
    private static final ClassPrices STANDARD = new ClassPrices("STANDARD", Tier.HOT, 0.023, 0.0, 0.0004, 0.005, 0,
            0, 0);
    private static final ClassPrices GLACIER_IR = new ClassPrices("GLACIER_IR", Tier.COLD, 0.004, 0.03, 0.01, 0.02,
            90, 128 * 1024, 0);
    private static final ColdBreakEven S3 = new ColdBreakEven(STANDARD, GLACIER_IR);

    @Test
    void shouldPayOffWithinTheMinimumDurationForALargeObject() {
        // 100 MB: moves 0.00002 (PUT into Glacier IR) + 0.000005 (PUT back) + 0.003 (retrieval); staying cold for
        // the 90-day minimum costs 0.1 GB * 0.004 * 3 months = 0.0012; hot costs 0.1 * 0.023 = 0.0023 a month:
        // (0.003025 + 0.0012) / 0.0023 = 1.8370 months of 30 days = 55.11 days, within the 90-day minimum.
        assertEquals(55.11, S3.breakEvenMs(100_000_000) / DAY_MS, 0.01);
    }

    @Test
    void shouldNeedTheMovesPaidByTheStorageDifferenceBeyondTheMinimum() {
        // Retrieval 2.5x hot storage a month makes the move pay off only after the minimum: 1 GB, cold storage
        // 0.004, retrieval 0.3: moves 0.000025 + 0.3 = 0.300025; (0.300025 + 0.012) / 0.023 = 13.57 months > 3,
        // so 0.300025 / (0.023 - 0.004) = 15.791 months = 473.7 days.
        ColdBreakEven expensiveRetrieval = new ColdBreakEven(STANDARD, new ClassPrices("COLD", Tier.COLD, 0.004, 0.3,
                0.01, 0.02, 90, 0, 0));
        assertEquals(473.7, expensiveRetrieval.breakEvenMs(1_000_000_000) / DAY_MS, 0.1);
    }

    @Test
    void shouldNeverPayOffForAnObjectBilledMoreInTheColdClass() {
        // 10 kB is billed as 128 KiB in Glacier IR: 13x the bytes at a sixth of the price costs more than Standard.
        assertEquals(Long.MAX_VALUE, S3.breakEvenMs(10_000));
    }
}
