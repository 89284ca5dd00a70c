package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.MigrationBudget.Copy;
import io.tierflow.streams.domain.MigrationBudget.Move;
import io.tierflow.streams.domain.MigrationBudget.Urgency;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MigrationBudgetTest {
    private static final long HOUR = MigrationBudget.HOUR_MS;
    private static final long T0 = 1_800_000_000_000L;

    /** The journal as a map, as the task's store keeps it. */
    static final class MapJournal implements MigrationBudget.Journal {
        final Map<String, Copy> copies = new HashMap<>();
        final Map<String, Move> waiting = new HashMap<>();

        @Override
        public void copy(Copy copy) {
            copies.put(copy.admittedAt() + "/" + copy.key(), copy);
        }

        @Override
        public void copyExpired(Copy copy) {
            copies.remove(copy.admittedAt() + "/" + copy.key());
        }

        @Override
        public void waiting(Move move) {
            waiting.put(move.key(), move);
        }

        @Override
        public void notWaiting(String key) {
            waiting.remove(key);
        }

        MigrationBudget reopen(long share) {
            MigrationBudget budget = new MigrationBudget(this);
            budget.share(share);
            copies.values().forEach(budget::restore);
            waiting.values().forEach(budget::restore);
            return budget;
        }
    }

    private final MapJournal journal = new MapJournal();

    private MigrationBudget budget(long share) {
        MigrationBudget budget = new MigrationBudget(journal);
        budget.share(share);
        return budget;
    }

    private static Move saving(String key, long bytes, double valuePerGb, long at) {
        return new Move(key, bytes, Urgency.SAVING, valuePerGb, at);
    }

    @Test
    void shouldAdmitWithinTheShareAndHoldTheRestUntilAnHourAfterTheCopiesEnded() {
        MigrationBudget budget = budget(100);
        assertTrue(budget.request(saving("a", 60, 1, T0), T0));
        assertFalse(budget.request(saving("b", 60, 1, T0), T0), "60 + 60 > 100");
        assertTrue(budget.request(saving("c", 40, 0.5, T0), T0) == false,
                "a worse move does not pass a better one that waits");

        budget.ended("a", T0 + 10 * 60_000);
        assertEquals(List.of(), budget.release(T0 + HOUR), "a ended at +10 min: counted until +70 min");
        assertEquals(List.of("b", "c"), budget.release(T0 + 70 * 60_000), "b first, then c fits in what is left");
        assertTrue(budget.request(saving("b", 60, 1, T0), T0 + 70 * 60_000));
        assertTrue(budget.request(saving("c", 40, 0.5, T0), T0 + 70 * 60_000));
        assertEquals(100, budget.countedBytes());
        assertEquals(new MigrationBudget.Backlog(0, 0, 0.0), budget.backlog());
    }

    @Test
    void shouldCountACopyInFlightForAsLongAsItRuns() {
        MigrationBudget budget = budget(100);
        assertTrue(budget.request(saving("a", 100, 1, T0), T0));
        assertFalse(budget.request(saving("b", 1, 1, T0), T0 + 5 * HOUR), "a is still copying");
        assertEquals(List.of(), budget.release(T0 + 5 * HOUR));
        budget.ended("a", T0 + 5 * HOUR);
        assertEquals(List.of(), budget.release(T0 + 6 * HOUR - 1));
        assertEquals(List.of("b"), budget.release(T0 + 6 * HOUR));
    }

    @Test
    void shouldReleaseForcedMovesBeforeSavingsAndSavingsByValuePerByte() {
        MigrationBudget budget = budget(100);
        assertTrue(budget.request(saving("first", 100, 9, T0), T0));
        assertFalse(budget.request(saving("cheap", 30, 0.1, T0), T0));
        assertFalse(budget.request(saving("valuable", 30, 5, T0 + 1), T0 + 1));
        assertFalse(budget.request(new Move("sla", 30, Urgency.FORCED, 0, T0 + 2), T0 + 2));
        assertFalse(budget.request(saving("older", 30, 5, T0 - 1), T0 + 3));
        budget.ended("first", T0);

        assertEquals(List.of("sla", "older", "valuable"), budget.release(T0 + HOUR),
                "forced first; equal value: the one waiting longest; 'cheap' does not fit in the 10 bytes left");
        MigrationBudget.Backlog backlog = budget.backlog();
        assertEquals(4, backlog.moves());
        assertEquals(120, backlog.bytes());
        assertEquals(120.0 / 100 * 3600, backlog.drainSeconds(), 1e-9);
    }

    @Test
    void shouldNotLetASmallMovePassABetterOneThatDoesNotFit() {
        MigrationBudget budget = budget(100);
        assertTrue(budget.request(saving("a", 50, 1, T0), T0));
        assertFalse(budget.request(saving("big", 80, 3, T0), T0));
        assertFalse(budget.request(saving("small", 10, 1, T0), T0), "10 fit, but 'big' is worth more and waits");
        assertEquals(List.of(), budget.release(T0));
    }

    @Test
    void shouldStartAMoveLargerThanTheShareAloneIntoAnEmptyHour() {
        MigrationBudget budget = budget(100);
        assertTrue(budget.request(saving("a", 10, 1, T0), T0));
        assertFalse(budget.request(saving("huge", 500, 1, T0), T0));
        budget.ended("a", T0);
        assertEquals(List.of(), budget.release(T0 + HOUR - 1));
        assertEquals(List.of("huge"), budget.release(T0 + HOUR));
        assertTrue(budget.request(saving("huge", 500, 1, T0), T0 + HOUR));
        assertFalse(budget.request(saving("b", 1, 1, T0), T0 + HOUR), "nothing else while it counts");
    }

    @Test
    void shouldMoveNothingButEvacuationsOnAZeroBudget() {
        MigrationBudget budget = budget(0);
        assertFalse(budget.request(saving("saving", 1, 100, T0), T0));
        assertFalse(budget.request(new Move("sla", 1, Urgency.FORCED, 0, T0), T0));
        assertTrue(budget.request(new Move("evacuate", 1_000_000, Urgency.EVACUATION, 0, T0), T0));
        assertTrue(budget.request(new Move("evacuate-2", 1_000_000, Urgency.EVACUATION, 0, T0), T0),
                "evacuations of a down site are never held back");
        budget.ended("evacuate", T0);
        budget.ended("evacuate-2", T0);
        assertEquals(List.of(), budget.release(T0 + 10 * HOUR));
        assertEquals(Double.POSITIVE_INFINITY, budget.backlog().drainSeconds());
        assertThrows(IllegalArgumentException.class, () -> budget.share(-1));
    }

    @Test
    void shouldCountEvacuationsAgainstTheHourOfOtherMoves() {
        MigrationBudget budget = budget(100);
        assertTrue(budget.request(new Move("evacuate", 150, Urgency.EVACUATION, 0, T0), T0));
        assertFalse(budget.request(new Move("sla", 10, Urgency.FORCED, 0, T0), T0));
    }

    @Test
    void shouldForgetAWithdrawnMoveAndKeepTheTimeAMoveFirstWaited() {
        MigrationBudget budget = budget(100);
        assertTrue(budget.request(saving("a", 100, 1, T0), T0));
        assertFalse(budget.request(saving("b", 10, 1, T0), T0));
        assertFalse(budget.request(saving("b", 20, 2, T0 + HOUR), T0 + HOUR), "decided anew: new size and value");
        assertEquals(T0, journal.waiting.get("b").since());
        assertEquals(20, budget.backlog().bytes());
        budget.withdraw("b");
        assertEquals(0, budget.backlog().moves());
        assertTrue(journal.waiting.isEmpty());
    }

    @Test
    void shouldRestoreFromItsJournalWithNothingLost() {
        MigrationBudget budget = budget(100);
        assertTrue(budget.request(saving("a", 70, 1, T0), T0));
        assertTrue(budget.request(saving("b", 20, 1, T0), T0));
        budget.ended("b", T0 + 60_000);
        assertFalse(budget.request(saving("c", 50, 3, T0), T0));
        assertFalse(budget.request(saving("d", 50, 2, T0), T0));

        MigrationBudget reopened = journal.reopen(100);
        assertEquals(90, reopened.countedBytes());
        assertEquals(new MigrationBudget.Backlog(2, 100, 3600.0), reopened.backlog());
        assertEquals(List.of(), reopened.release(T0 + 2 * HOUR), "a is still in flight");
        reopened.ended("a", T0 + 2 * HOUR);
        assertEquals(List.of("c", "d"), reopened.release(T0 + 3 * HOUR));
        assertTrue(journal.copies.isEmpty(), "the expired copies left the journal too");
    }

    /**
     * Random requests, ends and releases against the rule itself: whenever a copy is admitted, the bytes of every copy
     * admitted before it that ended less than an hour ago or runs still, plus its own, stay within the share (unless
     * it is larger than the share and nothing else counts). Checked by brute force over the history.
     */
    @Test
    void shouldNeverAdmitBeyondTheShareOnRandomHistories() {
        Random random = new Random(21);
        for (int run = 0; run < 200; run++) {
            long share = 1 + random.nextInt(1_000);
            MigrationBudget budget = new MigrationBudget(new MapJournal());
            budget.share(share);
            List<long[]> admitted = new ArrayList<>(); // bytes, admittedAt, endedAt (-1: in flight)
            Map<String, Integer> open = new HashMap<>();
            long now = T0;
            for (int step = 0; step < 300; step++) {
                now += random.nextInt(20 * 60_000);
                String key = "k" + random.nextInt(30);
                int action = random.nextInt(4);
                if (action == 0 && open.containsKey(key)) {
                    admitted.get(open.remove(key))[2] = now;
                    budget.ended(key, now);
                } else if (action == 1) {
                    budget.release(now);
                } else if (!open.containsKey(key)) {
                    long bytes = 1 + random.nextInt((int) share * 2);
                    Urgency urgency = random.nextInt(10) == 0 ? Urgency.FORCED : Urgency.SAVING;
                    if (budget.request(new Move(key, bytes, urgency, random.nextInt(5), now), now)) {
                        long counted = 0;
                        for (long[] copy : admitted) {
                            if (copy[2] < 0 || copy[2] + HOUR > now) {
                                counted += copy[0];
                            }
                        }
                        assertTrue(counted + bytes <= share || counted == 0,
                                "run " + run + ": admitted " + bytes + " over " + counted + " counted, share " + share);
                        open.put(key, admitted.size());
                        admitted.add(new long[] {bytes, now, -1});
                    }
                }
            }
        }
    }

    @Test
    void shouldSplitTheBudgetOverThePartitions() {
        assertEquals(1_000, MigrationBudget.shareOf(6_000, 6));
        assertEquals(0, MigrationBudget.shareOf(5, 6));
        assertEquals(MigrationBudget.UNLIMITED, MigrationBudget.shareOf(MigrationBudget.UNLIMITED, 6));
    }
}
