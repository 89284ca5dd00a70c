package io.tierflow.streams;

import static io.tierflow.streams.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration budget on the whole topology, far below the demand: COPY commands stay within the budget per sliding
 * hour (copies counted while in flight and for an hour after), the most valuable waiting moves are issued first, and
 * every waiting move is issued in the end. (The driver deletes its state when it closes: MigrationBudgetIT restarts a
 * node on the real broker.)
 */
@ExtendWith(InMemoryRegistry.class)
class MigrationBudgetTopologyTest {
    private static final long GB = 1_000_000_000L;
    private static final long BUDGET = 2 * GB;
    private static final long HOUR_MS = 3_600_000L;

    @TempDir
    Path stateDir;
    private String registryUrl;
    private SimpleMeterRegistry meters;
    private TopologyFixture fixture;
    /** The driver's wall clock, as this test moves it. */
    private Instant wall;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldHoldCopiesToTheBudgetAndIssueTheMostValuableFirst(InMemoryRegistry.Url registry) {
        registryUrl = registry.value();
        open(TieringSettings.DEFAULTS, BUDGET);
        // Every dataset is cold on azure, then read from us-east until hot: each wants a COPY to the hot site. The
        // filler's first COPY takes the whole hour's budget, so every other move waits and the budget decides the order.
        Map<String, Long> sizes = new LinkedHashMap<>();
        sizes.put("filler", 2 * GB);
        sizes.put("v-1.00", GB);
        sizes.put("v-0.75", 3 * GB / 4);
        sizes.put("sla", GB);
        sizes.put("v-0.50", GB / 2);
        sizes.put("v-0.25", GB / 4);
        for (Map.Entry<String, Long> d : sizes.entrySet()) {
            Dataset dataset = TopologyFixture.dataset(d.getKey(), "azure", "GLACIER_IR", d.getValue());
            if (d.getKey().equals("sla")) {
                dataset.setLatencySlaMs(30.0); // azure's p95 is 35 ms: once hot, it must move (forced)
            }
            fixture.datasets.pipeInput(d.getKey(), dataset, START);
        }
        Instant t = START.plusSeconds(60);
        for (String key : sizes.keySet()) {
            fixture.burst(key, t, 30, Duration.ofMinutes(5));
            t = t.plus(Duration.ofMinutes(5));
        }

        List<MigrationCommand> copies = new ArrayList<>();
        Map<String, Instant> copyEnded = new HashMap<>(); // by command id
        Map<String, MigrationCommand> moves = new LinkedHashMap<>(); // each dataset's COPY off azure, to the hot site
        Instant clock = t.plus(Duration.ofMinutes(1));
        long waitingHalfway = -1;
        for (int step = 0; step < 200 && moves.size() < sizes.size(); step++) {
            complete(clock, copies, copyEnded, moves);
            if (step == 20) { // every dataset without its move yet waits for the budget, and the gauges say so
                long notMoved = sizes.keySet().stream().filter(k -> !moves.containsKey(k)).count();
                long bytesNotMoved = sizes.entrySet().stream().filter(e -> !moves.containsKey(e.getKey()))
                        .mapToLong(Map.Entry::getValue).sum();
                assertTrue(notMoved > 0, "moves still wait 100 minutes in");
                assertEquals(notMoved, gauge("tierflow.migration.backlog.moves"));
                assertEquals(bytesNotMoved, gauge("tierflow.migration.backlog") /* _bytes in Prometheus */);
                assertEquals(bytesNotMoved / (double) BUDGET * 3600, gauge("tierflow.migration.backlog.drain"),
                        1e-6);
                waitingHalfway = notMoved;
            }
            clock = clock.plus(Duration.ofMinutes(5));
            advanceTo(clock);
        }
        complete(clock, copies, copyEnded, moves);

        assertEquals(sizes.keySet(), moves.keySet(), "every waiting move was issued in the end, none lost");
        assertTrue(waitingHalfway > 0, "the budget held moves back");
        for (MigrationCommand move : moves.values()) {
            assertEquals(sizes.get(move.getKey()), move.getSizeBytes());
        }
        assertWithinBudget(copies, copyEnded);

        // Forced first, then by saving per byte: the same reads over fewer bytes save more per byte moved. (The
        // filler's first COPY was a change of storage class when it turned warm, which took the hour's budget.)
        List<String> priority = List.of("sla", "v-0.25", "v-0.50", "v-0.75", "v-1.00", "filler");
        for (int i = 1; i < priority.size(); i++) {
            Instant before = moves.get(priority.get(i - 1)).getIssuedAt();
            Instant after = moves.get(priority.get(i)).getIssuedAt();
            assertTrue(!after.isBefore(before), priority.get(i - 1) + " (issued " + before + ") goes before "
                    + priority.get(i) + " (issued " + after + ")");
        }
        Instant first = copies.get(0).getIssuedAt();
        Instant last = moves.get("filler").getIssuedAt();
        assertTrue(Duration.between(first, last).toMillis() >= 3 * HOUR_MS,
                "8.5 GB at 2 GB an hour take hours, not " + Duration.between(first, last));
        assertEquals(0.0, gauge("tierflow.migration.backlog.moves"));
        assertTrue(fixture.commands.isEmpty());
    }

