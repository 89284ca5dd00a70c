package io.tierflow.migrator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Per-site circuit breaker, so a site that is down is backed off instead of hammered: after
 * {@code failureThreshold} consecutive failures it opens and refuses work for {@code openDuration}; then it lets
 * one probe through (half-open), closing again on success and re-opening on failure. Thread-safe.
 */
public final class CircuitBreaker {
    /** The breaker's state. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final Duration openDuration;
    private final Clock clock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openedAt = Instant.EPOCH;
    private boolean probeInFlight;

    public CircuitBreaker(int failureThreshold, Duration openDuration, Clock clock) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be at least 1");
        }
        this.failureThreshold = failureThreshold;
        this.openDuration = openDuration;
        this.clock = clock;
    }

    /** Whether a request to the site may go ahead now. In half-open state only one probe is allowed at a time. */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (clock.instant().isBefore(openedAt.plus(openDuration))) {
                    return false;
                }
                state = State.HALF_OPEN;
                probeInFlight = true;
                return true;
            default: // HALF_OPEN
                if (probeInFlight) {
                    return false;
                }
                probeInFlight = true;
                return true;
        }
    }

    public synchronized void recordSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        probeInFlight = false;
    }

    public synchronized void recordFailure() {
        probeInFlight = false;
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
            state = State.OPEN;
            openedAt = clock.instant();
        }
    }

    public synchronized State state() {
        // Report an expired open period as half-open, which is what the next tryAcquire would find.
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openDuration))) {
            return State.HALF_OPEN;
        }
        return state;
    }

    /** When an open breaker will let a probe through; now when it is not open. */
    public synchronized Instant retryAt() {
        return state == State.OPEN ? openedAt.plus(openDuration) : clock.instant();
    }
}
