package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(500));

    @Test
    void shouldDoubleTheBackoffCapUpToTheMaximum() {
        assertEquals(Duration.ofMillis(100), policy.backoffCap(1));
        assertEquals(Duration.ofMillis(200), policy.backoffCap(2));
        assertEquals(Duration.ofMillis(400), policy.backoffCap(3));
        assertEquals(Duration.ofMillis(500), policy.backoffCap(4));
        assertEquals(Duration.ofMillis(500), policy.backoffCap(100));
    }

    @Test
    void shouldJitterUniformlyBelowTheCap() {
        assertEquals(Duration.ZERO, policy.delayAfter(3, () -> 0.0));
        assertEquals(Duration.ofMillis(200), policy.delayAfter(3, () -> 0.5));
        assertEquals(Duration.ofMillis(399), policy.delayAfter(3, () -> 0.999));
    }

    @Test
    void shouldRetryOnlyRetryableCodesWithinTheAttemptBudget() {
        assertTrue(policy.shouldRetry(1, ErrorCode.SITE_UNAVAILABLE));
        assertTrue(policy.shouldRetry(3, ErrorCode.SITE_UNAVAILABLE));
        assertFalse(policy.shouldRetry(4, ErrorCode.SITE_UNAVAILABLE));
        assertFalse(policy.shouldRetry(1, ErrorCode.VERSION_CONFLICT));
        assertFalse(policy.shouldRetry(1, ErrorCode.CHECKSUM_MISMATCH));
        assertFalse(policy.shouldRetry(1, ErrorCode.MISSING_SOURCE));
    }
}
