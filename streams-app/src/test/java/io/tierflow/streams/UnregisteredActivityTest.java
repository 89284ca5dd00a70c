package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Activity of keys without an inventory entry: held until claimed, within a count and a time bound. */
class UnregisteredActivityTest {
    private final AtomicInteger dropped = new AtomicInteger();
    private final UnregisteredActivity held = new UnregisteredActivity(3, 1_000, dropped::incrementAndGet);

    @Test
    void shouldHandTheSameActivityUntilItIsTaken() {
        DatasetActivity first = held.forUpdate("a", 0);
        assertSame(first, held.forUpdate("a", 500));
        assertSame(first, held.take("a"));
        assertNull(held.take("a"));
        assertEquals(0, dropped.get());
    }

    @Test
    void shouldDropTheOldestBeyondTheCount() {
        for (String key : new String[] {"a", "b", "c", "d"}) {
            held.forUpdate(key, 10);
        }
        assertEquals(3, held.size());
        assertEquals(1, dropped.get());
        assertNull(held.take("a"), "the oldest went");
        assertNotNull(held.take("d"));
    }

    @Test
    void shouldDropWhatWaitedLongerThanTheTimeBound() {
        held.forUpdate("a", 0);
        held.forUpdate("b", 600);
        held.forUpdate("c", 1_500); // a waited 1500 ms: past the bound; b only 900

        assertEquals(2, held.size());
        assertEquals(1, dropped.get());
        assertNull(held.take("a"));
        assertNotNull(held.take("b"));
    }
}
