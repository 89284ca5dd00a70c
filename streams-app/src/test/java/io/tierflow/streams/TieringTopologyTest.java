package io.tierflow.streams;

import static io.tierflow.streams.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.DeadLetter;
import io.tierflow.schemas.FeatureWeight;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.SiteScore;
import io.tierflow.schemas.Tier;
import io.tierflow.streams.domain.AlertPacing;
import io.tierflow.streams.domain.AlertRules;
import io.tierflow.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every path of the tiering topology, with explicit event times (schemas registered in memory). */
@ExtendWith(InMemoryRegistry.class)
class TieringTopologyTest {
    private static final long GB = 1_000_000_000L;

    @TempDir
    Path stateDir;
    String registryUrl;
    TopologyFixture fixture;

    /** The topology's meters, to read the scheduled-datasets gauge (the due index is the processor's own). */
    SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start(InMemoryRegistry.Url registry) {
        registryUrl = registry.value();
        fixture = new TopologyFixture(registryUrl, stateDir, settings(), new TieringMetrics(meters))
                .withStandardSites(false);
    }

    /** The settings every fixture here runs with: the defaults (write-behind stores); a subclass runs the stock ones. */
    TieringSettings settings() {
        return TieringSettings.DEFAULTS;
    }

    private double scheduledDatasets() {
        return meters.get("tierflow.datasets.scheduled").gauge().value();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldPromoteOnABurstAndCopyToTheSiteNearTheReaders() {
        fixture.datasets.pipeInput("ds", TopologyFixture.dataset("ds", "azure", "GLACIER_IR", GB), START);
        List<Placement> initial = fixture.placementsFor("ds");
        assertEquals(1, initial.size());
        assertEquals(Tier.COLD, initial.get(0).getTier());
        assertEquals("azure", initial.get(0).getPrimarySite(), "cold data stays on the cheapest cold storage");
        assertTrue(fixture.commands.isEmpty(), "already where it should be");

        fixture.burst("ds", START.plusSeconds(60), 30, Duration.ofMinutes(5));

        List<Placement> after = fixture.placementsFor("ds");
        assertEquals(List.of(Tier.WARM, Tier.HOT), after.stream().map(Placement::getTier).toList(),
                "a decision each time the tier changed, none in between");
        assertEquals("aws", after.get(1).getPrimarySite(), "hot and read from us-east: the us-east site");
        MigrationCommand copy = fixture.commands.readValue();
        assertEquals(MigrationAction.COPY, copy.getAction());
        assertEquals("azure", copy.getSourceSite());
        assertEquals("aws", copy.getDestinationSite(), "already warm data read from us-east moves there");
        assertEquals(TopologyFixture.SHA, copy.getExpectedSha256());
        assertEquals("\"v1\"", copy.getExpectedVersionToken());
        assertTrue(fixture.commands.isEmpty(), "never two commands in flight for one dataset");
    }

    @Test
    void shouldSwitchOnlyAfterAVerifiedCopyThenRetireTheOldCopyAfterTheGracePeriod() {
        MigrationCommand copy = promoteToAws("ds");
        Instant t = START.plusSeconds(600); // after the burst: stream time is past every event

        fixture.statuses.pipeInput("ds", fixture.completed(copy, TopologyFixture.SHA), t.plusSeconds(5));
        MigrationCommand switchCommand = fixture.commands.readValue();
        assertEquals(MigrationAction.SWITCH, switchCommand.getAction());
        assertEquals("aws", switchCommand.getDestinationSite());
        assertEquals(List.of("aws"), fixture.state("ds").getReplicaSites(), "the verified copy is a replica");
        assertEquals("azure", fixture.state("ds").getPrimarySite(), "reads still go to the old copy");

        fixture.statuses.pipeInput("ds", fixture.completed(switchCommand, switchCommand.getExpectedSha256()), t.plusSeconds(6));
        DatasetState switched = fixture.state("ds");
        assertEquals("aws", switched.getPrimarySite());
        assertEquals("STANDARD", switched.getStorageClass());
        MigrationCommand retire = fixture.commands.readValue();
        assertEquals(MigrationAction.RETIRE, retire.getAction());
        assertEquals("azure", retire.getSourceSite());
        assertEquals(t.plusSeconds(6).plusSeconds(600), retire.getNotBefore(), "retire waits for the grace period");
        assertEquals("aws", retire.getKeepSite(), "the migrator deletes nothing unless the primary's copy is there");
        assertNull(copy.getKeepSite());
        assertTrue(copy.getSequence() > 0 && copy.getSequence() < switchCommand.getSequence()
                && switchCommand.getSequence() < retire.getSequence(), "each command newer than the one before");

        fixture.statuses.pipeInput("ds", fixture.completed(retire, null), t.plusSeconds(700));
        assertEquals(List.of(), fixture.state("ds").getReplicaSites());
        assertNull(fixture.state("ds").getInFlight());
        assertTrue(fixture.commands.isEmpty());
    }

    @Test
    void shouldNeverReuseASequenceWhenADatasetIsDeletedAndRegisteredAgain() {
        MigrationCommand first = promoteToAws("ds");
        fixture.datasets.pipeInput("ds", null, START.plusSeconds(900));
        assertNull(fixture.state("ds"));
        Instant later = START.plusSeconds(1000);

        fixture.datasets.pipeInput("ds", TopologyFixture.dataset("ds", "azure", "GLACIER_IR", GB), later);
        fixture.burst("ds", later.plusSeconds(60), 30, Duration.ofMinutes(5));

        MigrationCommand again = fixture.commands.readValue();
        assertEquals(first.getAction(), again.getAction());
        assertTrue(again.getSequence() > first.getSequence(), "the new life's first command (" + again.getSequence()
                + ") must be newer than the old life's (" + first.getSequence() + ") to the migrator");
    }

    @Test
    void shouldNotSwitchWhenTheCopysChecksumDoesNotMatchTheInventory() {
        MigrationCommand copy = promoteToAws("ds");
        fixture.statuses.pipeInput("ds", fixture.completed(copy, "00".repeat(32)), copy.getIssuedAt().plusSeconds(5));
        DatasetState state = fixture.state("ds");
        assertEquals("azure", state.getPrimarySite());
        assertEquals(List.of(), state.getReplicaSites(), "an unverified copy is not counted");
        assertEquals("checksum_mismatch", state.getLastFailure());
        assertNull(state.getInFlight());
        assertTrue(fixture.commands.isEmpty(), "no switch to a copy that does not match");
    }

    @Test
    void shouldExpectACopysOwnVersionTokenWhenThatCopyIsMovedAgain() {
        MigrationCommand copy = promoteToAws("ds");
        Instant t = START.plusSeconds(600);
        // The destination store gives the copy its own ETag (a multipart upload, KMS, a file store): not the inventory's.
        fixture.statuses.pipeInput("ds", withToken(fixture.completed(copy, TopologyFixture.SHA), "aws-own-etag"),
                t.plusSeconds(5));
        MigrationCommand switchCommand = fixture.commands.readValue();
        assertEquals("\"v1\"", switchCommand.getSourceVersionToken(), "the azure copy is the inventory's");
        assertEquals("aws-own-etag", fixture.state("ds").getCopyVersions().get("aws"));

        fixture.statuses.pipeInput("ds", withToken(fixture.completed(switchCommand, TopologyFixture.SHA),
                "aws-own-etag"), t.plusSeconds(6));
        MigrationCommand retire = fixture.commands.readValue();
        assertEquals(MigrationAction.RETIRE, retire.getAction());
        assertEquals("\"v1\"", retire.getSourceVersionToken());
        assertEquals("aws-own-etag", retire.getKeepVersionToken(), "the kept copy is known by its own token");
        fixture.statuses.pipeInput("ds", fixture.completed(retire, null), t.plusSeconds(700));
        assertEquals(Map.of("aws", "aws-own-etag"), fixture.state("ds").getCopyVersions());

        for (int i = 0; i < 24; i++) { // no more reads: it cools down and moves off aws again
            fixture.driver.advanceWallClockTime(Duration.ofMinutes(30));
        }
        MigrationCommand next = fixture.commands.readValue();
        assertEquals("aws", next.getSourceSite());
        assertEquals("aws-own-etag", next.getSourceVersionToken(),
                "the migrator checks the source against the token its own store reported");
        assertEquals("\"v1\"", next.getExpectedVersionToken(), "the inventory's version still names the dataset");
    }

    @Test
    void shouldDropAReplicaHoldingTheOldVersionWhenTheInventoryNamesANewOne() {
        MigrationCommand copy = promoteToAws("ds");
        Instant t = START.plusSeconds(600);
        fixture.statuses.pipeInput("ds", withToken(fixture.completed(copy, TopologyFixture.SHA), "aws-own-etag"),
                t.plusSeconds(5));
        MigrationCommand switchCommand = fixture.commands.readValue();
        assertEquals(List.of("aws"), fixture.state("ds").getReplicaSites());

        // The owner writes a new version at azure while the switch to the old version's copy is in flight.
        String newSha = "ab".repeat(32);
        Dataset v2 = Dataset.newBuilder(TopologyFixture.dataset("ds", "azure", "GLACIER_IR", GB))
                .setVersionToken("\"v2\"").setSha256(newSha).setUpdatedAt(t.plusSeconds(10)).build();
        fixture.datasets.pipeInput("ds", v2, t.plusSeconds(10));
        DatasetState state = fixture.state("ds");
        assertEquals("azure", state.getPrimarySite(), "the owner's new version is where it was written");
        assertEquals(List.of(), state.getReplicaSites(), "the aws copy holds the old version: not a copy any more");
        assertEquals(Map.of("azure", "\"v2\""), state.getCopyVersions());

        // The switch to the old copy cannot be trusted even if it reports success.
        fixture.statuses.pipeInput("ds", withToken(fixture.completed(switchCommand, TopologyFixture.SHA),
                "aws-own-etag"), t.plusSeconds(11));
        state = fixture.state("ds");
        assertEquals("azure", state.getPrimarySite(), "reads never go to a copy of the old version");
        assertEquals(List.of(), state.getReplicaSites());
        assertEquals("checksum_mismatch", state.getLastFailure());
    }

    @Test
    void shouldKeepACopyThatAlreadyCarriesTheNewVersion() {
        MigrationCommand copy = promoteToAws("ds");
        Instant t = START.plusSeconds(600);
        fixture.statuses.pipeInput("ds", withToken(fixture.completed(copy, TopologyFixture.SHA), "\"v2\""),
                t.plusSeconds(5));
        fixture.commands.readValue();
        // aws already carries the token the new entry names (the same bytes written by the owner there too).
        Dataset v2 = Dataset.newBuilder(TopologyFixture.dataset("ds", "azure", "GLACIER_IR", GB))
                .setVersionToken("\"v2\"").setUpdatedAt(t.plusSeconds(10)).build();
        fixture.datasets.pipeInput("ds", v2, t.plusSeconds(10));
        assertEquals(List.of("aws"), fixture.state("ds").getReplicaSites());
    }

    @Test
    void shouldIgnoreStatusesOfCommandsThatAreNotInFlight() {
        MigrationCommand copy = promoteToAws("ds");
        MigrationCommand stranger = MigrationCommand.newBuilder(copy).setId("not-ours").build();
        fixture.statuses.pipeInput("ds", fixture.completed(stranger, TopologyFixture.SHA), copy.getIssuedAt());
        assertEquals(copy.getId(), fixture.state("ds").getInFlight().getId());
        assertEquals(List.of(), fixture.state("ds").getReplicaSites());
    }

    @Test
    void shouldDemoteByTimeAloneWithNoEventsForTheDataset() {
        fixture.datasets.pipeInput("idle", TopologyFixture.dataset("idle", "aws", "STANDARD", GB), START);
        fixture.burst("idle", START.plusSeconds(10), 40, Duration.ofMinutes(2));
        assertEquals(Tier.HOT, fixture.state("idle").getTier());
        fixture.placements.readKeyValuesToList();

        // No more events at all: only the wall clock moves, as on a partition that receives nothing.
        for (int i = 0; i < 24; i++) {
            fixture.driver.advanceWallClockTime(Duration.ofMinutes(30));
        }
        List<Tier> tiers = fixture.placementsFor("idle").stream().map(Placement::getTier).toList();
        assertEquals(List.of(Tier.WARM, Tier.COLD), tiers, "demoted step by step as the heat decays");
        assertEquals(Tier.COLD, fixture.state("idle").getTier());
        assertEquals(io.tierflow.streams.domain.Tier.COLD, fixture.activity("idle").tier,
                "the activity value (read from its store) knows too");
        MigrationCommand demote = fixture.commands.readValue();
        assertEquals(MigrationAction.COPY, demote.getAction());
        assertNotEquals("STANDARD", demote.getStorageClass(), "a cooler storage class");
    }

    @Test
    void shouldNotFlapWhenTheHeatHoversAroundTheThreshold() {
        fixture.datasets.pipeInput("edge", TopologyFixture.dataset("edge", "aws", "STANDARD", GB), START);
        fixture.burst("edge", START.plusSeconds(10), 21, Duration.ofSeconds(30));
        assertEquals(Tier.HOT, fixture.state("edge").getTier());
        fixture.placements.readKeyValuesToList();
        // About 13 reads an hour hold the heat near 19: under the hot threshold (20), above its demotion point (15).
        Instant t = START.plusSeconds(60);
        for (int hour = 0; hour < 4; hour++) {
            for (int i = 0; i < 13; i++) {
                t = t.plusSeconds(3600 / 13);
                fixture.accessEvents.pipeInput("edge", fixture.event("edge", t, "us-east"), t);
                fixture.driver.advanceWallClockTime(Duration.ofSeconds(3600 / 13));
            }
        }
        List<Tier> tiers = fixture.placementsFor("edge").stream().map(Placement::getTier).toList();
        assertTrue(tiers.isEmpty(), "no new decision while it hovers: " + tiers);
        assertEquals(Tier.HOT, fixture.state("edge").getTier());
        double heat = fixture.activity("edge").activity.rawHeat();
        assertTrue(heat < 20 && heat > 15, "the heat really did hover below the hot threshold: " + heat);
    }

    @Test
    void shouldExcludeUnencryptedSitesWhenThePolicyDemandsEncryption() {
        fixture.policies.pipeInput("default", TopologyFixture.policy(true), START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        Placement placement = warmReadFromUsCentral("enc");
        assertNotEquals("gcp", placement.getPrimarySite());
        assertEquals("encrypted_only", placement.getExplanation().getBindingConstraint());
        SiteScore gcp = score(placement, "gcp");
        assertFalse(gcp.getFeasible());
        assertEquals("encrypted_only", gcp.getRejectedBecause());
    }

    @Test
    void shouldTellTheMigratorWhenThePolicyDemandsEncryption() {
        assertFalse(promoteToAws("plain-cmd").getRequireEncryption(), "the default policy does not");
        fixture.policies.pipeInput("default", TopologyFixture.policy(true), START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));

        assertTrue(promoteToAws("enc-cmd").getRequireEncryption(), "so the migrator refuses unencrypted sites too");
    }

    @Test
    void shouldPlaceOnTheCheapestSiteWithoutTheEncryptionRule() {
        Placement placement = warmReadFromUsCentral("plain");
        assertEquals("gcp", placement.getPrimarySite(), "read from us-central and cheapest there");
        assertNull(placement.getExplanation().getBindingConstraint());
    }

    @Test
    void shouldExcludeASiteMarkedDown() {
        Site awsDown = Site.newBuilder(TopologyFixture.standardSites().get(0)).setUp(false).build();
        fixture.sites.pipeInput("aws", awsDown, START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        fixture.datasets.pipeInput("ds", TopologyFixture.dataset("ds", "azure", "GLACIER_IR", GB), START);
        fixture.burst("ds", START.plusSeconds(60), 30, Duration.ofMinutes(5));
        Placement hot = last(fixture.placementsFor("ds"));
        assertEquals(Tier.HOT, hot.getTier());
        assertNotEquals("aws", hot.getPrimarySite());
        assertEquals("site_down", score(hot, "aws").getRejectedBecause());
        // With aws down no site answers us-east within 50 ms (gcp 30 + 25, azure 35 + 75): the binding constraint says
        // which demand goes unserved rather than which cheaper site was refused.
        assertEquals("latency_sla:us-east", hot.getExplanation().getBindingConstraint());
    }

    @Test
    void shouldLetTheLatencySlaBindForHotData() {
        // Read from us-central: without the SLA the gcp site (30 ms, no egress) is cheapest.
        Dataset strict = Dataset.newBuilder(TopologyFixture.dataset("sla", "azure", "GLACIER_IR", GB))
                .setLatencySlaMs(28.0).build();
        fixture.datasets.pipeInput("sla", strict, START);
        for (int i = 0; i < 30; i++) {
            Instant at = START.plusSeconds(60 + i * 10L);
            fixture.accessEvents.pipeInput("sla", fixture.event("sla", at, "us-central"), at);
        }
        Placement hot = last(fixture.placementsFor("sla"));
        assertEquals(Tier.HOT, hot.getTier());
        assertEquals("aws", hot.getPrimarySite(), "the only site with p95 <= 28 ms");
        assertEquals("latency_sla:us-central", hot.getExplanation().getBindingConstraint(),
                "and even aws answers us-central in 25 + 25 ms: that demand is not served within the SLA");
    }

    @Test
    void shouldCountDuplicateLateAndOutOfOrderEventsCorrectly() {
        fixture.datasets.pipeInput("ev", TopologyFixture.dataset("ev", "aws", "STANDARD", GB), START);
        var first = fixture.event("ev", START.plusSeconds(1200), "us-east");
        fixture.accessEvents.pipeInput("ev", first, first.getEventTime());
        fixture.accessEvents.pipeInput("ev", first, first.getEventTime()); // redelivered: same event id
        var outOfOrder = fixture.event("ev", START.plusSeconds(1020), "us-east"); // 3 min late, within 5 min
        fixture.accessEvents.pipeInput("ev", outOfOrder, outOfOrder.getEventTime());
        var tooLate = fixture.event("ev", START.plusSeconds(300), "us-east"); // 15 min late
        fixture.accessEvents.pipeInput("ev", tooLate, tooLate.getEventTime());

        var activity = fixture.activity("ev").activity;
        assertEquals(2, activity.totalEvents(), "the duplicate and the too-late event are not counted");
        // 5-minute buckets, newest first: 08:20 holds the first event, 08:15 the out-of-order one.
        assertEquals(List.of(1L, 1L), List.of(activity.fine().countAtAge(0), activity.fine().countAtAge(1)));
        assertEquals(START.plusSeconds(1200).toEpochMilli(), activity.lastAccess());
    }

    @Test
    void shouldHoldTheEventsOfAKeyWithoutAnInventoryEntryUntilItsEntryComes() {
        Instant at = START.plusSeconds(5);
        for (int i = 0; i < 3; i++) {
            fixture.accessEvents.pipeInput("early", fixture.event("early", at.plusSeconds(i), "us-east"),
                    at.plusSeconds(i));
        }
        fixture.accessEvents.pipeInput("ghost", fixture.event("ghost", at, "us-east"), at);
        assertNull(fixture.activity("early"), "nothing stored, so nothing listed, for a key without an entry");
        assertNull(fixture.activity("ghost"));

        fixture.datasets.pipeInput("early", TopologyFixture.dataset("early", "aws", "STANDARD", GB),
                at.plusSeconds(10));

        assertEquals(3, fixture.activity("early").activity.totalEvents(), "the events read before it count");
        assertNull(fixture.activity("ghost"));
    }

    @Test
    void shouldDropTheOldestKeysWithoutAnInventoryEntryBeyondTheBound() {
        Instant at = START.plusSeconds(5);
        for (int i = 0; i <= DatasetProcessor.UNREGISTERED_KEYS; i++) {
            String key = "unknown-" + i;
            fixture.accessEvents.pipeInput(key, fixture.event(key, at, "us-east"), at);
        }
        assertEquals(1.0, meters.get("tierflow.unregistered.keys.dropped").counter().count());

        String last = "unknown-" + DatasetProcessor.UNREGISTERED_KEYS;
        for (String key : List.of("unknown-0", last)) {
            fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "aws", "STANDARD", GB), at.plusSeconds(1));
        }
        assertEquals(0, fixture.activity("unknown-0").activity.totalEvents(), "the oldest was dropped");
        assertEquals(1, fixture.activity(last).activity.totalEvents());

        Instant later = at.plus(DatasetProcessor.UNREGISTERED_FOR).plusSeconds(60);
        fixture.driver.advanceWallClockTime(DatasetProcessor.UNREGISTERED_FOR); // events are not taken from the future
        fixture.accessEvents.pipeInput("late", fixture.event("late", later, "us-east"), later);
        assertEquals(1.0 + (DatasetProcessor.UNREGISTERED_KEYS - 1),
                meters.get("tierflow.unregistered.keys.dropped").counter().count(), "the rest expired");
    }

