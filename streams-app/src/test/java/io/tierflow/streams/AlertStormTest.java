package io.tierflow.streams;

import static io.tierflow.streams.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertExample;
import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.schemas.Severity;
import io.tierflow.streams.domain.AlertPacing;
import io.tierflow.streams.domain.AlertRules;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A load step on thousands of datasets raises a handful of alerts, not thousands (issue 22, item 5). */
@ExtendWith(InMemoryRegistry.class)
class AlertStormTest {
    private static final int DATASETS = 2_000;
    /** Reads per dataset in a load step: the fewest that can be a spike. */
    private static final int READS = (int) AlertRules.SPIKE_MIN_READS_1H;
    private static final long GB = 1_000_000_000L;

    @TempDir
    Path stateDir;
    TopologyFixture fixture;
    /** Every record written to alerts over the test, in order. */
    final List<KeyValue<String, Alert>> published = new ArrayList<>();

    @BeforeEach
    void start(InMemoryRegistry.Url registry) {
        fixture = new TopologyFixture(registry.value(), stateDir, TieringSettings.DEFAULTS).withStandardSites(false);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldRaiseAHandfulOfAlertsForALoadStepOnThousandsOfDatasets() {
        for (int i = 0; i < DATASETS; i++) {
            String key = key(i);
            fixture.datasets.pipeInput(key, TopologyFixture.dataset(key, "aws", "STANDARD", GB), START);
        }
        // The reported storm: 50 reads each within ten minutes on datasets never read before. No history: no spike.
        step(START.plusSeconds(60), READS);
        fixture.driver.advanceWallClockTime(Duration.ofMinutes(2));
        drain();
        assertTrue(published.stream().noneMatch(kv -> kv.key.startsWith(AlertType.TRAFFIC_SPIKE.name())),
                "a first burst is no spike: " + published.stream().map(kv -> kv.key).distinct().toList());
        assertEquals(0, members(DatasetAlerts.SPIKE_GROUP).size());

        // Six quiet hours (a read an hour each) give the forecast its history; then the same step again is a spike
        // on every dataset, and one alert says so.
        for (int hour = 1; hour <= AlertRules.SPIKE_MIN_HISTORY_HOURS; hour++) {
            step(START.plusSeconds(hour * 3600L + 60), 1);
        }
        // Datasets with more reads in the step are worse: the examples must be the ones with the most.
        Instant spike = START.plusSeconds((AlertRules.SPIKE_MIN_HISTORY_HOURS + 1) * 3600L + 60);
        step(spike, READS);
        for (int i = DATASETS - 3; i < DATASETS; i++) {
            fixture.burst(key(i), spike.plusSeconds(600), READS, Duration.ofMinutes(1));
        }
        fixture.driver.advanceWallClockTime(AlertPacing.DEFAULTS.minPublishInterval());
        fixture.driver.advanceWallClockTime(AlertPacing.DEFAULTS.minPublishInterval());
        drain();

        List<Alert> spikes = published.stream().filter(kv -> kv.key.equals(DatasetAlerts.SPIKE_GROUP))
                .map(kv -> kv.value).toList();
        assertTrue(spikes.size() >= 1 && spikes.size() <= 3, "fired, then updated at most once a minute: " + spikes);
        Alert group = spikes.get(spikes.size() - 1);
        assertEquals(AlertState.FIRING, group.getState());
        assertEquals(DATASETS, group.getCount());
        assertEquals(DATASETS, members(DatasetAlerts.SPIKE_GROUP).size());
        List<String> worst = group.getExamples().stream().map(AlertExample::getSubject).toList();
        assertEquals(GroupAlerts.EXAMPLES, worst.size());
        assertEquals(Set.of(key(DATASETS - 3), key(DATASETS - 2), key(DATASETS - 1)), Set.copyOf(worst.subList(0, 3)),
                "the datasets with the most reads come first: " + group.getExamples());
        Set<String> ids = new HashSet<>();
        published.forEach(kv -> ids.add(kv.key));
        assertTrue(published.size() <= 6 && ids.size() <= 3,
                "a handful of alerts for " + 2 * DATASETS * READS + " reads on " + DATASETS + " datasets: " + ids);

        // One acknowledgement (the existing control path, keyed by the group's id) covers every member.
        Instant ackAt = spike.plusSeconds(900);
        fixture.control.pipeInput(DatasetAlerts.SPIKE_GROUP, ControlCommand.newBuilder().setType(ControlType.ACK_ALERT)
                .setTarget(DatasetAlerts.SPIKE_GROUP).setOperator("ops").setIssuedAt(ackAt).build(), ackAt);
        Alert acked = fixture.alerts.readValue();
        assertEquals(AlertState.ACKNOWLEDGED, acked.getState());
        assertEquals(DATASETS, acked.getCount());
        assertTrue(fixture.alerts.isEmpty());
    }

    @Test
    void shouldResolveATrafficSpikeOfOneDatasetRaisedBeforeGrouping() {
        // As written by the version before groups: one alert per dataset, which no signal resolves any more.
        KeyValueStore<String, Alert> alerts = fixture.driver.getKeyValueStore(TieringTopology.ALERTS_STORE);
        Alert old = Alert.newBuilder().setId("TRAFFIC_SPIKE:d1").setType(AlertType.TRAFFIC_SPIKE)
                .setSeverity(Severity.WARNING).setState(AlertState.FIRING).setSubject("d1")
                .setMessage("50 accesses in the last hour against a forecast of 0.0").setValue(50).setThreshold(5)
                .setRaisedAt(START).setUpdatedAt(START).build();
        alerts.put(old.getId(), old);
        fixture.driver.advanceWallClockTime(Duration.ofMinutes(1));
        List<KeyValue<String, Alert>> out = fixture.alerts.readKeyValuesToList();
        assertEquals(1, out.size(), out.toString());
        assertEquals(AlertState.RESOLVED, out.get(0).value.getState());
        assertEquals(AlertState.RESOLVED, alerts.get("TRAFFIC_SPIKE:d1").getState());

        fixture.driver.advanceWallClockTime(AlertPacing.DEFAULTS.resolvedRetention());
        KeyValue<String, Alert> tombstone = fixture.alerts.readKeyValue();
        assertEquals("TRAFFIC_SPIKE:d1", tombstone.key);
        assertNull(tombstone.value);
        assertNull(alerts.get("TRAFFIC_SPIKE:d1"));
    }

    /** {@code reads} reads of every dataset within ten minutes from {@code from}, interleaved in time order. */
    private void step(Instant from, int reads) {
        for (int r = 0; r < reads; r++) {
            Instant at = from.plusMillis(600_000L * r / reads);
            for (int i = 0; i < DATASETS; i++) {
                AccessEvent event = fixture.event(key(i), at, "us-east");
                fixture.accessEvents.pipeInput(key(i), event, at);
            }
        }
        drain();
    }

    private void drain() {
        published.addAll(fixture.alerts.readKeyValuesToList());
    }

    private List<String> members(String group) {
        KeyValueStore<String, AlertSignal> store = fixture.driver.getKeyValueStore(TieringTopology.ALERT_MEMBERS_STORE);
        List<String> subjects = new ArrayList<>();
        try (KeyValueIterator<String, AlertSignal> all = store.prefixScan(AlertMembers.prefix(group),
                new StringSerializer())) {
            all.forEachRemaining(kv -> subjects.add(AlertMembers.subject(kv.key)));
        }
        return subjects;
    }

    private static String key(int i) {
        return String.format("storm/d%05d", i);
    }
}
