package io.tierflow.streams;

import io.tierflow.schemas.AccessEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What an access event read from Kafka must be to be counted: dated neither beyond the wall clock plus a tolerance nor
 * before the retention horizon (see {@link TieringSettings#futureTolerance()} and
 * {@link TieringSettings#eventRetention()}), with bytes not negative and a latency that is a number not below 0.
 * Anything else is a producer's error, sent to dead-letters with the reason rather than counted.
 *
 * <p>Shared by the timestamp extractor, which must not let a future event move stream time, and the gate that
 * dead-letters it. The wall clock is read only when an event looks future against the last reading: live events are
 * dated just before now, so the clock is read about once per tolerance (an hour), not per event.
 */
final class AccessEventRules {
    private final long futureToleranceMs;
    private final long retentionMs;
    private final LongSupplier wallClock;
    /** The latest wall-clock reading; events dated up to it plus the tolerance need no new reading. */
    private volatile long wallClockMs;

    AccessEventRules(Duration futureTolerance, Duration retention, LongSupplier wallClock) {
        this.futureToleranceMs = futureTolerance.toMillis();
        this.retentionMs = retention.toMillis();
        this.wallClock = wallClock;
        this.wallClockMs = wallClock.getAsLong();
    }

    static AccessEventRules of(TieringSettings settings) {
        return new AccessEventRules(settings.futureTolerance(), settings.eventRetention(), System::currentTimeMillis);
    }

    /** Whether an event at {@code eventTimeMs} is dated beyond the wall clock plus the tolerance. */
    boolean isFuture(long eventTimeMs) {
        if (eventTimeMs <= wallClockMs + futureToleranceMs) {
            return false;
        }
        long now = wallClock.getAsLong();
        wallClockMs = now;
        return eventTimeMs > now + futureToleranceMs;
    }

    /** Whether an event time may be the stream's time: not future, not before 1970. */
    boolean isPlausibleTime(long eventTimeMs) {
        return eventTimeMs >= 0 && !isFuture(eventTimeMs);
    }

    /**
     * Why {@code event} cannot be counted, or empty if it can.
     *
     * @param streamTimeMs the newest time the task has seen (-1 or 0 before any), the reference of the retention horizon
     */
    Optional<String> problem(AccessEvent event, long streamTimeMs) {
        long eventTimeMs = event.getEventTime().toEpochMilli();
        if (eventTimeMs < 0) {
            return Optional.of("the event is dated " + event.getEventTime() + ", before 1970");
        }
        if (isFuture(eventTimeMs)) {
            return Optional.of("the event is dated " + event.getEventTime() + ", more than "
                    + Duration.ofMillis(futureToleranceMs) + " after the wall clock (" + Instant.ofEpochMilli(wallClockMs)
                    + "): a producer's clock or time unit is wrong");
        }
        if (streamTimeMs > 0 && eventTimeMs < streamTimeMs - retentionMs) {
            return Optional.of("the event is dated " + event.getEventTime() + ", more than "
                    + Duration.ofMillis(retentionMs) + " before the newest event of its partition ("
                    + Instant.ofEpochMilli(streamTimeMs) + "): beyond the retention horizon");
        }
        if (event.getBytes() < 0) {
            return Optional.of("the event has negative bytes (" + event.getBytes() + ")");
        }
        double latency = event.getLatencyMs();
        if (!(latency >= 0) || Double.isInfinite(latency)) {
            return Optional.of("the event's latencyMs is " + latency + ", not a number from 0 up");
        }
        return Optional.empty();
    }
}
