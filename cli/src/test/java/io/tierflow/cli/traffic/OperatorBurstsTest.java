package io.tierflow.cli.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.streams.domain.MigrationPlanner.Action;
import io.tierflow.streams.domain.SiteOffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The extra reads an operator's burst adds to the traffic: how many, when, of what, and from which copy. */
class OperatorBurstsTest {
    private static final long SECOND = 1_000_000_000L;
    /** Any System.nanoTime: negative on some machines, so the arithmetic must not assume otherwise. */
    private static final long T0 = -7 * SECOND;
    private static final Instant EVENT_TIME = Instant.parse("2026-03-01T10:00:00Z");
    private static final DatasetSpec HOT = dataset(1, "datasets/d000001", 5_000_000, "aws");
    private static final DatasetSpec COLD = dataset(2, "datasets/d000002", 900_000_000, "onprem");

    private final OperatorBursts bursts = new OperatorBursts(List.of(HOT, COLD));

    @Test
    void shouldSendRateTimesLengthReadsOneIntervalApartAndNoneOutsideTheBurst() {
        bursts.add(List.of(HOT.key()), 10, Duration.ofSeconds(2), T0);

        assertEquals(0, bursts.due(T0 - 1, EVENT_TIME).size(), "nothing before the burst starts");
        assertEquals(1, bursts.due(T0, EVENT_TIME).size(), "the first read as it starts");
        assertEquals(0, bursts.due(T0 + SECOND / 10 - 1, EVENT_TIME).size(), "the next one an interval later");
        assertEquals(9, bursts.due(T0 + SECOND - 1, EVENT_TIME).size(), "ten in its first second");
        assertEquals(10, bursts.due(T0 + 60 * SECOND, EVENT_TIME).size(),
                "ten in the second and last second, however late the loop asks: 20 in all, not one at its end");
        assertEquals(0, bursts.due(T0 + 120 * SECOND, EVENT_TIME).size(), "the burst is over");
    }

    @Test
    void shouldKeepTheRateOverALongBurstWhoseIntervalIsNotAWholeNanosecond() {
        bursts.add(List.of(HOT.key()), 3, Duration.ofHours(1), T0);

        // Asked halfway between two reads, so rounding a read's time cannot move it across the question.
        assertEquals(3 * 1800, drain(T0 + 1800 * SECOND - SECOND / 6).size(),
                "three a second for the first half hour");
        assertEquals(3 * 1800, drain(T0 + 7200 * SECOND).size(), "and for the second, no more");
    }

    @Test
    void shouldTakeTurnsAmongTheKnownDatasetsReadingEachWhole() {
        List<String> bursting = bursts.add(List.of(COLD.key(), "datasets/unknown", HOT.key()), 4,
                Duration.ofSeconds(1), T0);

        assertEquals(List.of(COLD.key(), HOT.key()), bursting, "a key the traffic does not know is left out");
        List<AccessEvent> events = bursts.due(T0 + 10 * SECOND, EVENT_TIME);
        assertEquals(List.of(COLD.key(), HOT.key(), COLD.key(), HOT.key()),
                events.stream().map(AccessEvent::getKey).toList());
        Map<String, DatasetSpec> specs = List.of(HOT, COLD).stream()
                .collect(Collectors.toMap(DatasetSpec::key, Function.identity()));
        for (AccessEvent event : events) {
            assertEquals(AccessOp.GET, event.getOp());
            assertEquals(specs.get(event.getKey()).sizeBytes(), event.getBytes(), "a GET of the whole object");
            assertEquals(EVENT_TIME, event.getEventTime(), "stamped with the traffic's event time");
            assertTrue(event.getLatencyMs() > 0, "a latency from the serving copy: " + event);
        }
        assertEquals(events.size(), new HashSet<>(events.stream().map(AccessEvent::getEventId).toList()).size(),
                "every event id distinct, so the topology counts each read");
    }

