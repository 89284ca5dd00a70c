package io.tierflow.localstack;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a component to answer, polling with a short back-off instead of sleeping a fixed time. */
final class Readiness {
    private Readiness() {
    }

    /**
     * Calls {@code probe} until it returns true, failing after {@code timeout} with the last error.
     *
     * @param what what is being waited for, for the error message
     * @param alive checked between probes; when it turns false the wait fails at once (the process died)
     */
    static void await(String what, Duration timeout, Callable<Boolean> probe, Callable<Boolean> alive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 20;
        Exception last = null;
        while (true) {
            try {
                if (!alive.call()) {
                    throw new IllegalStateException(what + " stopped before it became ready"
                            + (last == null ? "" : " (last probe: " + last.getMessage() + ")"));
                }
                if (probe.call()) {
                    return;
                }
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " was not ready within " + timeout.toSeconds() + " s"
                        + (last == null ? "" : ": " + last), last);
            }
            try {
                Thread.sleep(pauseMillis); // back-off between probes, not a guess at readiness
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 250);
        }
    }
}
