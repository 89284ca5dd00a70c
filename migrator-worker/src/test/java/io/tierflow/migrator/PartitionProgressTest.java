package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        assertEquals(10, progress.toCommit(), "10 is unfinished: a crash must re-deliver it");

        progress.committed(10);
        assertEquals(-1, progress.toCommit(), "nothing new");

        progress.finished(10);
        assertEquals(13, progress.toCommit());
    }

    @Test
    void shouldMovePastSkippedRecords() {
        progress.accepted(4);
        progress.finished(4);
        progress.skipped(5);
        assertEquals(6, progress.toCommit());
    }

    @Test
    void shouldCommitNothingBeforeAnyRecord() {
        assertEquals(-1, progress.toCommit());
    }
}
