package io.tierflow.streams;

import static io.tierflow.streams.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Tier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The read facade over the topology's stores, fed through the real topology. */
@ExtendWith(InMemoryRegistry.class)
class DatasetViewsTest {
    private static final long GB = 1_000_000_000L;

    @TempDir
    Path stateDir;
    TopologyFixture fixture;
    Function<String, ReadOnlyKeyValueStore<String, ?>> stores;

    @BeforeEach
    void start(InMemoryRegistry.Url registry) {
        fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS).withStandardSites(false);
        stores = name -> fixture.driver.getKeyValueStore(name);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldShowActivityTierPlacementAndTheCommandInFlight() {
        fixture.datasets.pipeInput("b", TopologyFixture.dataset("b", "azure", "GLACIER_IR", GB), START);
        fixture.burst("b", START.plusSeconds(60), 30, Duration.ofMinutes(5));
        MigrationCommand copy = fixture.commands.readValue();
        long now = START.plusSeconds(400).toEpochMilli();

        DatasetView view = DatasetViews.get(stores, "b", now).orElseThrow();
        assertEquals("b", view.key());
        assertEquals(GB, view.inventory().getSizeBytes());
        assertEquals(30, view.activity().count1h());
        assertEquals(30, view.activity().count24h());
        assertEquals(30, view.activity().totalEvents());
        assertEquals(START.plusSeconds(60).plusMillis(300_000L * 29 / 30).toEpochMilli(), view.activity().lastAccess());
        assertTrue(view.activity().heat() > 20, "hot: " + view.activity().heat());
        assertEquals(30 * 100_000_000.0, view.activity().regionDemand().get("us-east"), 30 * 100_000_000.0 * 0.05,
                "decayed bytes read from us-east, a little under what was read");
        assertEquals(Tier.HOT, view.tier());
        assertEquals(Tier.HOT, view.lastDecision().getTier());
        assertEquals("aws", view.lastDecision().getPrimarySite(), "desired");
        assertEquals("azure", view.primarySite(), "actual: nothing has moved yet");
        assertEquals("GLACIER_IR", view.storageClass());
        assertEquals(List.of(), view.replicaSites());
        assertEquals(copy.getId(), view.inFlight().getId());
        assertEquals(MigrationAction.COPY, view.inFlight().getAction());
        assertNull(view.inFlightPhase(), "no status yet");
        assertNull(view.lastFailure());
        assertEquals(copy.getIssuedAt().toEpochMilli(), view.lastMoveAt());
        assertTrue(view.dueAt() > now, "scheduled for a later look: " + view.dueAt());

        fixture.statuses.pipeInput("b", phase(copy, MigrationPhase.COPYING), START.plusSeconds(401));
        assertEquals(MigrationPhase.COPYING, DatasetViews.get(stores, "b", now).orElseThrow().inFlightPhase());
        fixture.statuses.pipeInput("b", phase(copy, MigrationPhase.FAILED), START.plusSeconds(402));
        DatasetView failed = DatasetViews.get(stores, "b", now).orElseThrow();
        assertNull(failed.inFlight());
        assertNull(failed.inFlightPhase(), "nothing in flight, so no phase");
        assertEquals("site_unavailable", failed.lastFailure());
    }

    @Test
    void shouldCountAsOfTheTimeAsked() {
        fixture.datasets.pipeInput("c", TopologyFixture.dataset("c", "aws", "STANDARD", GB), START);
        fixture.burst("c", START.plusSeconds(60), 10, Duration.ofMinutes(1));
        ActivityView twoHoursLater = DatasetViews.get(stores, "c", START.plusSeconds(2 * 3600 + 60).toEpochMilli())
                .orElseThrow().activity();
        assertEquals(0, twoHoursLater.count1h(), "the burst left the hourly window");
        assertEquals(10, twoHoursLater.count24h());
    }

