package io.tierflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tierflow.schemas.CostLedger;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.Tier;
import io.tierflow.streams.MigrationBudgetCodec;
import io.tierflow.streams.domain.MigrationBudget;
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
    void shouldAddTheStatusQuoEntriesOfEveryRegisteredSiteAndNameTheBaseline() {
        // The status quo has one baseline entry per site datasets were registered at; none is a site's actual cost.
        CostLedger atAws = CostLedger.newBuilder(entry(true, 2.0, 0.25, T0, T0 + 90 * MINUTE)).setSite("aws").build();
        CostLedger atOnprem = CostLedger.newBuilder(entry(true, 1.0, 0.0, T0, T0 + 90 * MINUTE)).setSite("onprem")
                .build();
        JsonNode cost = stats(atAws, atOnprem, entry(false, 1.5, 0.0, T0, T0 + 90 * MINUTE));

        assertEquals("status quo: each dataset hot where it was registered",
                cost.get("baseline").get("description").asText());
        assertEquals(3.25, cost.get("baseline").get("totalUsd").asDouble(), 1e-12);
        assertEquals(3.25 - 1.5, cost.get("savingsUsd").asDouble(), 1e-12);
        assertEquals(100 * 1.75 / 3.25, cost.get("savingsPercent").asDouble(), 1e-12);
    }

    @Test
    void shouldSaySoWhenNothingHasBeenChargedYet() {
        JsonNode cost = stats();

        assertTrue(cost.get("savingsPercent").isNull());
        assertEquals("no cost recorded yet", cost.get("savingsNote").asText());
    }

    private static MemoryStore<byte[]> budgetStore(MigrationBudget.Move... moves) {
        MemoryStore<byte[]> store = new MemoryStore<>();
        for (MigrationBudget.Move move : moves) {
            store.put(MigrationBudgetCodec.key(move), MigrationBudgetCodec.encode(move));
        }
        // A copy counted against the budget is no waiting move.
        MigrationBudget.Copy copy = new MigrationBudget.Copy("moving", 700, T0, -1);
        store.put(MigrationBudgetCodec.key(copy), MigrationBudgetCodec.encode(copy));
        return store;
    }

    private static MigrationBudget.Move waiting(String key, long bytes) {
        return new MigrationBudget.Move(key, bytes, MigrationBudget.Urgency.SAVING, 1.0, T0);
    }

    private static MemoryStore<Policy> budget(long bytesPerHour) {
        return new MemoryStore<Policy>().put("default", Policy.newBuilder().setName("default")
                .setHeatHalfLifeSeconds(3600).setHotThreshold(20).setWarmThreshold(2).setHysteresis(0.25)
                .setDefaultLatencySlaMs(50).setMigrationBudgetBytesPerHour(bytesPerHour).setCooldownSeconds(60)
                .setUpdatedAt(java.time.Instant.ofEpochMilli(T0)).build());
    }

    /** Two instances' waiting moves (partitions 0 and 1 on one, 2 on the other), added up, then finished. */
    private static JsonNode waitingForBudget(MemoryStore<Policy> policies) {
        ObjectNode first = JsonNodeFactory.instance.objectNode();
        Stats.addWaitingMoves(first, 0, budgetStore(waiting("a", 100), waiting("b", 200)));
        Stats.addWaitingMoves(first, 1, budgetStore(waiting("c", 50)));
        ObjectNode second = JsonNodeFactory.instance.objectNode();
        Stats.addWaitingMoves(second, 2, budgetStore(waiting("d", 600)));
        ObjectNode total = JsonNodeFactory.instance.objectNode();
        Stats.add(total, first);
        Stats.add(total, second);
        Stats.finishBudget(total, policies, 3);
        return total.get("migrations").get(Stats.WAITING);
    }

    @Test
    void shouldShowTheMovesWaitingForTheBudgetAndTheLongestPartitionsDrainTime() {
        JsonNode waiting = waitingForBudget(budget(3_000));

        assertEquals(4, waiting.get("moves").asLong());
        assertEquals(950, waiting.get("bytes").asLong());
        assertEquals(3_000, waiting.get("budgetBytesPerHour").asLong());
        // Each partition drains at 1 000 bytes an hour: partition 2's 600 bytes take longest.
        assertEquals(0.6 * 3600, waiting.get("drainSeconds").asDouble(), 1e-9);
        assertTrue(waiting.get("bytesByPartition") == null, "a step of the sum, not an answer: " + waiting);
    }

    @Test
    void shouldSayMovesWaitingForABudgetOfZeroNeverDrain() {
        JsonNode waiting = waitingForBudget(budget(0));

        assertTrue(waiting.get("drainSeconds").isNull());
        assertTrue(waiting.get("drainNote").asText().contains("evacuations"), waiting.toString());
    }

    @Test
    void shouldShowNoBudgetAndNoDrainTimeUnderTheBuiltInPolicy() {
        JsonNode waiting = waitingForBudget(new MemoryStore<>());

        assertTrue(waiting.get("budgetBytesPerHour").isNull());
        assertEquals(0.0, waiting.get("drainSeconds").asDouble());
    }

    @Test
    void shouldSayTheDatasetFiguresAreAsOldAsTheOldestShareCount() {
        ObjectNode total = JsonNodeFactory.instance.objectNode();
        ObjectNode young = JsonNodeFactory.instance.objectNode().put("datasets", 2);
        Stats.countedAt(young, T0 + MINUTE);
        ObjectNode old = JsonNodeFactory.instance.objectNode().put("datasets", 3);
        Stats.countedAt(old, T0);
        Stats.add(total, young);
        Stats.add(total, old);
        Stats.finish(total, new MemoryStore<Site>());

        assertEquals(5, total.get("datasets").asLong(), "counts add up");
        assertEquals(T0, total.get(Stats.COUNTED_AT_MS).asLong(), "the time is the oldest, not a sum");
        assertEquals(java.time.Instant.ofEpochMilli(T0).toString(), total.get("countedAt").asText());
    }
}