    @Test
    void shouldStartNothingForUnknownKeysOrARateThatIsNotAPositiveNumber() {
        assertEquals(List.of(), bursts.add(List.of("datasets/unknown"), 10, Duration.ofSeconds(5), T0));
        bursts.add(List.of(HOT.key()), 0, Duration.ofSeconds(5), T0);
        bursts.add(List.of(HOT.key()), -4, Duration.ofSeconds(5), T0);
        bursts.add(List.of(HOT.key()), Double.NaN, Duration.ofSeconds(5), T0);
        bursts.add(List.of(HOT.key()), Double.POSITIVE_INFINITY, Duration.ofSeconds(5), T0);
        bursts.add(List.of(HOT.key()), 10, Duration.ZERO, T0);

        assertEquals(0, bursts.due(T0 + 10 * SECOND, EVENT_TIME).size());
    }

    @Test
    void shouldCatchUpAfterAStallAtMostTenThousandReadsACallWithoutLosingAny() {
        bursts.add(List.of(HOT.key()), 10_000, Duration.ofSeconds(3), T0);
        long stalledUntil = T0 + 60 * SECOND;

        assertEquals(10_000, bursts.due(stalledUntil, EVENT_TIME).size());
        assertEquals(10_000, bursts.due(stalledUntil, EVENT_TIME).size());
        assertEquals(10_000, bursts.due(stalledUntil, EVENT_TIME).size());
        assertEquals(0, bursts.due(stalledUntil, EVENT_TIME).size(), "30 000 in all: 10 000 a second for 3 s");
    }

    @Test
    void shouldRunBurstsSideBySideEachAtItsOwnRate() {
        bursts.add(List.of(HOT.key()), 2, Duration.ofSeconds(5), T0);
        bursts.add(List.of(COLD.key()), 5, Duration.ofSeconds(2), T0 + SECOND);

        Map<String, Long> reads = drain(T0 + 30 * SECOND).stream()
                .collect(Collectors.groupingBy(AccessEvent::getKey, Collectors.counting()));
        assertEquals(Map.of(HOT.key(), 10L, COLD.key(), 10L), reads);
    }

    @Test
    void shouldServeEachReadFromWhereTheDatasetIsNowNotWhereItStarted() {
        CurrentPlacements placements = new CurrentPlacements();
        placements.site(new SiteOffer("aws", "AWS", "us-east", 25, 0.09, true, true, Long.MAX_VALUE, List.of()));
        placements.site(new SiteOffer("gcp", "GCP", "us-central", 30, 0.09, true, true, Long.MAX_VALUE, List.of()));
        String sha = "ab".repeat(32);
        placements.inventory(COLD.key(), "onprem", List.of(), sha);
        placements.completed(COLD.key(), Action.COPY, "onprem", "gcp", sha);
        placements.completed(COLD.key(), Action.SWITCH, "onprem", "gcp", sha);
        placements.completed(COLD.key(), Action.RETIRE, "onprem", "onprem", null);
        OperatorBursts following = new OperatorBursts(List.of(HOT, COLD), placements);

        following.add(List.of(COLD.key(), HOT.key()), 2, Duration.ofSeconds(1), T0);
        List<AccessEvent> events = following.due(T0 + SECOND, EVENT_TIME);

        assertEquals(List.of("gcp", "aws"), events.stream().map(AccessEvent::getServedFrom).toList(),
                "the moved dataset from its new site, the other from its starting one");
    }

    @Test
    void shouldTakeBurstsAddedFromAnotherThread() throws Exception {
        Thread follower = new Thread(() -> bursts.add(List.of(HOT.key()), 100, Duration.ofSeconds(1), T0));
        follower.start();
        follower.join();

        assertEquals(100, drain(T0 + 5 * SECOND).size());
    }

    /** Every read due by {@code nowNanos}, over as many calls as the catch-up bound needs. */
    private List<AccessEvent> drain(long nowNanos) {
        List<AccessEvent> all = new ArrayList<>();
        for (List<AccessEvent> some; !(some = bursts.due(nowNanos, EVENT_TIME)).isEmpty(); ) {
            all.addAll(some);
        }
        return all;
    }

    private static DatasetSpec dataset(int rank, String key, long size, String site) {
        return new DatasetSpec(rank, key, size, "application/octet-stream", "team-" + rank, site, rank);
    }
}
