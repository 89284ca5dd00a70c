package io.tierflow.migrator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Per-site circuit breaker, so a site that is down is backed off instead of hammered: after
 * {@code failureThreshold} consecutive failures it opens and refuses work for {@code openDuration}; then it lets
 * one probe through (half-open), closing again on success and re-opening on failure. An operator can also mark
 * the site down (the {@code sites} catalogue says {@code up=false}): then it stays open, whatever requests would
 * show, until it is marked up again. Thread-safe.
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
    private boolean markedDown;

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
        if (markedDown) {
            return false;
        }
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

    /** The catalogue marks the site down: refuse all requests until {@link #markUp()}. */
    public synchronized void markDown() {
        markedDown = true;
    }

    /** The catalogue marks the site up again: requests go ahead at once, with a fresh failure count. */
    public synchronized void markUp() {
        if (markedDown) {
            markedDown = false;
            recordSuccess();
        }
    }

    public synchronized boolean markedDown() {
        return markedDown;
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
        if (markedDown) {
            return State.OPEN;
        }
        // Report an expired open period as half-open, which is what the next tryAcquire would find.
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openDuration))) {
            return State.HALF_OPEN;
        }
        return state;
    }

    /**
     * When an open breaker will let a probe through; now when it is not open. For a site marked down, one open
     * period from now: a waiting command looks again then (being marked up does not wake it earlier).
     */
    public synchronized Instant retryAt() {
        if (markedDown) {
            return clock.instant().plus(openDuration);
        }
        return state == State.OPEN ? openedAt.plus(openDuration) : clock.instant();
    }
}
