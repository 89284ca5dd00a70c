package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierflow.serde.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {
    private static final long MINUTE = 60_000L;

    @Test
    void shouldReplaceAThreadKilledByAnUnreachableRegistryAndShutDownOnAnythingElse() {
        ThreadFailures failures = new ThreadFailures(5, 10 * MINUTE);
        Throwable unreachable = new ProcessorStateException("failed to flush cache of store cost-ledger",
                new SerializationException("could not register schema",
                        new SchemaRegistryException("schema registry is unreachable", -1, -1, null)));
        Throwable refused = new SerializationException("incompatible schema",
                new SchemaRegistryException("409 incompatible", 409, 409, null));

        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.onDeath(unreachable, 0));
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.onDeath(
                new SchemaRegistryException("503", 503, -1, null), 0), "the registry failed on its side");
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, failures.onDeath(refused, 0),
                "an incompatible schema does not go away by itself");
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, failures.onDeath(new IllegalStateException(), 0));
    }

    @Test
    void shouldShutDownWhenTheRegistryStaysAwayForTooManyReplacementsInTheWindow() {
        ThreadFailures failures = new ThreadFailures(2, 10 * MINUTE);
        Throwable unreachable = new SchemaRegistryException("unreachable", -1, -1, null);

        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.onDeath(unreachable, 0));
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.onDeath(unreachable, MINUTE));
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, failures.onDeath(unreachable, 2 * MINUTE));
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.onDeath(unreachable, 11 * MINUTE),
                "the first replacement has left the window");
    }
}
