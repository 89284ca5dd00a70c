package io.tierflow.streams.domain;

import java.time.Duration;

/**
 * How often a group alert may be published again, and how long a resolved alert is kept before it is deleted. Both
 * on the wall clock: they bound the records an operator (and the compacted {@code alerts} topic) sees over time.
 *
 * @param minPublishInterval shortest time between two publications of one group alert: its first firing goes out at
 *     once, the members that join or leave within this interval are published together at its end
 * @param resolvedRetention how long a resolved alert stays listed before it is deleted (a tombstone on the topic)
 */
public record AlertPacing(Duration minPublishInterval, Duration resolvedRetention) {
    /** A minute between updates of a group; resolved alerts listed for a day. */
    public static final AlertPacing DEFAULTS = new AlertPacing(Duration.ofMinutes(1), Duration.ofHours(24));

    public AlertPacing {
        if (minPublishInterval.isNegative() || resolvedRetention.isNegative()) {
            throw new IllegalArgumentException("alert intervals must not be negative: " + minPublishInterval + ", "
                    + resolvedRetention);
        }
    }

    /** Whether a group last published at {@code lastPublishedAt} (negative: never) may be published at {@code now}. */
    public boolean mayPublish(long lastPublishedAt, long now) {
        return lastPublishedAt < 0 || now - lastPublishedAt >= minPublishInterval.toMillis();
    }

    /** Whether an alert resolved at {@code resolvedAt} is past its retention at {@code now}. */
    public boolean expired(long resolvedAt, long now) {
        return now - resolvedAt >= resolvedRetention.toMillis();
    }
}
