package io.tierflow.streams;

import static io.tierflow.streams.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.PolicyScope;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.Tier;
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
 * Datasets under different scoped policies, side by side in one topology: each is counted with its own policy's
 * weights and decided with its own thresholds, SLA and replication, and the decision names the policy.
 */
@ExtendWith(InMemoryRegistry.class)
class ScopedPoliciesTopologyTest {
    private static final long GB = 1_000_000_000L;

    @TempDir
    Path stateDir;
    TopologyFixture fixture;

    @BeforeEach
    void start(InMemoryRegistry.Url registry) {
        fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS).withStandardSites(false);
        // One site fast enough for a 20 ms SLA: aws at 18 ms (the others are at 30 and 35).
        Site fastAws = Site.newBuilder(TopologyFixture.standardSites().get(0)).setP95LatencyMs(18).build();
        fixture.sites.pipeInput("aws", fastAws, START);
        // logs/: never hot (thresholds no heat reaches), and a read weighs half what it does elsewhere.
        fixture.policies.pipeInput("logs", scoped("logs", scope("logs/", null), p -> p
                .setHotThreshold(1e12).setWarmThreshold(1e11).setOpWeights(Map.of("GET", 0.5))), START);
        // models/ of the ml team: two copies while hot, the primary within 20 ms.
        fixture.policies.pipeInput("models", scoped("models", scope("models/", "ml"), p -> p
                .setReplicationHot(2).setDefaultLatencySlaMs(20)), START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldDecideEachDatasetUnderItsOwnPolicyAndNameItInTheDecision() {
        for (String key : List.of("logs/app.log", "models/m1", "models/m2")) {
            fixture.datasets.pipeInput(key, dataset(key, key.equals("models/m1") ? "ml" : "web"), START);
            readFromUsCentral(key);
        }

        Placement logs = fixture.state("logs/app.log").getLastPlacement();
        assertEquals("logs", logs.getExplanation().getPolicyName());
        assertEquals(Tier.COLD, logs.getTier(), "30 reads make no logs/ dataset warm, let alone hot");
        assertEquals(1e12, logs.getExplanation().getHotThreshold());

        Placement ml = fixture.state("models/m1").getLastPlacement();
        assertEquals("models", ml.getExplanation().getPolicyName());
        assertEquals(Tier.HOT, ml.getTier());
        assertEquals("aws", ml.getPrimarySite(), "the only site within the models policy's 20 ms");
        assertEquals(1, ml.getReplicaSites().size(), "two copies in all: " + ml.getReplicaSites());
        assertEquals("latency_sla:us-central", ml.getExplanation().getBindingConstraint(),
                "its reads come from us-central, which even aws answers only in 18 + 25 ms");

        Placement other = fixture.state("models/m2").getLastPlacement();
        assertEquals("default", other.getExplanation().getPolicyName(), "under models/ but not the ml team's");
        assertEquals(Tier.HOT, other.getTier());
        assertEquals(List.of(), other.getReplicaSites(), "the default policy keeps one copy of hot data");
        assertEquals("gcp", other.getPrimarySite(), "read from us-central, and within the default policy's 50 ms");

        // The same reads, counted with each dataset's own weights: a logs/ read adds half the heat.
        double logsHeat = fixture.activity("logs/app.log").activity.rawHeat();
        double otherHeat = fixture.activity("models/m2").activity.rawHeat();
        assertTrue(otherHeat > 20, "the burst made models/m2 hot: " + otherHeat);
        assertEquals(otherHeat / 2, logsHeat, 1e-9);

        // What consumers of the placements topic see names the policy too.
        Map<String, String> published = new java.util.HashMap<>();
        fixture.placements.readKeyValuesToList().forEach(kv -> published.put(kv.key,
                kv.value.getExplanation().getPolicyName()));
        assertEquals(Map.of("logs/app.log", "logs", "models/m1", "models", "models/m2", "default"), published);
    }

    @Test
    void shouldMoveADatasetToTheNextPolicyWhenItsScopedPolicyIsDeleted() {
        fixture.datasets.pipeInput("models/m1", dataset("models/m1", "ml"), START);
        fixture.burst("models/m1", START.plusSeconds(60), 30, Duration.ofMinutes(5));
        MigrationCommand firstCopy = fixture.commands.readValue();
        assertEquals("models", fixture.state("models/m1").getLastPlacement().getExplanation().getPolicyName());
        fixture.placements.readKeyValuesToList();

        fixture.policies.pipeInput("models", null, START.plusSeconds(400));
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10)); // the catalogue changed: every dataset is due