    @Test
    void shouldDeleteAllStateOnATombstone() {
        fixture.datasets.pipeInput("gone", TopologyFixture.dataset("gone", "aws", "STANDARD", GB), START);
        fixture.burst("gone", START.plusSeconds(10), 5, Duration.ofMinutes(1));
        assertTrue(fixture.state("gone") != null && fixture.activity("gone") != null);
        fixture.placements.readKeyValuesToList();

        assertEquals(1.0, scheduledDatasets(), "decided, so due again some time");

        fixture.datasets.pipeInput("gone", null, START.plusSeconds(120));
        assertNull(fixture.state("gone"));
        assertNull(fixture.activity("gone"), "the activity goes too");
        assertEquals(0.0, scheduledDatasets(), "no due-index entry left behind");
        KeyValue<String, Placement> tombstone = fixture.placements.readKeyValue();
        assertEquals("gone", tombstone.key);
        assertNull(tombstone.value);
    }

    @Test
    void shouldCountCommandsInFlightForTheBacklogAlert() {
        int datasets = (int) AlertRules.BACKLOG_LIMIT;
        List<MigrationCommand> copies = new ArrayList<>();
        for (int i = 0; i < datasets; i++) {
            String key = "b" + i;
            fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "aws", "STANDARD", GB), START);
            copies.add(fixture.state(key).getInFlight());
        }
        assertTrue(copies.stream().allMatch(c -> c != null && c.getAction() == MigrationAction.COPY),
                "every new dataset gets a command (moved to a cold class)");
        assertTrue(fixture.alerts.isEmpty(), "the count is reported by the punctuator, once a second");
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
        Alert fired = fixture.alerts.readValue();
        assertEquals(AlertType.MIGRATION_BACKLOG, fired.getType());
        assertEquals(AlertState.FIRING, fired.getState());
        assertEquals("global", fired.getSubject());
        assertEquals(datasets, fired.getValue(), 0.0);

        // A deleted dataset's command leaves the backlog: its status, if one comes, finds no record.
        for (int i = 0; i < 30; i++) {
            fixture.datasets.pipeInput("b" + i, null, START.plusSeconds(1));
        }
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertEquals(datasets - 30, backlog().getValue(), 0.0);
        assertTrue(fixture.alerts.isEmpty(), "still above half the limit: still firing, nothing new to publish");

        // Failed commands leave it too; at half the limit it resolves.
        for (int i = 30; i < 50; i++) {
            MigrationStatus failed = MigrationStatus.newBuilder(fixture.completed(copies.get(i), null))
                    .setPhase(MigrationPhase.FAILED).setErrorCode("test").build();
            fixture.statuses.pipeInput("b" + i, failed, START.plusSeconds(2));
        }
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
        Alert resolved = fixture.alerts.readValue();
        assertEquals(AlertState.RESOLVED, resolved.getState());
        assertEquals(datasets / 2, resolved.getValue(), 0.0);
        assertTrue(fixture.alerts.isEmpty());
    }

    private Alert backlog() {
        KeyValueStore<String, Alert> alerts = fixture.driver.getKeyValueStore(TieringTopology.ALERTS_STORE);
        return alerts.get(DatasetAlerts.BACKLOG_ALERT);
    }

    @Test
    void shouldDeadLetterAnUnreadableRecordAndGoOn() {
        fixture.datasets.pipeInput("ok", TopologyFixture.dataset("ok", "aws", "STANDARD", GB), START);
        fixture.rawAccessEvents.pipeInput("ok", new byte[] {1, 2, 3, 4, 5, 6}, START.plusSeconds(1));
        fixture.accessEvents.pipeInput("ok", fixture.event("ok", START.plusSeconds(2), "us-east"), START.plusSeconds(2));

        KeyValue<byte[], DeadLetter> letter = fixture.deadLetters.readKeyValue();
        assertEquals("access-events", letter.value.getSourceTopic());
        assertEquals(0, letter.value.getSourcePartition());
        assertEquals(0L, letter.value.getSourceOffset());
        assertEquals("deserialization", letter.value.getStage());
        assertTrue(letter.value.getReason().contains("magic byte 0x01"), letter.value.getReason());
        assertEquals(6, letter.value.getValue().remaining(), "the raw bytes are kept");
        assertTrue(fixture.deadLetters.isEmpty());
        assertEquals(1, fixture.activity("ok").activity.totalEvents(), "the next record was processed");
    }

    @Test
    void shouldDeadLetterUnreadableInventoryAndStatusWithTheirOwnTopic() {
        // The three dataset inputs share one source whose deserializer is chosen by topic (DatasetInputs).
        for (String topic : List.of(Topics.DATASETS, Topics.MIGRATION_STATUS)) {
            fixture.driver.createInputTopic(topic, Serdes.String().serializer(), Serdes.ByteArray().serializer())
                    .pipeInput("bad", new byte[] {9, 9, 9}, START);
            DeadLetter letter = fixture.deadLetters.readValue();
            assertEquals(topic, letter.getSourceTopic());
            assertEquals("deserialization", letter.getStage());
        }
        fixture.datasets.pipeInput("ok", TopologyFixture.dataset("ok", "aws", "STANDARD", GB), START.plusSeconds(1));
        assertEquals("ok", fixture.placements.readKeyValue().key, "the next inventory record was decided");
        assertTrue(fixture.deadLetters.isEmpty());
    }

    @Test
    void shouldIssueTheSameCommandIdsForTheSameInput(@TempDir Path otherStateDir) {
        String first = promoteToAws("ds").getId();
        fixture.close();
        fixture = new TopologyFixture(registryUrl, otherStateDir, settings()).withStandardSites(false);
        assertEquals(first, promoteToAws("ds").getId());
    }

    @Test
    void shouldScoreWithAPublishedModel() {
        fixture.policies.pipeInput("default",
                io.tierflow.schemas.Policy.newBuilder(TopologyFixture.policy(false)).setScoreBoost(30).build(), START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        fixture.datasets.pipeInput("m", TopologyFixture.dataset("m", "aws", "STANDARD_IA", GB), START);
        Placement builtIn = last(fixture.placementsFor("m"));
        assertEquals("built-in-1", builtIn.getExplanation().getModelVersion());
        assertTrue(builtIn.getExplanation().getPHotSoon() < 0.2, "an unread dataset is unlikely to be hot soon");
        assertEquals(Tier.COLD, builtIn.getTier());

        Model eager = Model.newBuilder().setName("current").setVersion("eager-2").setIntercept(6.0)
                .setFeatures(List.of(FeatureWeight.newBuilder().setName("count_1h").setCoefficient(0.1).build()))
                .setMetrics(Map.of()).setTrainedAt(START).build();
        fixture.models.pipeInput("current", eager, START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        Instant t = START.plusSeconds(30);
        fixture.accessEvents.pipeInput("m", fixture.event("m", t, "us-east"), t);

        Placement scored = last(fixture.placementsFor("m"));
        assertEquals("eager-2", scored.getExplanation().getModelVersion());
        assertTrue(scored.getExplanation().getPHotSoon() > 0.99, "p=" + scored.getExplanation().getPHotSoon());
        assertEquals(Tier.HOT, scored.getTier(), "boost 30 x p lifts one read over the hot threshold");
    }

    @Test
    void shouldAccumulateCostsPerSiteAndTierAndForTheStatusQuoBaseline() {
        fixture.datasets.pipeInput("c", TopologyFixture.dataset("c", "azure", "GLACIER_IR", 10 * GB), START);
        // Two reads from eu-west (azure's region: no egress) while cold, then a day passes with no reads.
        for (int i = 0; i < 2; i++) {
            Instant at = START.plusSeconds(60 + i);
            fixture.accessEvents.pipeInput("c", fixture.event("c", at, "eu-west"), at);
        }
        fixture.driver.advanceWallClockTime(Duration.ofHours(2));
        fixture.driver.advanceWallClockTime(Duration.ofHours(2));
        assertEquals(2, evaluations(), "the inventory's, and one to charge the reads: storage needs none");
        KeyValueStore<String, io.tierflow.schemas.CostLedger> ledger =
                fixture.driver.getKeyValueStore(TieringTopology.COST_LEDGER_STORE);
        io.tierflow.schemas.CostLedger cold = ledger.get("azure|COLD");
        io.tierflow.schemas.CostLedger baseline = ledger.get("baseline|azure|HOT");
        assertTrue(cold != null && baseline != null, "both ledgers are written");
        assertEquals(2, cold.getReads());
        assertEquals(0.0, cold.getEgressUsd(), 1e-12, "read from its own region");
        assertEquals(2 * 0.1 * 0.01, cold.getRetrievalUsd(), 1e-9, "retrieval fee of the cold class: 0.1 GB x 2");
        double months = cold.getGbMonths() / 10.0;
        assertTrue(months > 0.004 && months < 0.006, "about 4 hours of 10 GB: " + cold.getGbMonths());
        assertEquals(cold.getGbMonths() * 0.0036, cold.getStorageUsd(), 1e-12);
        // The status quo: where it was registered, azure's GLACIER_IR; nothing moved, so it cost what the actual did.
        assertEquals("azure", baseline.getSite());
        assertTrue(baseline.getBaseline());
        assertEquals(cold.getGbMonths(), baseline.getGbMonths(), 1e-12);
        assertEquals(cold.getGbMonths() * 0.0036, baseline.getStorageUsd(), 1e-12, "the registered class's price");
        assertEquals(2, baseline.getReads());
        assertEquals(0.0, baseline.getEgressUsd(), 1e-12);
        assertEquals(2 * 0.1 * 0.01, baseline.getRetrievalUsd(), 1e-9, "the registered class's retrieval fee");
        assertEquals(null, ledger.get(CostLedgerWriter.LEGACY_BASELINE_KEY), "no entry of the old baseline");
    }

    @Test
    void shouldPriceEgressFromTheCopyThatServedTheRead() {
        fixture.datasets.pipeInput("r", io.tierflow.schemas.Dataset.newBuilder(
                TopologyFixture.dataset("r", "azure", "GLACIER_IR", 10 * GB)).setReplicaSites(List.of("aws")).build(),
                START);
        // From us-east: twice from the aws replica next to the client, once from the azure primary in eu-west. From
        // eu-west: once naming gcp, which holds no copy, so it is priced as a read of the primary.
        String[][] served = {{"us-east", "aws"}, {"us-east", "aws"}, {"us-east", "azure"}, {"eu-west", "gcp"}};
        for (int i = 0; i < served.length; i++) {
            Instant at = START.plusSeconds(60 + i);
            fixture.accessEvents.pipeInput("r", io.tierflow.schemas.AccessEvent.newBuilder(
                    fixture.event("r", at, served[i][0])).setServedFrom(served[i][1]).build(), at);
        }
        fixture.driver.advanceWallClockTime(Duration.ofHours(2));
        fixture.driver.advanceWallClockTime(Duration.ofHours(2));

        // The reads may change the dataset's tier on the way: azure's entries of every tier are summed.
        long reads = 0;
        double egress = 0;
        try (var entries = fixture.driver.<String, io.tierflow.schemas.CostLedger>getKeyValueStore(
                TieringTopology.COST_LEDGER_STORE).all()) {
            while (entries.hasNext()) {
                io.tierflow.schemas.CostLedger entry = entries.next().value;
                if (!entry.getBaseline()) {
                    assertTrue(entry.getReads() == 0 || entry.getSite().equals("azure"), "charged at the primary");
                    reads += entry.getReads();
                    egress += entry.getEgressUsd();
                }
            }
        }
        assertEquals(4, reads);
        assertEquals(0.1 * 0.087, egress, 1e-12,
                "only the read served by azure crossed regions: 0.1 GB at azure's egress price");
        // The status quo routes each read to the registered copy expected to answer first: us-east to the aws replica
        // (25 + 1 ms against 35 + 75), eu-west to azure; no read crosses regions. All are charged at the registered
        // primary's entry, in its class; the aws replica is stored in aws's hot class under its own entry.
        KeyValueStore<String, io.tierflow.schemas.CostLedger> ledger =
                fixture.driver.getKeyValueStore(TieringTopology.COST_LEDGER_STORE);
        io.tierflow.schemas.CostLedger atAzure = ledger.get("baseline|azure|HOT");
        io.tierflow.schemas.CostLedger atAws = ledger.get("baseline|aws|HOT");
        assertEquals(4, atAzure.getReads());
        assertEquals(0.0, atAzure.getEgressUsd(), 1e-12);
        assertEquals(4 * 0.1 * 0.01, atAzure.getRetrievalUsd(), 1e-12, "GLACIER_IR's retrieval fee");
        assertEquals(0, atAws.getReads());
        assertTrue(atAws.getGbMonths() > 0, "the registered replica is stored");
        assertEquals(atAws.getGbMonths() * 0.023, atAws.getStorageUsd(), 1e-12, "in aws's hot class");
        assertEquals(atAzure.getGbMonths() * 0.0036, atAzure.getStorageUsd(), 1e-12, "in the registered class");
    }

    @Test
    void shouldChargeASmallObjectsStorageOnItsClasssMinimumBillableSize() {
        io.tierflow.schemas.Site azure = TopologyFixture.standardSites().get(1);
        List<io.tierflow.schemas.StorageClassPrice> classes = new ArrayList<>(azure.getStorageClasses());
        classes.set(2, io.tierflow.schemas.StorageClassPrice.newBuilder(classes.get(2))
                .setMinimumBillableBytes(128 * 1024).build());
        fixture.sites.pipeInput("azure", io.tierflow.schemas.Site.newBuilder(azure).setStorageClasses(classes).build(),
                START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        fixture.datasets.pipeInput("tiny", TopologyFixture.dataset("tiny", "azure", "GLACIER_IR", 1_000), START);

        fixture.driver.advanceWallClockTime(Duration.ofHours(4));

        KeyValueStore<String, io.tierflow.schemas.CostLedger> ledger =
                fixture.driver.getKeyValueStore(TieringTopology.COST_LEDGER_STORE);
        io.tierflow.schemas.CostLedger cold = ledger.get("azure|COLD");
        io.tierflow.schemas.CostLedger baseline = ledger.get("baseline|azure|HOT");
        assertTrue(cold.getGbMonths() > 0, "the copy is charged");
        assertEquals(131_072 / 1e9, cold.getGbMonths() / (cold.getUpdatedAt() - cold.getSince()) * 30 * 24 * 3_600_000,
                1e-12, "the cold copy is charged on 128 KiB, not on its 1000 bytes");
        assertEquals(cold.getGbMonths() * 0.0036, cold.getStorageUsd(), 1e-15);
        assertEquals(cold.getGbMonths(), baseline.getGbMonths(), 1e-15,
                "the status quo is the same registered copy: charged on the same 128 KiB for the same time");
    }

    @Test
    void shouldShowAlertValuesWithOneDecimalAsPrintfWould() {
        for (double value : new double[] {0, 0.04, 0.96, 1, 12.34, 12.36, 99.99, 1234567.8}) {
            assertEquals(String.format(java.util.Locale.ROOT, "%.1f", value), DatasetAlerts.oneDecimal(value));
        }
    }

    @Test
    void shouldRaiseATrafficSpikeGroupThatAnOperatorCanAcknowledgeAndThatExpiresOnceResolved() {
        String group = DatasetAlerts.SPIKE_GROUP;
        fixture.datasets.pipeInput("spiky", TopologyFixture.dataset("spiky", "aws", "STANDARD", GB), START);
        // Enough history to judge a spike by: a read an hour.
        long history = AlertRules.SPIKE_MIN_HISTORY_HOURS;
        for (int hour = 0; hour <= history; hour++) {
            Instant at = START.plusSeconds(hour * 3600L + 60);
            fixture.accessEvents.pipeInput("spiky", fixture.event("spiky", at, "us-east"), at);
        }
        Instant spike = START.plusSeconds(history * 3600L + 120);
        fixture.burst("spiky", spike, 60, Duration.ofMinutes(10));
        List<Alert> raised = fixture.alerts.readValuesToList().stream()
                .filter(a -> a.getType() == AlertType.TRAFFIC_SPIKE).toList();
        assertEquals(1, raised.size(), "raised once, not once per event");
        assertEquals(group, raised.get(0).getId());
        assertEquals("policy=default", raised.get(0).getSubject());
        assertEquals(AlertState.FIRING, raised.get(0).getState());
        assertEquals(1, raised.get(0).getCount());
        assertEquals("spiky", raised.get(0).getExamples().get(0).getSubject());
        assertTrue(raised.get(0).getExamples().get(0).getMessage()
                .matches("\\d+ accesses in the last hour against a forecast of \\d+\\.\\d"), raised.get(0).toString());

        Instant ackAt = spike.plusSeconds(700);
        fixture.control.pipeInput(group, io.tierflow.schemas.ControlCommand.newBuilder()
                .setType(io.tierflow.schemas.ControlType.ACK_ALERT).setTarget(group)
                .setOperator("ops").setIssuedAt(ackAt).build(), ackAt);
        Alert acked = fixture.alerts.readValue();
        assertEquals(AlertState.ACKNOWLEDGED, acked.getState());
        assertEquals("ops", acked.getAcknowledgedBy());

        // The spike ends: an hour later a single read finds the hourly count far lower. The group's record is
        // published at most once a minute: the resolution waits for the minute to pass.
        Instant later = spike.plusSeconds(2 * 3600);
        fixture.accessEvents.pipeInput("spiky", fixture.event("spiky", later, "us-east"), later);
        assertTrue(spikeAlerts().isEmpty(), "within a minute of the last publication");
        fixture.driver.advanceWallClockTime(AlertPacing.DEFAULTS.minPublishInterval());
        Alert cleared = spikeAlerts().get(0).value;
        assertEquals(AlertState.RESOLVED, cleared.getState());
        assertEquals(0, cleared.getCount());
        assertEquals(later, cleared.getUpdatedAt());

        // A resolved alert is listed for its retention, then deleted: a tombstone on the compacted topic.
        KeyValueStore<String, Alert> store = fixture.driver.getKeyValueStore(TieringTopology.ALERTS_STORE);
        assertEquals(AlertState.RESOLVED, store.get(group).getState());
        // (The wall clock is still near START; the retention runs from the resolution's time.)
        fixture.driver.advanceWallClockTime(Duration.between(START, later).plus(AlertPacing.DEFAULTS.resolvedRetention()));
        List<KeyValue<String, Alert>> afterRetention = spikeAlerts();
        assertEquals(1, afterRetention.size(), afterRetention.toString());
        assertNull(afterRetention.get(0).value, "a tombstone");
        assertNull(store.get(group));
    }

    @Test
    void shouldGroupLatencyAlertsByTheSiteOfThePrimaryCopy() {
        List<String> slow = List.of("slow/one", "slow/two");
        for (String key : slow) {
            fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "aws", "STANDARD", GB), START);
        }
        // Enough reads to make both hot, every one slower than the policy's 50 ms SLA: once hot, each read misses it.
        for (int i = 0; i < 60; i++) {
            Instant at = START.plusSeconds(10 + i * 10L);
            for (String key : slow) {
                fixture.accessEvents.pipeInput(key, io.tierflow.schemas.AccessEvent.newBuilder(
                        fixture.event(key, at, "us-east")).setLatencyMs(100).build(), at);
            }
        }
        // Later reads are priced (and the SLA checked) when the datasets are due again, at the latest an hour on.
        Instant later = START.plusSeconds(2 * 3600);
        fixture.accessEvents.pipeInput("clock", fixture.event("clock", later, "us-east"), later);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
        fixture.driver.advanceWallClockTime(AlertPacing.DEFAULTS.minPublishInterval());

        String group = "LATENCY_SLA:site=aws";
        KeyValueStore<String, Alert> store = fixture.driver.getKeyValueStore(TieringTopology.ALERTS_STORE);
        Alert alert = store.get(group);
        assertEquals(AlertState.FIRING, alert.getState(), String.valueOf(alert));
        assertEquals(2, alert.getCount());
        assertEquals(java.util.Set.copyOf(slow), alert.getExamples().stream()
                .map(io.tierflow.schemas.AlertExample::getSubject).collect(java.util.stream.Collectors.toSet()));
        for (String key : slow) {
            assertEquals(List.of(group), fixture.state(key).getActiveAlerts(), "the record keeps the group it joined");
        }
        List<Alert> all = fixture.alerts.readValuesToList();
        List<Alert> published = all.stream().filter(a -> a.getId().equals(group)).toList();
        assertTrue(!published.isEmpty() && published.size() <= 2, "fired, then one update at most: " + published);
        assertTrue(all.stream().noneMatch(a -> a.getId().startsWith("LATENCY_SLA:slow")), "no alert of one dataset");
    }

    private List<KeyValue<String, Alert>> spikeAlerts() {
        return fixture.alerts.readKeyValuesToList().stream()
                .filter(kv -> kv.key.startsWith(AlertType.TRAFFIC_SPIKE.name())).toList();
    }

    @Test
    void shouldRaiseSiteDownOnceAndResolveItWhenTheSiteIsBack() {
        Site down = Site.newBuilder(TopologyFixture.standardSites().get(1)).setUp(false).build();
        fixture.sites.pipeInput("azure", down, START);
        fixture.datasets.pipeInput("any", TopologyFixture.dataset("any", "aws", "STANDARD", GB), START);
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        List<io.tierflow.schemas.Alert> alerts = fixture.alerts.readValuesToList();
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals("SITE_DOWN:azure", alerts.get(0).getId());
        assertEquals(io.tierflow.schemas.Severity.CRITICAL, alerts.get(0).getSeverity());

        fixture.sites.pipeInput("azure", TopologyFixture.standardSites().get(1), START.plusSeconds(30));
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertEquals(io.tierflow.schemas.AlertState.RESOLVED, fixture.alerts.readValue().getState());
    }

    @Test
    void shouldReEvaluateTheListedDatasetsAtOnceOnReoptimize() {
        fixture.datasets.pipeInput("r", TopologyFixture.dataset("r", "azure", "GLACIER_IR", GB), START);
        fixture.datasets.pipeInput("other", TopologyFixture.dataset("other", "azure", "GLACIER_IR", GB), START);
        assertEquals("azure", last(fixture.placementsFor("r")).getPrimarySite(), "cheapest cold storage");
        fixture.placements.readKeyValuesToList();
        azureMarkedDown(); // and the punctuator has not run since

        fixture.control.pipeInput("r", reoptimize("r", List.of("r")), START.plusSeconds(20));

        List<KeyValue<String, Placement>> decisions = fixture.placements.readKeyValuesToList();
        assertEquals(List.of("r"), decisions.stream().map(kv -> kv.key).toList(), "only the listed dataset");
        Placement moved = decisions.get(0).value;
        assertNotEquals("azure", moved.getPrimarySite());
        assertEquals("site_down", moved.getExplanation().getBindingConstraint());
        MigrationCommand copy = fixture.commands.readValue();
        assertEquals("azure", copy.getSourceSite(), "a primary on a site that is down is moved at once");
        assertEquals(moved.getPrimarySite(), copy.getDestinationSite());
        assertTrue(fixture.commands.isEmpty());
        assertTrue(fixture.alerts.readValuesToList().stream()
                .noneMatch(a -> a.getState() == io.tierflow.schemas.AlertState.ACKNOWLEDGED));
    }

    @Test
    void shouldMakeEveryDatasetOfThePartitionDueOnAReoptimizeOfAll() {
        for (String key : List.of("x1", "x2")) {
            fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "azure", "GLACIER_IR", GB), START);
        }
        Instant at = START.plusSeconds(5);
        fixture.accessEvents.pipeInput("events-only", fixture.event("events-only", at, "us-east"), at);
        fixture.driver.advanceWallClockTime(Duration.ofHours(3));
        fixture.placements.readKeyValuesToList();
        fixture.commands.readValuesToList();
        assertEquals(-1, fixture.state("x1").getDueAt(), "looked at: cold, so due again only when something changes");
        long before = evaluations();

        fixture.control.pipeInput("*", reoptimize("*", List.of()), START.plusSeconds(20));

        assertEquals(before, evaluations(), "nothing evaluated while the request is processed");
        assertEquals(-1, fixture.state("x1").getDueAt(), "and no record rewritten: only the due index is told");
        assertEquals(-1, fixture.state("x2").getDueAt());

        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertEquals(before + 2, evaluations(), "the punctuator looks at each dataset once");
        assertNull(fixture.state("events-only"), "nothing to place without an inventory entry");
        assertNull(fixture.activity("events-only"), "its events are held in memory, not stored as a dataset's");

        fixture.driver.advanceWallClockTime(Duration.ofMinutes(5));
        assertEquals(before + 2, evaluations(), "once");
    }

    @Test
    void shouldReplanEveryDatasetAtOnceWhenASiteGoesDown() {
        for (String key : List.of("y1", "y2")) {
            fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "azure", "GLACIER_IR", GB), START);
        }
        fixture.driver.advanceWallClockTime(Duration.ofHours(3));
        fixture.placements.readKeyValuesToList();
        long before = evaluations();

        azureGoesDown(); // no operator, no event: the next punctuation sees the catalogue change

        List<KeyValue<String, Placement>> decisions = fixture.placements.readKeyValuesToList();
        assertEquals(List.of("y1", "y2"), decisions.stream().map(kv -> kv.key).sorted().toList());
        decisions.forEach(kv -> assertEquals("site_down", kv.value.getExplanation().getBindingConstraint()));
        assertEquals(List.of("azure", "azure"), fixture.commands.readValuesToList().stream()
                .map(MigrationCommand::getSourceSite).toList(), "each moved off the site that is down");
        assertEquals(before + 2, evaluations());

        fixture.driver.advanceWallClockTime(Duration.ofMinutes(5));
        assertEquals(before + 2, evaluations(), "once: an unchanged catalogue makes nothing due");
    }

    /**
     * The punctuator reads and checks the catalogue again only when a global store changed through its topic: a
     * value put into the store behind the topic's back (which only a test can do) is not even looked at until then.
     */
    @Test
    void shouldReadTheCatalogueAgainOnlyWhenAGlobalStoreChanged() {
        fixture.datasets.pipeInput("z1", TopologyFixture.dataset("z1", "azure", "GLACIER_IR", GB), START);
        fixture.driver.advanceWallClockTime(Duration.ofHours(3));
        fixture.placements.readKeyValuesToList();
        fixture.commands.readValuesToList();
        Site down = Site.newBuilder(TopologyFixture.standardSites().get(1)).setUp(false).build();
        fixture.driver.<String, Site>getKeyValueStore(TieringTopology.SITES_STORE).put("azure", down);

        fixture.driver.advanceWallClockTime(Duration.ofMinutes(5));

        assertTrue(fixture.placements.isEmpty(), "no store was written through its topic: nothing read again");
        assertTrue(fixture.commands.isEmpty());

        azureGoesDown();

        assertEquals(List.of("z1"), fixture.placements.readKeyValuesToList().stream().map(kv -> kv.key).toList());
        assertEquals("azure", fixture.commands.readValue().getSourceSite(), "moved off the site that is down");
    }

    @Test
    void shouldNotLookAtAnIdleDatasetUntilSomethingCanChangeItsDecision() {
        fixture.datasets.pipeInput("still", TopologyFixture.dataset("still", "azure", "GLACIER_IR", 10 * GB), START);
        assertEquals(Tier.COLD, last(fixture.placementsFor("still")).getTier());
        assertEquals(1, evaluations());
        assertEquals(-1, fixture.state("still").getDueAt(), "not due: cold, and its heat can only fall");

        for (int i = 0; i < 20; i++) {
            fixture.driver.advanceWallClockTime(Duration.ofMinutes(30));
        }
        assertEquals(1, evaluations(), "cold with no reads: nothing to decide for ten hours");
        io.tierflow.schemas.CostLedger stored = fixture.driver
                .<String, io.tierflow.schemas.CostLedger>getKeyValueStore(TieringTopology.COST_LEDGER_STORE)
                .get("azure|COLD");
        double months = stored.getGbMonths() / 10.0;
        assertTrue(months > 0.0125 && months < 0.0145, "its storage charged all the same, ten hours of 10 GB: "
                + stored.getGbMonths());

        Instant read = START.plusSeconds(10 * 3600 + 60);
        fixture.accessEvents.pipeInput("still", fixture.event("still", read, "eu-west"), read);
        fixture.driver.advanceWallClockTime(Duration.ofMinutes(30));
        assertEquals(1, evaluations(), "a read that cannot change its tier is charged later, not looked at now");
        fixture.driver.advanceWallClockTime(Duration.ofMinutes(40));
        assertEquals(2, evaluations(), "within the longest interval after the read");
        assertEquals(1, fixture.driver.<String, io.tierflow.schemas.CostLedger>getKeyValueStore(
                TieringTopology.COST_LEDGER_STORE).get("azure|COLD").getReads(), "to charge it");
    }

    @Test
    void shouldDeadLetterAReoptimizeThatNamesNoDatasets() {
        fixture.control.pipeInput("azure", reoptimize("azure", List.of()), START.plusSeconds(1));
        DeadLetter letter = fixture.deadLetters.readValue();
        assertEquals("control", letter.getSourceTopic());
        assertTrue(letter.getReason().contains("REOPTIMIZE needs dataset keys"), letter.getReason());
        assertTrue(fixture.deadLetters.isEmpty());
    }

    private void azureGoesDown() {
        azureMarkedDown();
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10)); // the punctuator picks up the catalogue
    }

    private void azureMarkedDown() {
        Site down = Site.newBuilder(TopologyFixture.standardSites().get(1)).setUp(false).build();
        fixture.sites.pipeInput("azure", down, START.plusSeconds(10));
    }

    private long evaluations() {
        return meters.get("tierflow.placement.evaluation").timer().count();
    }

    private static io.tierflow.schemas.ControlCommand reoptimize(String target, List<String> keys) {
        return io.tierflow.schemas.ControlCommand.newBuilder().setType(io.tierflow.schemas.ControlType.REOPTIMIZE)
                .setTarget(target).setKeys(keys).setOperator("ops").setIssuedAt(START.plusSeconds(20)).build();
    }

    private static MigrationStatus withToken(MigrationStatus status, String versionToken) {
        return MigrationStatus.newBuilder(status).setVersionToken(versionToken).build();
    }

    private MigrationCommand promoteToAws(String key) {
        fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "azure", "GLACIER_IR", GB), START);
        fixture.burst(key, START.plusSeconds(60), 30, Duration.ofMinutes(5));
        MigrationCommand copy = fixture.commands.readValue();
        assertEquals("aws", copy.getDestinationSite());
        return copy;
    }

    private Placement warmReadFromUsCentral(String key) {
        fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "aws", "STANDARD", GB), START);
        for (int i = 0; i < 5; i++) {
            Instant at = START.plusSeconds(60 + i * 60L);
            fixture.accessEvents.pipeInput(key, fixture.event(key, at, "us-central"), at);
        }
        Placement placement = last(fixture.placementsFor(key));
        assertEquals(Tier.WARM, placement.getTier());
        return placement;
    }

    private static SiteScore score(Placement placement, String site) {
        return placement.getExplanation().getSiteScores().stream().filter(s -> s.getSite().equals(site)).findFirst()
                .orElseThrow();
    }

    private static Placement last(List<Placement> placements) {
        assertFalse(placements.isEmpty(), "no placement was emitted");
        return placements.get(placements.size() - 1);
    }
}