    /**
     * At every COPY's issue, the bytes of the copies issued before it that run still or ended less than an hour ago,
     * plus its own, are within the budget; and so, weaker, are the bytes of the copies issued in any sliding hour.
     */
    private static void assertWithinBudget(List<MigrationCommand> copies, Map<String, Instant> ended) {
        for (MigrationCommand copy : copies) {
            Instant at = copy.getIssuedAt();
            long counted = 0;
            long inTheHour = 0;
            for (MigrationCommand other : copies) {
                if (other.getIssuedAt().isAfter(at)) {
                    continue;
                }
                Instant end = ended.get(other.getId());
                if (end == null || end.plusMillis(HOUR_MS).isAfter(at)) {
                    counted += other.getSizeBytes();
                }
                if (other.getIssuedAt().isAfter(at.minusMillis(HOUR_MS))) {
                    inTheHour += other.getSizeBytes();
                }
            }
            assertTrue(counted <= BUDGET, copy.getKey() + " issued at " + at + " over " + counted + " bytes counted");
            assertTrue(inTheHour <= BUDGET, copy.getKey() + " issued at " + at + ": " + inTheHour + " in the hour");
        }
    }

    /** The migrator: every command read is done at {@code clock}, and the steps that follow are done too. */
    private void complete(Instant clock, List<MigrationCommand> copies, Map<String, Instant> copyEnded,
            Map<String, MigrationCommand> moves) {
        while (!fixture.commands.isEmpty()) {
            MigrationCommand command = fixture.commands.readValue();
            if (command.getAction() == MigrationAction.COPY) {
                copies.add(command);
                copyEnded.put(command.getId(), clock);
                if (!command.getDestinationSite().equals(command.getSourceSite())) {
                    assertTrue(moves.putIfAbsent(command.getKey(), command) == null, "one move of " + command.getKey());
                }
            }
            fixture.statuses.pipeInput(command.getKey(), fixture.completed(command, TopologyFixture.SHA), clock);
        }
    }

    @Test
    void shouldMoveNoBytesOnAZeroBudgetAndAlertWhileTheBacklogWouldTakeTooLongToDrain(InMemoryRegistry.Url registry) {
        registryUrl = registry.value();
        open(TieringSettings.DEFAULTS.withMigrationBacklogDrainLimit(Duration.ofHours(1)), 0);
        fixture.datasets.pipeInput("ds", TopologyFixture.dataset("ds", "azure", "GLACIER_IR", GB), START);
        Instant t = START.plusSeconds(60);
        fixture.burst("ds", t, 30, Duration.ofMinutes(5)); // hot and read from us-east: it wants a COPY off azure
        Instant clock = t.plus(Duration.ofMinutes(10));
        advanceTo(clock);

        assertTrue(fixture.commands.readValuesToList().stream().noneMatch(c -> c.getAction() == MigrationAction.COPY),
                "a budget of zero moves no bytes");
        assertEquals(1.0, gauge("tierflow.migration.backlog.moves"));
        assertEquals(Double.POSITIVE_INFINITY, gauge("tierflow.migration.backlog.drain"));
        Alert firing = budgetAlert();
        assertEquals(AlertState.FIRING, firing.getState(), "waiting moves that never drain");
        assertEquals(AlertType.MIGRATION_BACKLOG, firing.getType());
        assertEquals(3600.0, firing.getThreshold());

        // A budget again: the waiting move goes (the budget alone makes no dataset due), and the alert resolves.
        publishCatalogue(clock, BUDGET);
        clock = clock.plus(Duration.ofSeconds(10));
        advanceTo(clock);
        MigrationCommand copy = fixture.commands.readValue();
        assertEquals(MigrationAction.COPY, copy.getAction());
        assertEquals("aws", copy.getDestinationSite());
        assertEquals(0.0, gauge("tierflow.migration.backlog.moves"));
        clock = clock.plus(Duration.ofSeconds(10));
        advanceTo(clock);
        assertEquals(AlertState.RESOLVED, budgetAlert().getState());
    }