        Placement after = fixture.state("models/m1").getLastPlacement();
        assertEquals("default", after.getExplanation().getPolicyName());
        assertEquals(List.of(), after.getReplicaSites(), "one copy under the default policy");
        List<Placement> republished = fixture.placementsFor("models/m1");
        assertEquals(1, republished.size(), "the decision under another policy is published");
        assertEquals("default", republished.get(0).getExplanation().getPolicyName());
        assertEquals(firstCopy.getId(), fixture.state("models/m1").getInFlight().getId(),
                "the step in flight is left to finish");
    }

    @Test
    void shouldKeepAScopedPolicyInForceWhenAnInvalidScopeIsPublishedStraightToTheTopic() {
        Policy good = fixture.driver.<String, Policy>getKeyValueStore(TieringTopology.POLICIES_STORE).get("logs");
        // Past the API, which would refuse both: an absolute prefix, and an empty one under a new name.
        fixture.policies.pipeInput("logs", Policy.newBuilder(good).setScope(scope("/logs/", null)).build(), START);
        fixture.policies.pipeInput("everything", scoped("everything", scope("", null), p -> p), START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));

        KeyValueStore<String, Policy> store = fixture.driver.getKeyValueStore(TieringTopology.POLICIES_STORE);
        assertEquals(good, store.get("logs"), "the last good version stays");
        assertNull(store.get("everything"));
        fixture.datasets.pipeInput("logs/app.log", dataset("logs/app.log", "web"), START);
        fixture.datasets.pipeInput("other/x", dataset("other/x", "web"), START);
        assertEquals("logs", fixture.state("logs/app.log").getLastPlacement().getExplanation().getPolicyName());
        assertEquals("default", fixture.state("other/x").getLastPlacement().getExplanation().getPolicyName());
    }

    @Test
    void shouldKeepTheOwnerInTheActivityValueOnlyWhileAPolicyIsScopedByOwner() {
        fixture.datasets.pipeInput("models/m1", dataset("models/m1", "ml"), START);
        assertEquals("ml", fixture.activity("models/m1").owner, "the event path matches the models policy on it");
        assertEquals("application/octet-stream", fixture.activity("models/m1").mediaType);

        fixture.policies.pipeInput("models", null, START.plusSeconds(400)); // left: logs/, scoped by prefix alone
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10)); // the catalogue changed: every dataset is due

        DatasetActivity after = fixture.activity("models/m1");
        assertNull(after.owner, "no policy needs it: the value written at every commit does not carry it");
        assertNull(after.mediaType);
        fixture.datasets.pipeInput("logs/app.log", dataset("logs/app.log", "web"), START.plusSeconds(400));
        assertNull(fixture.activity("logs/app.log").owner);
        assertEquals("logs", fixture.state("logs/app.log").getLastPlacement().getExplanation().getPolicyName());
    }

    /** 30 reads over five minutes from us-central, where gcp is the cheapest site to serve them. */
    private void readFromUsCentral(String key) {
        for (int i = 0; i < 30; i++) {
            java.time.Instant at = START.plusSeconds(60 + i * 10L);
            fixture.accessEvents.pipeInput(key, fixture.event(key, at, "us-central"), at);
        }
    }

    private static Dataset dataset(String key, String owner) {
        return Dataset.newBuilder(TopologyFixture.dataset(key, "azure", "GLACIER_IR", GB)).setOwner(owner).build();
    }

    private static PolicyScope scope(String prefix, String owner) {
        return PolicyScope.newBuilder().setPrefix(prefix).setOwner(owner).build();
    }

    private static Policy scoped(String name, PolicyScope scope,
            java.util.function.UnaryOperator<Policy.Builder> change) {
        return change.apply(Policy.newBuilder(TopologyFixture.policy(false)).setName(name).setScope(scope)).build();
    }
}
