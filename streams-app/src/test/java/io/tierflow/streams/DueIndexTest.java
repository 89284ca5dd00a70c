package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
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
        index.remove(100, "a");
        index.add(500, "a");
        index.remove(42, "b"); // not its due time: nothing to remove
        assertEquals(List.of(new DueIndex.Due(100, "b"), new DueIndex.Due(500, "a")), index.all());
        assertEquals(2, index.size());
        assertThrows(IllegalArgumentException.class, () -> index.add(-1, "x"));
        assertEquals(List.of(new DueIndex.Due(100, "b")), index.takeDue(499, 10),
                "a's old time is not handed out");
        assertEquals(List.of(new DueIndex.Due(500, "a")), index.takeDue(500, 10));
        assertEquals(0, index.size());
    }

    @Test
    void shouldKeepOneDueTimePerDataset() {
        DueIndex index = new DueIndex();
        index.add(100, "a");
        index.add(300, "a"); // scheduled again without being unscheduled: the new time replaces the old
        index.add(200, "b");
        assertEquals(List.of(new DueIndex.Due(200, "b"), new DueIndex.Due(300, "a")), index.all());
        assertEquals(List.of(new DueIndex.Due(200, "b")), index.takeDue(250, 10));
        index.remove(100, "a"); // its old time: nothing to remove
        assertEquals(List.of(new DueIndex.Due(300, "a")), index.takeDue(300, 1));
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
}
