package io.tierflow.streams;

import static io.tierflow.streams.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Site;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The topology counts what it does: events, evaluations by tier, commands, dead letters, alerts. */
@ExtendWith(InMemoryRegistry.class)
class TieringMetricsTest {
    private static final long GB = 1_000_000_000L;

    @TempDir
    Path stateDir;
    MeterRegistry registry;
    TopologyFixture fixture;

    @BeforeEach
    void start(InMemoryRegistry.Url url) {
        registry = new SimpleMeterRegistry();
        fixture = new TopologyFixture(url.value(), stateDir, TieringSettings.DEFAULTS, new TieringMetrics(registry))
                .withStandardSites(false);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldCountEventsEvaluationsByTierAndCommandsOfAPromotion() {
        fixture.datasets.pipeInput("ds", TopologyFixture.dataset("ds", "azure", "GLACIER_IR", GB), START);
        fixture.burst("ds", START.plusSeconds(60), 30, Duration.ofMinutes(5));
        AccessEvent again = fixture.event("ds", START.plusSeconds(400), "us-east");
        fixture.accessEvents.pipeInput("ds", again, START.plusSeconds(400));
        fixture.accessEvents.pipeInput("ds", again, START.plusSeconds(401));

        assertEquals(31, counter("tierflow.access.events", "outcome", "counted"));
        assertEquals(1, counter("tierflow.access.events", "outcome", "duplicate"), "the redelivered event");
        assertEquals(0, counter("tierflow.access.events", "outcome", "too_late"));
        // Inventory (cold), then one evaluation each time the burst moved the tier: warm, hot.
        assertEquals(1, counter("tierflow.placement.evaluations", "tier", "cold"));
        assertEquals(1, counter("tierflow.placement.evaluations", "tier", "warm"));
        assertEquals(1, counter("tierflow.placement.evaluations", "tier", "hot"));
        assertEquals(3, registry.get("tierflow.placement.evaluation").timer().count());
        assertTrue(registry.get("tierflow.placement.evaluation").timer().totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);
        assertEquals(1, counter("tierflow.migration.commands.issued", "action", "copy"));
        assertEquals(0, counter("tierflow.migration.commands.issued", "action", "switch"));

        var heat = registry.get("tierflow.dataset.heat").summary().takeSnapshot();
        assertEquals(3, heat.count());
        CountAtBucket atHotThreshold = Arrays.stream(heat.histogramCounts())
                .filter(b -> b.bucket() == 20.0).findFirst().orElseThrow();
        assertEquals(2, atHotThreshold.count(), "cold and warm were decided below the hot threshold (20), hot above");
    }

    @Test
    void shouldRecountTheCensusLessOftenWhenItTakesLong() {
        Duration refresh = Duration.ofSeconds(15);
        assertEquals(15_000, TieringApp.nextCensusDelayMs(refresh, 300), "a quick census: every refresh interval");
        assertEquals(15_000, TieringApp.nextCensusDelayMs(refresh, 15_000 / TieringApp.CENSUS_IDLE_PER_BUSY));
        // A census of 4 s (a million datasets): busy 4 s, then idle 76 s, a twentieth of a core.
        assertEquals(76_000, TieringApp.nextCensusDelayMs(refresh, 4_000));
    }

    @Test
    void shouldCountDeadLettersByStage() {
        fixture.datasets.pipeInput("ok", TopologyFixture.dataset("ok", "aws", "STANDARD", GB), START);
        fixture.rawAccessEvents.pipeInput("ok", new byte[] {1, 2, 3}, START.plusSeconds(1));
        fixture.deadLetters.readValue();

        assertEquals(1, counter("tierflow.dead.letters", "stage", "deserialization"));
        assertEquals(0, counter("tierflow.dead.letters", "stage", "processing"));
        assertTrue(fixture.deadLetters.isEmpty());
    }

    @Test
    void shouldCountAlertStateChangesByType() {
        Site awsDown = Site.newBuilder(TopologyFixture.standardSites().get(0)).setUp(false).build();
        fixture.sites.pipeInput("aws", awsDown, START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        fixture.alerts.readValue();

        assertEquals(1, counter("tierflow.alerts", "type", "site_down", "state", "firing"));
        assertEquals(0, counter("tierflow.alerts", "type", "site_down", "state", "resolved"));

        fixture.sites.pipeInput("aws", TopologyFixture.standardSites().get(0), START.plusSeconds(20));
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        fixture.alerts.readValue();
        assertEquals(1, counter("tierflow.alerts", "type", "site_down", "state", "resolved"));
        assertTrue(fixture.alerts.isEmpty());
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }
}
