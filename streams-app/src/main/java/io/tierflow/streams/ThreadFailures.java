package io.tierflow.streams;

import io.tierflow.serde.SchemaRegistryException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What to do when a stream thread dies. A schema registry that cannot be reached or answers 5xx (still starting, or
 * slow for a moment: a first registration can take seconds) is transient: the thread is replaced, its transaction
 * aborted and its tasks resumed from the committed offsets, so nothing is lost or counted twice. Anything else, or
 * more than {@code maxReplacements} replacements within {@code windowMs}, shuts the client down, as a fault that
 * repeats needs a person.
 */
final class ThreadFailures {
    private final int maxReplacements;
    private final long windowMs;
    private final Deque<Long> replacedAt = new ArrayDeque<>();

    ThreadFailures(int maxReplacements, long windowMs) {
        this.maxReplacements = maxReplacements;
        this.windowMs = windowMs;
    }

    synchronized StreamThreadExceptionResponse onDeath(Throwable failure, long nowMs) {
        if (!transientRegistryFailure(failure)) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        while (!replacedAt.isEmpty() && replacedAt.peekFirst() <= nowMs - windowMs) {
            replacedAt.removeFirst();
        }
        if (replacedAt.size() >= maxReplacements) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacedAt.addLast(nowMs);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Whether a schema registry that could not be reached, or failed on its side, is among the causes. */
    static boolean transientRegistryFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry
                    && (registry.status() < 0 || registry.status() >= 500)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
