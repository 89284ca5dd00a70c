package io.tierflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tierflow.schemas.CostLedger;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.Tier;
import org.junit.jupiter.api.Test;

class StatsTest {
    private static final long T0 = 1_765_000_000_000L;
    private static final long MINUTE = 60_000;

    private static CostLedger entry(boolean baseline, double storageUsd, double egressUsd, long since, long updatedAt) {
        return CostLedger.newBuilder().setSite(baseline ? "gcp" : "aws").setTier(Tier.HOT).setBaseline(baseline)
                .setStorageUsd(storageUsd).setEgressUsd(egressUsd).setSince(since).setUpdatedAt(updatedAt).build();
    }

    /** Two instances' shares, added up as the answering instance does, then finished. */
    private static JsonNode stats(CostLedger... entries) {
        ObjectNode total = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < entries.length; i++) {
            ObjectNode share = JsonNodeFactory.instance.objectNode();
            Stats.addLedger(share, entries[i]);
            Stats.add(total, share);
        }
        Stats.finish(total, new MemoryStore<Site>());
        return total.get("cost");
    }

    @Test
    void shouldGiveNoPercentageOfANearZeroBaselineAfterAFewMinutes() {
        // the first start that showed -2e7 %: four minutes, reads charged, the baseline's storage next to nothing
        JsonNode cost = stats(entry(false, 0.000001, 0.43, T0, T0 + 4 * MINUTE),
                entry(true, 0.00000002, 0.0, T0, T0 + 4 * MINUTE));

        assertTrue(cost.get("savingsPercent").isNull());
        assertEquals("only 4 minutes of cost ledger; savings are given as a percentage from one hour on",
                cost.get("savingsNote").asText());
        assertEquals(0.00000002 - 0.430001, cost.get("savingsUsd").asDouble(), 1e-12);
        assertEquals(4 / 60.0, cost.get("period").get("hours").asDouble(), 1e-12);
    }

    @Test
    void shouldGiveNoPercentageWhileTheBaselineHasCostNextToNothing() {
        JsonNode cost = stats(entry(false, 0.001, 0.0, T0, T0 + 120 * MINUTE),
                entry(true, 0.004, 0.0, T0, T0 + 120 * MINUTE));

        assertTrue(cost.get("savingsPercent").isNull());
        assertEquals("the baseline has cost only $0.0040 so far; savings are given as a percentage from $0.01 on",
                cost.get("savingsNote").asText());
    }

    @Test
    void shouldGiveSavingsOverThePeriodAllInstancesLedgersCover() {
        JsonNode cost = stats(entry(false, 1.0, 0.5, T0 + 30 * MINUTE, T0 + 90 * MINUTE),
                entry(true, 3.0, 0.0, T0, T0 + 60 * MINUTE),
                entry(false, 0.5, 0.0, T0 + 10 * MINUTE, T0 + 120 * MINUTE));

        assertEquals(100 * (3.0 - 2.0) / 3.0, cost.get("savingsPercent").asDouble(), 1e-12);
        assertEquals(1.0, cost.get("savingsUsd").asDouble(), 1e-12);
        assertTrue(cost.path("savingsNote").isMissingNode());
        JsonNode period = cost.get("period");
        assertEquals(java.time.Instant.ofEpochMilli(T0).toString(), period.get("from").asText());
        assertEquals(java.time.Instant.ofEpochMilli(T0 + 120 * MINUTE).toString(), period.get("to").asText());
        assertEquals(2.0, period.get("hours").asDouble(), 1e-12);
    }

    @Test
    void shouldSaySoWhenNothingHasBeenChargedYet() {
        JsonNode cost = stats();

        assertTrue(cost.get("savingsPercent").isNull());
        assertEquals("no cost recorded yet", cost.get("savingsNote").asText());
    }
}
