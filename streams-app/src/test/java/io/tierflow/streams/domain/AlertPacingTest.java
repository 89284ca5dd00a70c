package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AlertPacingTest {
    private final AlertPacing pacing = new AlertPacing(Duration.ofSeconds(60), Duration.ofHours(24));

    @Test
    void shouldPublishAGroupAtOnceTheFirstTimeThenOncePerInterval() {
        assertTrue(pacing.mayPublish(-1, 0), "never published: at once");
        assertFalse(pacing.mayPublish(1_000, 1_000));
        assertFalse(pacing.mayPublish(1_000, 60_999));
        assertTrue(pacing.mayPublish(1_000, 61_000));
    }

    @Test
    void shouldExpireAResolvedAlertOnlyAfterItsRetention() {
        long resolvedAt = 5_000;
        long day = Duration.ofHours(24).toMillis();
        assertFalse(pacing.expired(resolvedAt, resolvedAt));
        assertFalse(pacing.expired(resolvedAt, resolvedAt + day - 1));
        assertTrue(pacing.expired(resolvedAt, resolvedAt + day));
    }

    @Test
    void shouldRefuseNegativeIntervals() {
        assertThrows(IllegalArgumentException.class, () -> new AlertPacing(Duration.ofSeconds(-1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new AlertPacing(Duration.ZERO, Duration.ofHours(-1)));
    }
}
