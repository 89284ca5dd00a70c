package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class PartMemoryTest {
    private static final long MIB = 1L << 20;

    @Test
    void shouldMakeAPartWaitUntilAnotherPartsMemoryIsGivenBack() throws Exception {
        PartMemory memory = new PartMemory(128 * MIB);
        memory.acquire(64 * MIB);
        memory.acquire(64 * MIB);

        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
            try {
                memory.acquire(64 * MIB);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(TimeoutException.class, () -> third.get(300, TimeUnit.MILLISECONDS), "the budget is used up");

        memory.release(64 * MIB);

        third.get(10, TimeUnit.SECONDS); // got the freed budget
        assertFalse(third.isCompletedExceptionally());
    }

    @Test
    void shouldLetAPartLargerThanTheBudgetTakeAllOfIt() throws Exception {
        PartMemory memory = new PartMemory(16 * MIB);

        memory.acquire(64 * MIB); // alone it may go, else such a part could never be sent

        CompletableFuture<Void> small = CompletableFuture.runAsync(() -> {
            try {
                memory.acquire(5 * MIB);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(TimeoutException.class, () -> small.get(300, TimeUnit.MILLISECONDS));
        memory.release(64 * MIB);
        small.get(10, TimeUnit.SECONDS);
        assertTrue(small.isDone());
    }

    @Test
    void shouldRefuseABudgetBelowOnePart() {
        assertThrows(IllegalArgumentException.class, () -> new PartMemory(MIB));
    }
}
