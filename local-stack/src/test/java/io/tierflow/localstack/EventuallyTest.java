package io.tierflow.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {
    @Test
    void shouldAskAgainWhenTheConditionThrowsWhileTheSystemIsNotReady() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        Eventually.holds(Duration.ofSeconds(10), "the third answer", () -> {
            if (asked.incrementAndGet() < 3) {
                throw new IllegalStateException("group not formed yet");
            }
            return true;
        });
        assertEquals(3, asked.get());
    }

    @Test
    void shouldFailWithWhatItWaitedForAndTheLastFailureAsCause() {
        IllegalStateException failure = new IllegalStateException("still starting");
        AssertionError error = assertThrows(AssertionError.class,
                () -> Eventually.holds(Duration.ofMillis(250), "the server", () -> {
                    throw failure;
                }));
        assertTrue(error.getMessage().contains("the server"), error.getMessage());
        assertSame(failure, error.getCause());
    }
}
