package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The catalogue's up/down flag reaches the breakers that gate the pool's commands. */
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