    /**
     * A scoped policy that keeps a quarter of the budget for its datasets: its copies stay within that quarter in every
     * hour even while the rest of the budget has room, and the other datasets' copies stay within the three quarters
     * left; every move is issued in the end.
     */
    @Test
    void shouldHoldAScopedPolicysCopiesToItsBudgetShare(InMemoryRegistry.Url registry) {
        registryUrl = registry.value();
        open(TieringSettings.DEFAULTS, BUDGET);
        Policy logs = Policy.newBuilder(TopologyFixture.policy(false)).setName("logs")
                .setHeatHalfLifeSeconds(7 * 24 * 3600).setMigrationBudgetBytesPerHour(BUDGET)
                .setScope(io.tierflow.schemas.PolicyScope.newBuilder().setPrefix("logs/").build())
                .setBudgetShare(0.25).build();
        fixture.policies.pipeInput("logs", logs, START.plusSeconds(20));
        advanceTo(START.plusSeconds(30));
        Map<String, Long> sizes = new LinkedHashMap<>();
        sizes.put("logs/a", 2 * GB / 5);
        sizes.put("logs/b", 2 * GB / 5);
        sizes.put("logs/c", 2 * GB / 5);
        sizes.put("data/a", GB / 2);
        sizes.put("data/b", GB / 2);
        for (Map.Entry<String, Long> d : sizes.entrySet()) {
            fixture.datasets.pipeInput(d.getKey(), TopologyFixture.dataset(d.getKey(), "azure", "GLACIER_IR",
                    d.getValue()), START.plusSeconds(40));
        }
        Instant t = START.plusSeconds(60);
        for (String key : sizes.keySet()) {
            fixture.burst(key, t, 30, Duration.ofMinutes(5));
        }

        List<MigrationCommand> copies = new ArrayList<>();
        Map<String, Instant> copyEnded = new HashMap<>();
        Map<String, MigrationCommand> moves = new LinkedHashMap<>();
        Instant clock = t.plus(Duration.ofMinutes(6));
        for (int step = 0; step < 200 && moves.size() < sizes.size(); step++) {
            complete(clock, copies, copyEnded, moves);
            clock = clock.plus(Duration.ofMinutes(5));
            advanceTo(clock);
        }
        complete(clock, copies, copyEnded, moves);

        assertEquals(sizes.keySet(), moves.keySet(), "every waiting move was issued in the end, none lost");
        List<MigrationCommand> logsCopies = copies.stream().filter(c -> c.getKey().startsWith("logs/")).toList();
        List<MigrationCommand> otherCopies = copies.stream().filter(c -> !c.getKey().startsWith("logs/")).toList();
        assertWithin(logsCopies, copyEnded, BUDGET / 4);
        assertWithin(otherCopies, copyEnded, BUDGET - BUDGET / 4);
        // Three 0.4 GB moves in a 0.5 GB share: one at a time, each an hour after the one before ended.
        Instant firstLogs = moves.get("logs/a").getIssuedAt();
        Instant lastLogs = sizes.keySet().stream().filter(k -> k.startsWith("logs/"))
                .map(k -> moves.get(k).getIssuedAt()).max(Instant::compareTo).orElseThrow();
        assertTrue(Duration.between(firstLogs, lastLogs).toMillis() >= 2 * HOUR_MS,
                "the logs moves waited for their share, not " + Duration.between(firstLogs, lastLogs));
    }

    /** At every COPY's issue, the copies issued before it that run still or ended less than an hour ago fit. */
    private static void assertWithin(List<MigrationCommand> copies, Map<String, Instant> ended, long share) {
        for (MigrationCommand copy : copies) {
            Instant at = copy.getIssuedAt();
            long counted = 0;
            for (MigrationCommand other : copies) {
                Instant end = ended.get(other.getId());
                if (!other.getIssuedAt().isAfter(at) && (end == null || end.plusMillis(HOUR_MS).isAfter(at))) {
                    counted += other.getSizeBytes();
                }
            }
            assertTrue(counted <= share, copy.getKey() + " issued at " + at + " over " + counted + " bytes counted"
                    + " against a share of " + share);
        }
    }

    /** The latest record of the budget's backlog alert on {@code alerts}. */
    private Alert budgetAlert() {
        Alert last = null;
        for (var record : fixture.alerts.readKeyValuesToList()) {
            if (record.key.equals(DatasetAlerts.BACKLOG_DRAIN_ALERT)) {
                last = record.value;
            }
        }
        assertTrue(last != null, "the budget's backlog alert was published");
        return last;
    }

    private void open(TieringSettings settings, long budget) {
        meters = new SimpleMeterRegistry();
        fixture = new TopologyFixture(registryUrl, stateDir, settings, new TieringMetrics(meters));
        wall = START;
        publishCatalogue(START, budget);
        advanceTo(START.plusSeconds(10)); // the punctuator picks the catalogue up
    }

    /** Heat that lasts (a week's half-life) so waiting datasets stay hot, and the budget given. */
    private void publishCatalogue(Instant at, long budget) {
        for (Site site : TopologyFixture.standardSites()) {
            fixture.sites.pipeInput(site.getName(), site, at);
        }
        Policy policy = Policy.newBuilder(TopologyFixture.policy(false)).setHeatHalfLifeSeconds(7 * 24 * 3600)
                .setMigrationBudgetBytesPerHour(budget).build();
        fixture.policies.pipeInput("default", policy, at);
    }

    private void advanceTo(Instant time) {
        if (time.isAfter(wall)) {
            fixture.driver.advanceWallClockTime(Duration.between(wall, time));
            wall = time;
        }
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }
}
