package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), clock);

    @Test
    void shouldOpenAfterConsecutiveFailuresAndRefuseWork() {
        breaker.recordFailure();
        breaker.recordFailure();
        assertTrue(breaker.tryAcquire());
        breaker.recordFailure();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertFalse(breaker.tryAcquire());
        assertEquals(clock.now.plusSeconds(30), breaker.retryAt());
    }

    @Test
    void shouldResetTheFailureCountOnSuccess() {
        breaker.recordFailure();
        breaker.recordFailure();
        breaker.recordSuccess();
        breaker.recordFailure();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }

    @Test
    void shouldLetOneProbeThroughAfterTheOpenPeriodAndCloseOnSuccess() {
        openIt();
        clock.now = clock.now.plusSeconds(30);
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        assertTrue(breaker.tryAcquire());
        assertFalse(breaker.tryAcquire(), "only one probe at a time");
        breaker.recordSuccess();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void shouldReopenWhenTheProbeFails() {
        openIt();
        clock.now = clock.now.plusSeconds(31);
        assertTrue(breaker.tryAcquire());
        breaker.recordFailure();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertFalse(breaker.tryAcquire());
    }

    private void openIt() {
        for (int i = 0; i < 3; i++) {
            breaker.recordFailure();
        }
    }

    @Test
    void shouldStayOpenWhileTheSiteIsMarkedDownWhateverRequestsShow() {
        breaker.markDown();

        assertFalse(breaker.tryAcquire());
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        clock.now = clock.now.plus(Duration.ofMinutes(5)); // far past an open period: still no probe
        assertFalse(breaker.tryAcquire());
        assertEquals(clock.now.plus(Duration.ofSeconds(30)), breaker.retryAt(), "waiters look again later");

        breaker.markUp();

        assertTrue(breaker.tryAcquire());
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertEquals(clock.now, breaker.retryAt());
    }

    @Test
    void shouldKeepItsOwnFailuresWhenASiteThatIsUpIsMarkedUpAgain() {
        breaker.recordFailure();
        breaker.recordFailure();
        breaker.recordFailure();

        breaker.markUp(); // the catalogue re-publishing up=true must not hide an outage the breaker has seen

        assertFalse(breaker.tryAcquire());
    }
}
