package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AccessEventRulesTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private final AtomicLong clock = new AtomicLong(NOW.toEpochMilli());
    private final AtomicLong clockReads = new AtomicLong();
    private final AccessEventRules rules = new AccessEventRules(Duration.ofHours(1), Duration.ofDays(7), () -> {
        clockReads.incrementAndGet();
        return clock.get();
    });

    private static AccessEvent event(Instant at) {
        return AccessEvent.newBuilder().setKey("k").setOp(AccessOp.GET).setBytes(10).setServedFrom("aws")
                .setClientRegion("eu-west").setLatencyMs(12.5).setEventTime(at).setEventId(null).build();
    }

    @Test
    void shouldReadTheClockOnlyWhenAnEventLooksFutureAgainstTheLastReading() {
        long readsAtStart = clockReads.get();
        for (int i = 0; i < 10_000; i++) {
            assertEquals(Optional.empty(), rules.problem(event(NOW.plusMillis(i)), NOW.toEpochMilli()));
        }
        assertEquals(readsAtStart, clockReads.get(), "live events cost no clock reading");

        Instant inTwoHours = NOW.plus(Duration.ofHours(2));
        assertTrue(rules.problem(event(inTwoHours), NOW.toEpochMilli()).orElseThrow().contains("after the wall clock"));
        assertEquals(readsAtStart + 1, clockReads.get());
        clock.set(NOW.plus(Duration.ofMinutes(90)).toEpochMilli());
        assertEquals(Optional.empty(), rules.problem(event(inTwoHours), NOW.toEpochMilli()),
                "within the tolerance of the clock now");
    }

    @Test
    void shouldTellAPlausibleEventTimeForTheExtractor() {
        assertTrue(rules.isPlausibleTime(NOW.plus(Duration.ofMinutes(59)).toEpochMilli()));
        assertFalse(rules.isPlausibleTime(NOW.plus(Duration.ofMinutes(61)).toEpochMilli()));
        assertFalse(rules.isPlausibleTime(-1));
    }

    @Test
    void shouldNameEachBrokenRule() {
        long streamTime = NOW.toEpochMilli();
        assertTrue(rules.problem(event(NOW.minus(Duration.ofDays(8))), streamTime).orElseThrow()
                .contains("beyond the retention horizon"));
        assertEquals(Optional.empty(), rules.problem(event(NOW.minus(Duration.ofDays(6))), streamTime),
                "late, but within the horizon: the policy's lateness decides");
        assertEquals(Optional.empty(), rules.problem(event(Instant.EPOCH.plusSeconds(5)), -1),
                "no stream time yet: no horizon");
        assertTrue(rules.problem(event(Instant.ofEpochMilli(-5)), streamTime).orElseThrow().contains("before 1970"));
        AccessEvent negative = event(NOW);
        negative.setBytes(-3);
        assertTrue(rules.problem(negative, streamTime).orElseThrow().contains("negative bytes (-3)"));
        for (double latency : new double[] {Double.NaN, -0.5, Double.POSITIVE_INFINITY}) {
            AccessEvent bad = event(NOW);
            bad.setLatencyMs(latency);
            assertTrue(rules.problem(bad, streamTime).orElseThrow().contains("latencyMs is " + latency));
        }
        AccessEvent zero = event(NOW);
        zero.setLatencyMs(0);
        zero.setBytes(0);
        assertEquals(Optional.empty(), rules.problem(zero, streamTime));
    }
}
