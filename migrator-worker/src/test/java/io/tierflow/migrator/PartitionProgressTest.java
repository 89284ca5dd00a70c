package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {
    private final PartitionProgress progress = new PartitionProgress(1);

    @Test
    void shouldCommitOnlyUpToTheLowestUnfinishedCommand() {
        progress.accepted(10);
        progress.accepted(11);
        progress.accepted(12);
        progress.finished(11);
        progress.finished(12);
        PartitionProgress.Commit commit = progress.toCommit();
        assertEquals(10, commit.offset(), "10 is unfinished: a crash must re-deliver it");

        progress.committed(commit);
        assertNull(progress.toCommit(), "nothing new");

        progress.finished(10);
        assertEquals(13, progress.toCommit().offset());
    }

    @Test
    void shouldMovePastSkippedRecords() {
        progress.accepted(4);
        progress.finished(4);
        progress.skipped(5);
        assertEquals(6, progress.toCommit().offset());
    }

    @Test
    void shouldCommitNothingBeforeAnyRecord() {
        assertNull(progress.toCommit());
    }

    @Test
    void shouldNotHoldTheCommitBackForADeferredRetireButRecordWhereItIs() {
        progress.accepted(20); // a RETIRE in its grace period
        progress.accepted(21);
        progress.accepted(22);
        progress.deferred(20);
        progress.finished(21);
        progress.finished(22);

        PartitionProgress.Commit commit = progress.toCommit();
        assertEquals(23, commit.offset(), "the deferred RETIRE does not hold the partition back");
        assertEquals("deferred-from=20", commit.metadata());
        assertEquals(0, progress.pending(), "nor does it count against fetching");
        progress.committed(commit);

        progress.finished(20);
        assertEquals(new PartitionProgress.Commit(23, ""), progress.toCommit(), "done: the marker goes");
    }

    @Test
    void shouldReadAgainFromTheDeferredOffsetAndKeepTheMarkerUntilTheRangeWasSeen() {
        PartitionProgress next = new PartitionProgress(2, 23, "deferred-from=20");
        assertEquals(20, next.replayFrom());
        assertTrue(next.isReplay(20) && next.isReplay(22) && !next.isReplay(23));
        assertTrue(next.replaying());
        assertNull(next.toCommit(), "nothing changed yet: the marker stays as committed");

        next.deferred(20); // the RETIRE found again, waiting once more
        next.accepted(23);
        next.finished(23);
        assertEquals(new PartitionProgress.Commit(24, "deferred-from=20"), next.toCommit());

        next.replayDone();
        next.finished(20);
        assertEquals(new PartitionProgress.Commit(24, ""), next.toCommit());
        assertFalse(next.replaying());
    }

    @Test
    void shouldIgnoreAMarkerAtOrAboveTheCommittedOffset() {
        PartitionProgress next = new PartitionProgress(2, 23, "deferred-from=23");
        assertEquals(-1, next.replayFrom());
        assertFalse(next.isReplay(22));
        assertFalse(new PartitionProgress(2, 23, "garbage").isReplay(1));
    }
}
