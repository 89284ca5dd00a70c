package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DueIndexTest {
    @Test
    void shouldHandOutWhatIsDueEarliestFirstUpToTheBound() {
        DueIndex index = new DueIndex();
        index.add(300, "c");
        index.add(100, "b");
        index.add(100, "a"); // the same due time as b: both kept, by key
        index.add(200, "d");
        index.add(900, "late");
        assertEquals(5, index.size());

        assertEquals(List.of(new DueIndex.Due(100, "a"), new DueIndex.Due(100, "b")), index.takeDue(250, 2),
                "at most the bound, earliest first");
        assertEquals(List.of(new DueIndex.Due(200, "d")), index.takeDue(250, 10), "nothing due after now");
        assertEquals(List.of(new DueIndex.Due(300, "c")), index.takeDue(300, 10), "due at now is due");
        assertEquals(List.of(), index.takeDue(899, 10));
        assertEquals(1, index.size());
        assertEquals(List.of(new DueIndex.Due(900, "late")), index.all());
    }

    @Test
    void shouldMoveADatasetWhenItIsRescheduled() {
        DueIndex index = new DueIndex();
        index.add(100, "a");
        index.add(100, "b");
        index.add(500, "a"); // later: a moves down
        index.remove("unknown"); // nothing to remove
        assertEquals(List.of(new DueIndex.Due(100, "b"), new DueIndex.Due(500, "a")), index.all());
        assertEquals(2, index.size());
        assertThrows(IllegalArgumentException.class, () -> index.add(-1, "x"));
        index.add(50, "c");
        index.add(40, "a"); // earlier: a moves up
        assertEquals(List.of(new DueIndex.Due(40, "a"), new DueIndex.Due(50, "c")), index.takeDue(99, 10),
                "a's old time is not handed out, nor b before its time");
        assertEquals(List.of(new DueIndex.Due(100, "b")), index.takeDue(500, 10));
        assertEquals(0, index.size());
    }

    @Test
    void shouldKeepAnUnscheduledDatasetForWhenEverythingBecomesDue() {
        DueIndex index = new DueIndex();
        index.add(100, "a");
        index.add(900, "b");
        index.unschedule("c"); // known, nothing due
        index.add(300, "d");
        index.unschedule("d"); // was due, is not any more
        assertEquals(List.of(new DueIndex.Due(100, "a"), new DueIndex.Due(900, "b")), index.all());
        assertEquals(-1, index.dueAt("c"));
        assertEquals(-1, index.dueAt("d"));
        assertEquals(900, index.dueAt("b"));

        index.addBy(500, "b"); // earlier than it was: moved
        index.addBy(700, "a"); // later than it is: stays
        index.addBy(800, "c"); // had none: gets one
        assertEquals(List.of(new DueIndex.Due(100, "a"), new DueIndex.Due(500, "b"), new DueIndex.Due(800, "c")),
                index.all());

        index.addEveryBy(400);
        assertEquals(List.of(new DueIndex.Due(100, "a"), new DueIndex.Due(400, "b"), new DueIndex.Due(400, "c"),
                new DueIndex.Due(400, "d")), index.all(), "every dataset by 400, the unscheduled one too");
        assertEquals(4, index.size());
        assertEquals(List.of(new DueIndex.Due(100, "a"), new DueIndex.Due(400, "b")), index.takeDue(400, 2));
        index.remove("c");
        index.addEveryBy(50);
        assertEquals(List.of(new DueIndex.Due(50, "a"), new DueIndex.Due(50, "b"), new DueIndex.Due(50, "d")),
                index.takeDue(60, 10), "handed-out and unscheduled datasets stay in the index; removed ones do not");
    }

    @Test
    void shouldStayAHeapWhenEverythingIsMadeDueAmongRandomChanges() {
        Random random = new Random(11);
        DueIndex index = new DueIndex();
        Map<String, Long> expected = new HashMap<>();
        List<String> known = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            String key = "k" + random.nextInt(500);
            int action = random.nextInt(10);
            long at = random.nextInt(1_000_000);
            if (action < 8 && !known.contains(key)) {
                known.add(key); // the index has every dataset it was told of until it is removed
            }
            if (action < 5) {
                index.add(at, key);
                expected.put(key, at);
            } else if (action < 7) {
                index.addBy(at, key);
                expected.merge(key, at, Math::min);
            } else if (action < 8) {
                index.unschedule(key);
                expected.remove(key);
            } else if (action < 9) {
                index.remove(key);
                expected.remove(key);
                known.remove(key);
            } else if (random.nextInt(50) == 0) {
                index.addEveryBy(at);
                for (String k : known) {
                    expected.merge(k, at, Math::min);
                }
            }
        }
        TreeSet<DueIndex.Due> sorted = new TreeSet<>();
        expected.forEach((key, at) -> sorted.add(new DueIndex.Due(at, key)));
        assertEquals(List.copyOf(sorted), index.takeDue(Long.MAX_VALUE, Integer.MAX_VALUE), "in order, each once");
    }

    @Test
    void shouldForgetARemovedDatasetAndReuseItsSlot() {
        DueIndex index = new DueIndex();
        index.add(100, "a");
        index.add(200, "b");
        index.add(300, "c");
        index.remove("a");
        assertEquals(List.of(new DueIndex.Due(200, "b"), new DueIndex.Due(300, "c")), index.all());
        assertEquals(2, index.size());
        index.add(250, "d"); // takes a's slot
        index.add(400, "a"); // a again, as a new dataset
        assertEquals(List.of(new DueIndex.Due(200, "b"), new DueIndex.Due(250, "d"), new DueIndex.Due(300, "c"),
                new DueIndex.Due(400, "a")), index.takeDue(1_000, 10));
        index.add(10, "b"); // handed out, then scheduled again: its slot was kept
        index.remove("b");
        assertEquals(List.of(), index.all());
    }

    @Test
    void shouldCountTheBoundInDatasetsHandedOutNotInStaleEntries() {
        DueIndex index = new DueIndex();
        for (int i = 0; i < 5; i++) {
            index.add(10 + i, "a"); // four stale entries of "a" before the current one
        }
        index.add(20, "b");
        assertEquals(List.of(new DueIndex.Due(14, "a"), new DueIndex.Due(20, "b")), index.takeDue(100, 2));
    }

    /**
     * Random schedules, removals and takes against a sorted set of the current due times: the heap's sift and removal
     * paths (the moves up and down, the last entry put in a removed one's place) all come up thousands of times.
     */
    @Test
    void shouldAgreeWithASortedSetOverRandomOperations() {
        Random random = new Random(42);
        DueIndex index = new DueIndex();
        Map<String, Long> model = new HashMap<>();
        TreeSet<DueIndex.Due> modelOrder = new TreeSet<>();
        for (int step = 0; step < 50_000; step++) {
            String key = "d" + random.nextInt(3_000); // beyond the initial 1 024 slots: the arrays grow
            int op = random.nextInt(10);
            if (op < 7) {
                long at = random.nextInt(100_000);
                Long before = model.put(key, at);
                if (before != null) {
                    modelOrder.remove(new DueIndex.Due(before, key));
                }
                modelOrder.add(new DueIndex.Due(at, key));
                index.add(at, key);
            } else if (op < 8) {
                Long before = model.remove(key);
                if (before != null) {
                    modelOrder.remove(new DueIndex.Due(before, key));
                }
                index.remove(key);
            } else {
                long now = random.nextInt(100_000);
                int max = 1 + random.nextInt(20);
                List<DueIndex.Due> expected = new ArrayList<>();
                while (expected.size() < max && !modelOrder.isEmpty() && modelOrder.first().at() <= now) {
                    DueIndex.Due next = modelOrder.pollFirst();
                    model.remove(next.key());
                    expected.add(next);
                }
                assertEquals(expected, index.takeDue(now, max), "step " + step);
            }
            assertEquals(model.size(), index.size(), "step " + step);
        }
        assertEquals(new ArrayList<>(modelOrder), index.all());
    }
}
