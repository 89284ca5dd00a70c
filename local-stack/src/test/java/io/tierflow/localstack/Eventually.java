package io.tierflow.localstack;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition of an asynchronous system (a topology, a migrator, an API) by polling it. */
public final class Eventually {
    private static final long POLL_MILLIS = 100;

    private Eventually() {
    }

    /** A condition that may throw while the system is not ready yet (then it is asked again). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Returns once the condition holds; fails naming {@code what} when it has not within the timeout. */
    public static void holds(Duration timeout, String what, Condition condition) throws Exception {
        holds(timeout, () -> what, condition);
    }

    /**
     * As {@link #holds(Duration, String, Condition)}, with {@code what} asked for only when the wait fails, so it can
     * tell what the condition last saw.
     */
    public static void holds(Duration timeout, Supplier<String> what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Exception lastFailure = null;
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                lastFailure = e; // not ready yet (a group not formed, a server still starting): asked again
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what.get()
                        + (lastFailure == null ? "" : "; last asked, the condition threw " + lastFailure), lastFailure);
            }
            Thread.sleep(POLL_MILLIS); // the polling interval of a condition wait, not a fixed delay
        }
    }
}
