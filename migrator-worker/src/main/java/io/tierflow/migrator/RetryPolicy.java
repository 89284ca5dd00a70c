package io.tierflow.migrator;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How often and how soon a failed command is tried again: exponential backoff capped at {@code maxDelay}, with
 * "full jitter" (a uniformly random delay up to the backoff) so that workers that failed together do not retry
 * together, and at most {@code maxAttempts} attempts in all.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(2));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay");
        }
    }

    /** Whether a failure with this code in attempt {@code attempt} (from 1) deserves another attempt. */
    public boolean shouldRetry(int attempt, ErrorCode code) {
        return code.retryable() && attempt < maxAttempts;
    }

    /** The cap of the delay after failed attempt {@code attempt}: base · 2^(attempt-1), at most maxDelay. */
    public Duration backoffCap(int attempt) {
        long base = baseDelay.toMillis();
        int shift = Math.min(Math.max(attempt - 1, 0), 30); // 2^30 · base is beyond any sensible cap already
        long cap = base << shift;
        if (cap < 0 || cap > maxDelay.toMillis()) {
            cap = maxDelay.toMillis();
        }
        return Duration.ofMillis(cap);
    }

    /** The delay before the next attempt after failed attempt {@code attempt}; {@code random} gives [0, 1). */
    public Duration delayAfter(int attempt, DoubleSupplier random) {
        return Duration.ofMillis((long) (backoffCap(attempt).toMillis() * random.getAsDouble()));
    }
}
