package io.tierflow.streams;

import static io.tierflow.streams.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.FeatureWeight;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.schemas.Tier;
import io.tierflow.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policies, sites and models produced straight to their topics pass the API's rules or are refused: the last good one
 * stays in force, an alert names the reason until a good one arrives, and decisions go on as before.
 */
@ExtendWith(InMemoryRegistry.class)
class CatalogueValidationTest {
    private static final long GB = 1_000_000_000L;

    @TempDir
    Path stateDir;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    TopologyFixture fixture;

    @BeforeEach
    void start(InMemoryRegistry.Url registry) {
        fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS, new TieringMetrics(meters))
                .withStandardSites(false);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldKeepThePolicyInForceWhenAnInvalidOneIsPublishedStraightToTheTopic() {
        Policy good = TopologyFixture.policy(false);
        List<Policy> invalid = List.of(
                Policy.newBuilder(good).setHysteresis(1.0).setHotThreshold(1e9).build(),
                Policy.newBuilder(good).setHotThreshold(1).setWarmThreshold(2).build(),
                Policy.newBuilder(good).setHeatHalfLifeSeconds(0).build(),
                Policy.newBuilder(good).setHotThreshold(Double.POSITIVE_INFINITY).build(),
                Policy.newBuilder(good).setScoreBoost(Double.NaN).build());
        for (Policy policy : invalid) {
            fixture.policies.pipeInput("default", policy, START);
        }
        // The alert tells the reason of the latest refusal.
        assertAlert("policies/default", AlertState.FIRING, "scoreBoost must be a number not below 0");
        assertEquals(invalid.size(), rejected(Topics.POLICIES));
        assertEquals(good, this.<Policy>store(TieringTopology.POLICIES_STORE).get("default"));

        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        fixture.datasets.pipeInput("p", TopologyFixture.dataset("p", "azure", "GLACIER_IR", GB), START);
        fixture.burst("p", START.plusSeconds(10), 30, Duration.ofMinutes(5));
        List<Placement> placements = fixture.placementsFor("p");
        assertEquals(Tier.HOT, placements.get(placements.size() - 1).getTier(),
                "30 reads cross the good policy's hot threshold of 20");
        assertEquals(20.0, placements.get(placements.size() - 1).getExplanation().getHotThreshold());

        // A good policy published after the refused ones takes effect as ever.
        fixture.policies.pipeInput("default", Policy.newBuilder(good).setHotThreshold(50).build(), START);
        assertEquals(50.0, this.<Policy>store(TieringTopology.POLICIES_STORE).get("default").getHotThreshold());
        assertAlert("policies/default", AlertState.RESOLVED, "scoreBoost");
    }

    @Test
    void shouldKeepTheSiteInForceWhenAnInvalidOneIsPublished() {
        Site aws = this.<Site>store(TieringTopology.SITES_STORE).get("aws");
        List<Site> invalid = List.of(
                Site.newBuilder(aws).setStorageClasses(List.of(StorageClassPrice.newBuilder(aws.getStorageClasses()
                        .get(0)).setStoragePricePerGbMonth(-0.01).build())).build(),
                Site.newBuilder(aws).setStorageClasses(List.of(StorageClassPrice.newBuilder(aws.getStorageClasses()
                        .get(0)).setPutPricePer1000(-0.005).build())).build(),
                Site.newBuilder(aws).setStorageClasses(List.of(StorageClassPrice.newBuilder(aws.getStorageClasses()
                        .get(0)).setMinimumBillableBytes(-1).build())).build(),
                Site.newBuilder(aws).setCapacityBytes(0).build(),
                Site.newBuilder(aws).setP95LatencyMs(Double.NaN).build(),
                Site.newBuilder(aws).setEgressPricePerGb(-1).build(),
                Site.newBuilder(aws).setStorageClasses(List.of()).build(),
                Site.newBuilder(aws).setEndpoint("ftp://elsewhere").build());
        for (Site site : invalid) {
            fixture.sites.pipeInput("aws", site, START);
        }
        assertAlert("sites/aws", AlertState.FIRING, "endpoint must be an http(s):// S3 endpoint");
        assertEquals(aws, this.<Site>store(TieringTopology.SITES_STORE).get("aws"));
        assertEquals(invalid.size(), rejected(Topics.SITES));

        // A negative price would have made aws the cheapest for every tier; the decision is the one of the good prices.
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        fixture.datasets.pipeInput("s", TopologyFixture.dataset("s", "azure", "GLACIER_IR", GB), START);
        Placement placement = fixture.placementsFor("s").get(0);
        assertEquals(Tier.COLD, placement.getTier());
        assertTrue(Double.isFinite(placement.getObjectiveUsdPerMonth()), placement.toString());
        assertTrue(placement.getExplanation().getSiteScores().stream()
                .filter(score -> score.getSite().equals("aws")).allMatch(score -> score.getStorageUsdPerMonth() > 0),
                "aws scored at its good prices: " + placement.getExplanation().getSiteScores());
        assertTrue(fixture.deadLetters.isEmpty());
    }