    @Test
    void shouldShowNoDatasetForAKeyKnownOnlyFromItsEventsUntilItsEntryComes() {
        Instant at = START.plusSeconds(30);
        fixture.accessEvents.pipeInput("only-events", fixture.event("only-events", at, "eu-west"), at);
        assertTrue(DatasetViews.get(stores, "only-events", at.toEpochMilli()).isEmpty(),
                "anyone can send events for any key: they make no dataset");
        assertTrue(DatasetViews.get(stores, "never-seen", at.toEpochMilli()).isEmpty());

        fixture.datasets.pipeInput("only-events", TopologyFixture.dataset("only-events", "aws", "STANDARD", GB),
                at.plusSeconds(1));
        DatasetView view = DatasetViews.get(stores, "only-events", at.toEpochMilli()).orElseThrow();
        assertEquals(1, view.activity().count1h(), "its earlier event counts");
        assertEquals(List.of("eu-west"), List.copyOf(view.activity().regionDemand().keySet()));
    }

    @Test
    void shouldPageInKeyOrderAfterTheGivenKeyUpToTheLimitAndOnlyWhatMatches() {
        for (String key : List.of("d", "a", "c", "b")) {
            fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "aws", "STANDARD", GB), START);
        }
        fixture.burst("c", START.plusSeconds(60), 30, Duration.ofMinutes(5));
        Instant at = START.plusSeconds(400);
        fixture.accessEvents.pipeInput("e", fixture.event("e", at, "us-east"), at);
        long now = at.toEpochMilli();

        assertEquals(List.of("a", "b"), keys(DatasetViews.page(stores, null, 2, v -> true, now)));
        assertEquals(List.of("c", "d"), keys(DatasetViews.page(stores, "b", 10, v -> true, now)),
                "strictly after the given key; e, with events only, is no dataset");
        assertEquals(List.of("c", "d"), keys(DatasetViews.page(stores, "bb", 10, v -> true, now)),
                "the given key need not exist");
        assertEquals(List.of(), keys(DatasetViews.page(stores, "d", 10, v -> true, now)));
        assertEquals(List.of("c"), keys(DatasetViews.page(stores, null, 10, v -> v.tier() == Tier.HOT, now)));
        assertEquals(List.of(), keys(DatasetViews.page(stores, null, 10, v -> v.inventory() == null, now)));
        assertEquals(List.of("b", "d"), keys(DatasetViews.page(stores, "a", 2,
                v -> v.tier() == Tier.COLD, now)), "the limit counts matches, not entries scanned");
        assertThrows(IllegalArgumentException.class, () -> DatasetViews.page(stores, null, 0, v -> true, now));
    }

    @Test
    void shouldRefuseAStoreThatIsNotTheTopologys() {
        fixture.datasets.pipeInput("a", TopologyFixture.dataset("a", "aws", "STANDARD", GB), START);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DatasetViews.get(name -> null, "a", 0));
        assertTrue(missing.getMessage().contains(DatasetViews.STORES.get(0)), missing.getMessage());
        ReadOnlyKeyValueStore<String, ?> activities =
                fixture.driver.getKeyValueStore(TieringTopology.DATASET_ACTIVITY_STORE);
        assertThrows(IllegalArgumentException.class, () -> DatasetViews.get(name -> activities, "a", 0),
                "a store of other values (activities) under the dataset records' name");
        assertNotNull(DatasetViews.get(stores, "a", 0).orElseThrow().inventory());
    }

    private static MigrationStatus phase(MigrationCommand command, MigrationPhase phase) {
        return MigrationStatus.newBuilder().setCommandId(command.getId()).setKey(command.getKey())
                .setAction(command.getAction()).setPhase(phase).setSourceSite(command.getSourceSite())
                .setDestinationSite(command.getDestinationSite()).setBytesDone(0).setAttempt(1).setWorker("test")
                .setErrorCode(phase == MigrationPhase.FAILED ? "site_unavailable" : null)
                .setAt(command.getIssuedAt()).build();
    }

    private static List<String> keys(List<DatasetView> views) {
        return views.stream().map(DatasetView::key).toList();
    }
}
