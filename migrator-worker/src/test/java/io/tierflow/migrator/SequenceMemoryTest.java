package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SequenceMemoryTest {
    @Test
    void shouldSupersedeOnlyOlderKnownSequencesOfTheSameDataset() {
        SequenceMemory memory = new SequenceMemory(10);
        memory.seen("a", 3);
        memory.seen("a", 6);
        memory.seen("a", 4); // a redelivery of an older one does not lower the newest

        assertTrue(memory.isSuperseded("a", 3));
        assertTrue(memory.isSuperseded("a", 5));
        assertFalse(memory.isSuperseded("a", 6));
        assertFalse(memory.isSuperseded("a", 0), "an older producer's command (no sequence) is never superseded");
        assertFalse(memory.isSuperseded("b", 1));
    }

    @Test
    void shouldForgetTheLeastRecentlySeenDatasetFirst() {
        SequenceMemory memory = new SequenceMemory(2);
        memory.seen("a", 5);
        memory.seen("b", 5);
        memory.isSuperseded("a", 1); // a is used again
        memory.seen("c", 5);

        assertTrue(memory.isSuperseded("a", 1));
        assertFalse(memory.isSuperseded("b", 1), "b was forgotten");
    }
}
