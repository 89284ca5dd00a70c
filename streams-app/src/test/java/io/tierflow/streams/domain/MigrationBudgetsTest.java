package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.MigrationBudget.Move;
import io.tierflow.streams.domain.MigrationBudget.Urgency;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MigrationBudgetsTest {
    private static final long HOUR = MigrationBudget.HOUR_MS;
    private static final long T0 = 1_800_000_000_000L;
    private static final Map<String, Double> LOGS_QUARTER = Map.of("logs", 0.25);

    private final MigrationBudgetTest.MapJournal journal = new MigrationBudgetTest.MapJournal();

    private static Move saving(String key, long bytes) {
        return new Move(key, bytes, Urgency.SAVING, 1.0, T0);
    }

    @Test
    void aPolicyWithAShareMovesOnlyWithinItAndLeavesTheRestToTheCommonPool() {
        MigrationBudgets budgets = new MigrationBudgets(journal);
        budgets.share(1000, LOGS_QUARTER);
        assertEquals("logs", budgets.poolOf("logs"));
        assertEquals(MigrationBudgets.COMMON, budgets.poolOf("default"));
        assertEquals(250, budgets.share("logs"));
        assertEquals(750, budgets.share(MigrationBudgets.COMMON));

        assertTrue(budgets.request("logs", saving("logs/a", 200), T0));
        // The common pool has room, but the logs pool's share is what its datasets may use.
        assertFalse(budgets.request("logs", saving("logs/b", 100), T0));
        assertTrue(budgets.request(MigrationBudgets.COMMON, saving("data/a", 700), T0));
        assertFalse(budgets.request(MigrationBudgets.COMMON, saving("data/b", 100), T0));
        assertEquals(900, budgets.countedBytes());
        assertEquals(2, budgets.backlog().moves());
        assertEquals(200, budgets.backlog().bytes());

        // An hour after the logs copy ends, the logs pool has room again; the common pool is still full.
        budgets.ended("logs/a", T0 + 1);
        assertEquals(List.of("logs/b"), budgets.release(T0 + 1 + HOUR));
    }

    @Test
    void sharesThatKeepTheWholeBudgetLeaveOnlyEvacuationsToTheOthers() {
        MigrationBudgets budgets = new MigrationBudgets(journal);
        budgets.share(1000, Map.of("logs", 0.6, "models", 0.4));
        assertEquals(0, budgets.share(MigrationBudgets.COMMON));
        assertFalse(budgets.request(MigrationBudgets.COMMON, saving("data/a", 1), T0));
        assertTrue(budgets.request(MigrationBudgets.COMMON,
                new Move("data/b", 5000, Urgency.EVACUATION, 0.0, T0), T0));
    }

    @Test
    void anUnlimitedBudgetLeavesEveryPoolUnlimited() {
        MigrationBudgets budgets = new MigrationBudgets(journal);
        budgets.share(MigrationBudget.UNLIMITED, LOGS_QUARTER);
        assertEquals(MigrationBudget.UNLIMITED, budgets.share("logs"));
        assertEquals(MigrationBudget.UNLIMITED, budgets.share(MigrationBudgets.COMMON));
        assertTrue(budgets.request("logs", saving("logs/a", Long.MAX_VALUE / 4), T0));
    }

    @Test
    void aMoveWaitingInOnePoolMovesToTheNewPoolWhenItsPolicyChanges() {
        MigrationBudgets budgets = new MigrationBudgets(journal);
        budgets.share(1000, LOGS_QUARTER);
        assertTrue(budgets.request("logs", saving("logs/a", 250), T0));
        assertFalse(budgets.request("logs", saving("logs/b", 100), T0));
        assertTrue(budgets.isWaiting("logs/b"));

        // The policy of logs/b no longer keeps a share: it moves in the common pool, and waits nowhere else.
        budgets.share(1000, Map.of());
        assertTrue(budgets.request(MigrationBudgets.COMMON, saving("logs/b", 100), T0 + 1));
        assertFalse(budgets.isWaiting("logs/b"));
        assertFalse(journal.waiting.containsKey("logs/b"));
        // The logs copy still counts where it was admitted until its hour ends.
        assertEquals(350, budgets.countedBytes());
        assertTrue(budgets.release(T0 + 1).isEmpty());
    }

    @Test
    void aRestartPutsEachKeptEntryBackIntoItsPool() {
        MigrationBudgets budgets = new MigrationBudgets(journal);
        budgets.share(1000, LOGS_QUARTER);
        assertTrue(budgets.request("logs", saving("logs/a", 250), T0));
        assertFalse(budgets.request("logs", saving("logs/b", 100), T0));

        MigrationBudgets reopened = new MigrationBudgets(journal);
        journal.copies.values().forEach(copy -> reopened.restore("logs", copy));
        journal.waiting.values().forEach(move -> reopened.restore("logs", move));
        reopened.share(1000, LOGS_QUARTER);
        assertEquals(250, reopened.countedBytes());
        assertTrue(reopened.isWaiting("logs/b"));
        assertFalse(reopened.request("logs", saving("logs/c", 1), T0 + 1));
        assertTrue(reopened.request(MigrationBudgets.COMMON, saving("data/a", 750), T0 + 1));
    }

    /**
     * Random requests, ends and releases across three pools: in every sliding hour the bytes each pool admitted stay
     * within its share, so the pools together stay within the budget.
     */
    @Test
    void noPoolEverMovesMoreThanItsShareInAnyHour() {
        Map<String, Double> shares = Map.of("logs", 0.2, "models", 0.3);
        long budget = 10_000;
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            MigrationBudgets budgets = new MigrationBudgets(new MigrationBudgetTest.MapJournal());
            budgets.share(budget, shares);
            Map<String, String> poolByKey = new HashMap<>();
            Map<String, Deque<long[]>> admittedByPool = new HashMap<>(); // {admitted at, bytes, ended at}
            Map<String, long[]> open = new HashMap<>();
            Set<String> waiting = new HashSet<>();
            List<String> pools = List.of("logs", "models", MigrationBudgets.COMMON);
            long now = T0;
            for (int step = 0; step < 400; step++) {
                now += random.nextInt(20 * 60_000);
                int what = random.nextInt(3);
                if (what == 0) {
                    String key = "k" + random.nextInt(40);
                    if (open.containsKey(key)) {
                        continue; // one command in flight per dataset
                    }
                    String pool = poolByKey.computeIfAbsent(key, k -> pools.get(random.nextInt(pools.size())));
                    long bytes = 1 + random.nextInt((int) (budget * shares.getOrDefault(pool, 0.5)));
                    if (budgets.request(pool, saving(key, bytes), now)) {
                        long[] copy = {now, bytes, Long.MAX_VALUE};
                        open.put(key, copy);
                        admittedByPool.computeIfAbsent(pool, p -> new ArrayDeque<>()).add(copy);
                        waiting.remove(key);
                    } else {
                        waiting.add(key);
                    }
                } else if (what == 1 && !open.isEmpty()) {
                    String key = new ArrayList<>(open.keySet()).get(random.nextInt(open.size()));
                    open.remove(key)[2] = now;
                    budgets.ended(key, now);
                } else {
                    budgets.release(now);
                }
                for (String pool : pools) {
                    long limit = pool.equals(MigrationBudgets.COMMON) ? (long) (budget * 0.5)
                            : (long) (budget * shares.get(pool));
                    long counted = 0;
                    for (long[] copy : admittedByPool.getOrDefault(pool, new ArrayDeque<>())) {
                        // A copy counts from admission until an hour after it ended.
                        if (copy[2] == Long.MAX_VALUE || copy[2] + HOUR > now) {
                            counted += copy[1];
                        }
                    }
                    assertTrue(counted <= limit, "seed " + seed + " step " + step + ": pool '" + pool + "' holds "
                            + counted + " bytes against a share of " + limit);
                }
            }
        }
    }
}
