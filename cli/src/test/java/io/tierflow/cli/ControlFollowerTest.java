package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.cli.traffic.DatasetSpec;
import io.tierflow.cli.traffic.OperatorBursts;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the traffic generator does with an operator's command from the control topic: a BURST starts extra reads,
 * bounded as the API bounds them whatever the command says; anything else is not its business.
 */
class ControlFollowerTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long NOW = 42 * SECOND;
    private static final Instant EVENT_TIME = Instant.parse("2026-03-01T10:00:00Z");
    private static final String KEY = "datasets/d000007";

    private final OperatorBursts bursts = new OperatorBursts(List.of(new DatasetSpec(7, KEY, 3_000_000,
            "application/octet-stream", "team", "aws", 7)));
    private final StringWriter logged = new StringWriter();
    private final PrintWriter log = new PrintWriter(logged);

    @Test
    void shouldStartTheBurstACommandAsksForAndSayWhoAskedForIt() {
        ControlFollower.actOn(burst(Map.of("eventsPerSecond", "5", "durationSeconds", "2")), bursts, log, NOW);

        assertEquals(0, bursts.due(NOW - 1, EVENT_TIME).size(), "from the moment the command is read");
        List<AccessEvent> reads = allReadsBy(NOW + 3_600 * SECOND);
        assertEquals(10, reads.size(), "5 a second for 2 s");
        assertTrue(reads.stream().allMatch(read -> read.getKey().equals(KEY)));
        assertTrue(logged.toString().contains("operator burst by alice: [" + KEY + "] at 5 events/s for 2 s"),
                logged.toString());
    }

    @Test
    void shouldIgnoreEveryCommandButBurst() {
        for (ControlType type : ControlType.values()) {
            if (type != ControlType.BURST) {
                ControlCommand command = burst(Map.of("eventsPerSecond", "5", "durationSeconds", "2"));
                command.setType(type);
                ControlFollower.actOn(command, bursts, log, NOW);
            }
        }
        ControlFollower.actOn(null, bursts, log, NOW); // a tombstone

        assertEquals(0, allReadsBy(NOW + 3_600 * SECOND).size());
        assertEquals("", logged.toString());
    }

    @Test
    void shouldBoundTheRateAtTenThousandASecond() {
        ControlFollower.actOn(burst(Map.of("eventsPerSecond", "1e9", "durationSeconds", "1")), bursts, log, NOW);

        assertEquals(10_000, allReadsBy(NOW + 3_600 * SECOND).size());
    }

    @Test
    void shouldBoundTheLengthAtADay() {
        ControlFollower.actOn(burst(Map.of("eventsPerSecond", "1", "durationSeconds", "1e12")), bursts, log, NOW);

        assertEquals(86_400, allReadsBy(NOW + 1_000 * 86_400 * SECOND).size());
    }

    @Test
    void shouldStartNothingForANegativeRateOrLength() {
        ControlFollower.actOn(burst(Map.of("eventsPerSecond", "-5", "durationSeconds", "60")), bursts, log, NOW);
        ControlFollower.actOn(burst(Map.of("eventsPerSecond", "5", "durationSeconds", "-60")), bursts, log, NOW);

        assertEquals(0, allReadsBy(NOW + 3_600 * SECOND).size());
    }

    @Test
    void shouldTakeTheApisDefaultsForParametersMissingOrUnreadable() {
        ControlFollower.actOn(burst(Map.of()), bursts, log, NOW);
        ControlFollower.actOn(burst(Map.of("eventsPerSecond", "fast", "durationSeconds", "a while")), bursts, log,
                NOW);
        ControlFollower.actOn(burst(Map.of("eventsPerSecond", "NaN", "durationSeconds", "NaN")), bursts, log, NOW);

        assertEquals(3 * 50 * 60, allReadsBy(NOW + 3_600 * SECOND).size(), "three bursts of 50 a second for 60 s");
    }

    /**
     * Every read due by {@code nowNanos}, over as many calls as the bursts' catch-up bound needs; at most 50 of them,
     * so an unbounded burst fails the test instead of filling the heap.
     */
    private List<AccessEvent> allReadsBy(long nowNanos) {
        List<AccessEvent> all = new ArrayList<>();
        List<AccessEvent> some;
        for (int calls = 0; calls < 50 && !(some = bursts.due(nowNanos, EVENT_TIME)).isEmpty(); calls++) {
            all.addAll(some);
        }
        return all;
    }

    private static ControlCommand burst(Map<String, String> parameters) {
        return ControlCommand.newBuilder().setType(ControlType.BURST).setTarget(KEY).setKeys(List.of(KEY))
                .setParameters(parameters).setOperator("alice").setIssuedAt(Instant.parse("2026-03-01T09:59:00Z"))
                .build();
    }
}
