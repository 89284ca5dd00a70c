package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.catalogue.SitePlace;
import io.tierflow.schemas.Provider;
import io.tierflow.schemas.Site;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue as the worker acts on it: up/down reaches the breakers, and only a trusted place gets a store. */
class SiteStoresTest {
    @TempDir
    Path dir;

    @Test
    void shouldHoldASiteMarkedDownInTheCatalogueUntilItIsMarkedUp() {
        try (SiteStores sites = new SiteStores(Map.of(), 64L << 20, 64L << 20, 3, Duration.ofSeconds(30),
                Clock.systemUTC())) {
            List<String> breakers = new ArrayList<>();
            sites.onBreaker((name, breaker) -> breakers.add(name));

            sites.update("onprem", site(false));

            assertEquals(List.of("onprem"), breakers, "a breaker (and its site_up gauge) for every catalogued site");
            assertEquals(CircuitBreaker.State.OPEN, sites.breaker("onprem").state());
            assertTrue(sites.availableAt("onprem").isAfter(Instant.now()), "commands for it wait");
            assertFalse(sites.breaker("onprem").tryAcquire());

            sites.update("onprem", site(true));

            assertEquals(CircuitBreaker.State.CLOSED, sites.breaker("onprem").state());
            assertFalse(sites.availableAt("onprem").isAfter(Instant.now()), "commands for it run again");
            assertEquals(List.of("onprem"), breakers, "the same breaker, not a new one");
        }
    }

    @Test
    void shouldRefuseASiteWithoutAPinUnlessTheOperatorTurnsPinsOff() {
        SiteTrust byDefault = MigratorSettings.from(new java.util.Properties()).trust();
        try (SiteStores sites = new SiteStores(Map.of(), 64L << 20, 64L << 20, 3, Duration.ofSeconds(30),
                Clock.systemUTC()).trust(byDefault)) {
            sites.update("onprem", site(true)); // the first record this worker sees could point anywhere

            assertTrue(sites.store("onprem").isEmpty(), "no request is signed for an unpinned site");
            String refusal = sites.refusal("onprem").orElseThrow();
            assertTrue(refusal.contains(MigratorSettings.REQUIRE_PINNED_SITES + " is true (the default)"), refusal);
            assertTrue(refusal.contains("tierflow.migrator.site.onprem.endpoint / .bucket"), refusal);
            assertTrue(refusal.contains(dir.toUri() + " bucket tierflow"), "names where the record puts it");
        }
        java.util.Properties optedOut = new java.util.Properties();
        optedOut.put(MigratorSettings.REQUIRE_PINNED_SITES, "false");
        try (SiteStores sites = new SiteStores(Map.of(), 64L << 20, 64L << 20, 3, Duration.ofSeconds(30),
                Clock.systemUTC()).trust(MigratorSettings.from(optedOut).trust())) {
            sites.update("onprem", site(true));
            assertTrue(sites.store("onprem").isPresent(), "trusted where first seen, as the operator chose");
        }
    }

    @Test
    void shouldTrustNothingBeforeItIsConfigured() {
        try (SiteStores sites = new SiteStores(Map.of(), 64L << 20, 64L << 20, 3, Duration.ofSeconds(30),
                Clock.systemUTC())) {
            sites.update("onprem", site(true));
            assertTrue(sites.store("onprem").isEmpty() && sites.refusal("onprem").isPresent());
        }
    }

    @Test
    void shouldRefuseARecordKeyedByAnotherSitesName() {
        try (SiteStores sites = new SiteStores(Map.of(), 64L << 20, 64L << 20, 3, Duration.ofSeconds(30),
                Clock.systemUTC()).trust(SiteTrust.firstSeen())) {
            sites.update("aws", site(true)); // names onprem

            assertTrue(sites.store("aws").isEmpty());
            assertTrue(sites.refusal("aws").orElseThrow().contains("keyed 'aws' names site 'onprem'"),
                    sites.refusal("aws").toString());
        }
    }

    @Test
    void shouldNotFollowASitesRecordThatMovesASiteElsewhere() {
        try (SiteStores sites = new SiteStores(Map.of(), 64L << 20, 64L << 20, 3, Duration.ofSeconds(30),
                Clock.systemUTC()).trust(SiteTrust.firstSeen())) {
            sites.update("onprem", site(true));
            assertTrue(sites.store("onprem").isPresent());

            sites.update("onprem", Site.newBuilder(site(true)).setBucket("elsewhere").build());

            assertTrue(sites.store("onprem").isEmpty(), "no store at the new place");
            assertTrue(sites.refusal("onprem").orElseThrow().contains("elsewhere"), sites.refusal("onprem").toString());

            sites.update("onprem", site(true));
            assertTrue(sites.store("onprem").isPresent() && sites.refusal("onprem").isEmpty());
        }
    }

    @Test
    void shouldActOnlyWhereTheOperatorPinnedASite() {
        SiteTrust pinned = new SiteTrust(Map.of("onprem", new SitePlace(dir.toUri().toString(), "pinned")),
                true, java.util.Set.of());
        try (SiteStores sites = new SiteStores(Map.of(), 64L << 20, 64L << 20, 3, Duration.ofSeconds(30),
                Clock.systemUTC()).trust(pinned)) {
            sites.update("onprem", site(true)); // the first record seen disagrees with the pin

            assertTrue(sites.store("onprem").isEmpty());
            assertTrue(sites.refusal("onprem").orElseThrow().contains("pins it at"));

            sites.update("onprem", Site.newBuilder(site(true)).setBucket("pinned").build());
            assertTrue(sites.store("onprem").isPresent(), "where the operator's configuration agrees");

            sites.update("aws", Site.newBuilder(site(true)).setName("aws").build());
            assertTrue(sites.refusal("aws").orElseThrow().contains("not pinned"), "pins are required");
        }
    }

    @Test
    void shouldReadPinsFromTheWorkersConfiguration() {
        java.util.Properties config = new java.util.Properties();
        config.put(MigratorSettings.SITE_PIN_PREFIX + "aws.endpoint", "https://s3.eu-west-1.amazonaws.com");
        config.put(MigratorSettings.SITE_PIN_PREFIX + "aws.bucket", "tierflow-prod");
        config.put(MigratorSettings.ACCEPT_UNCONDITIONAL_DELETE, "minio, onprem");

        SiteTrust trust = MigratorSettings.from(config).trust();

        assertEquals(Map.of("aws", new SitePlace("https://s3.eu-west-1.amazonaws.com", "tierflow-prod")),
                trust.pins());
        assertTrue(trust.requirePinned(), "an unpinned site is refused unless the operator says otherwise");
        assertTrue(trust.acceptsUnconditionalDelete("minio") && !trust.acceptsUnconditionalDelete("aws"));
        config.remove(MigratorSettings.SITE_PIN_PREFIX + "aws.bucket");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MigratorSettings.from(config)).getMessage().contains("aws.bucket"));
    }

    private Site site(boolean up) {
        return Site.newBuilder()
                .setName("onprem")
                .setProvider(Provider.ONPREM)
                .setRegion("eu-west")
                .setEndpoint(dir.toUri().toString())
                .setBucket("tierflow")
                .setStorageClasses(List.of())
                .setP95LatencyMs(5)
                .setEgressPricePerGb(0)
                .setEncrypted(false)
                .setCapacityBytes(Long.MAX_VALUE)
                .setUp(up)
                .build();
    }
}