    @Test
    void shouldRefuseASiteRecordKeyedByAnotherName() {
        Site aws = this.<Site>store(TieringTopology.SITES_STORE).get("aws");
        // Valid on its own, but placement and the migrators would act on it as "aws" while it is stored as "free".
        Site posing = Site.newBuilder(aws).setStorageClasses(List.of(StorageClassPrice.newBuilder(aws
                .getStorageClasses().get(0)).setStoragePricePerGbMonth(0).build())).build();
        fixture.sites.pipeInput("free", posing, START);

        assertAlert("sites/free", AlertState.FIRING, "the record keyed 'free' names site 'aws'");
        assertNull(this.<Site>store(TieringTopology.SITES_STORE).get("free"));
        assertEquals(aws, this.<Site>store(TieringTopology.SITES_STORE).get("aws"));
        assertEquals(1.0, rejected(Topics.SITES));
    }

    @Test
    void shouldRefuseAModelWithCoefficientsThatAreNotFinite() {
        Model nan = Model.newBuilder().setName("current").setVersion("broken-1").setIntercept(0.0)
                .setFeatures(List.of(FeatureWeight.newBuilder().setName("count_1h").setCoefficient(Double.NaN)
                        .build())).setMetrics(Map.of()).setTrainedAt(START).build();
        fixture.models.pipeInput("current", nan, START);
        fixture.models.pipeInput("current", Model.newBuilder(nan).setIntercept(Double.NEGATIVE_INFINITY)
                .setFeatures(List.of()).build(), START);
        assertAlert("models/current", AlertState.FIRING, "intercept must be a finite number");
        assertEquals(2.0, rejected(Topics.MODELS));
        assertNull(this.<Model>store(TieringTopology.MODELS_STORE).get("current"));

        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        fixture.datasets.pipeInput("m", TopologyFixture.dataset("m", "aws", "STANDARD_IA", GB), START);
        Placement placement = fixture.placementsFor("m").get(0);
        assertEquals("built-in-1", placement.getExplanation().getModelVersion(), "the built-in scorer stays");
        assertTrue(Double.isFinite(placement.getExplanation().getPHotSoon()));
        assertTrue(fixture.deadLetters.isEmpty());
    }

    /**
     * The one alert change the refusals of {@code subject} made within the reporter's next run. Kafka Streams 4.3
     * cannot write a global store's dead letters, so the alert is how the operator hears of it.
     */
    private void assertAlert(String subject, AlertState state, String reason) {
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(2));
        List<Alert> changes = fixture.alerts.readValuesToList().stream()
                .filter(a -> a.getId().startsWith(CatalogueAlertReporter.ALERT_PREFIX)).toList();
        assertEquals(1, changes.size(), changes.toString());
        Alert alert = changes.get(0);
        assertEquals(CatalogueAlertReporter.ALERT_PREFIX + subject, alert.getId());
        assertEquals(AlertType.OTHER, alert.getType());
        assertEquals(state, alert.getState());
        assertTrue(alert.getMessage().contains(reason), alert.getMessage());
        assertTrue(fixture.deadLetters.isEmpty(), "the global thread writes no dead letters");
    }

    private double rejected(String topic) {
        return meters.get("tierflow.records.rejected").tag("topic", topic).counter().count();
    }

    private <V> KeyValueStore<String, V> store(String name) {
        return fixture.driver.getKeyValueStore(name);
    }
}
