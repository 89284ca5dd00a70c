package io.tierflow.cli.train;

import static io.tierflow.cli.train.PlantedTrace.DAY_MS;
import static io.tierflow.cli.train.PlantedTrace.HOUR_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.Activity;
import io.tierflow.streams.domain.TieringPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelledTableBuilderTest {
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private static LabelledTableBuilder builder(long horizonMs, long everyMs, long maxPoints, long breakEvenMs) {
        return new LabelledTableBuilder(new LabelledTableBuilder.Settings(TieringPolicy.BUILT_IN, horizonMs, everyMs,
                maxPoints, size -> breakEvenMs));
    }

    private static LabelledPoint point(LabelledTable table, String key, long timeMs, LabelledPoint.Kind kind) {
        return table.points().stream()
                .filter(p -> p.key().equals(key) && p.timeMs() == timeMs && p.kind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " point of " + key + " at " + timeMs));
    }

    @Test
    void shouldLabelEachPointByTheReadsInTheHorizonAfterIt() {
        LabelledTableBuilder builder = builder(DAY_MS, 12 * HOUR_MS, 1_000_000, 3 * DAY_MS);
        builder.size("a", 5_000, T0);
        builder.access("a", T0, "GET", 100, "eu-west", "e1");
        builder.access("a", T0 + 10 * HOUR_MS, "GET", 200, "eu-west", "e2");
        builder.access("a", T0 + 20 * HOUR_MS, "HEAD", 0, "eu-west", "e3");
        builder.access("a", T0 + 30 * HOUR_MS, "GET", 300, "eu-west", "e4");
        builder.access("b", T0 + 4 * DAY_MS, "GET", 1, "eu-west", "e5"); // makes the input four days long

        LabelledTable table = builder.build((done, total) -> { });

        LabelledPoint first = point(table, "a", T0, LabelledPoint.Kind.ACCESS);
        assertTrue(first.readWithinHorizon());
        assertEquals(1, first.readsInHorizon(), "the GET at 10 h; the HEAD is no read, the GET at 30 h too late");
        assertEquals(200, first.bytesInHorizon());
        assertEquals(Boolean.TRUE, first.beforeBreakEven());
        LabelledPoint afterHead = point(table, "a", T0 + 20 * HOUR_MS, LabelledPoint.Kind.ACCESS);
        assertTrue(afterHead.readWithinHorizon(), "the GET at 30 h is 10 h after it");
        LabelledPoint last = point(table, "a", T0 + 30 * HOUR_MS, LabelledPoint.Kind.ACCESS);
        assertFalse(last.readWithinHorizon());
        assertEquals(0, last.readsInHorizon());
        assertNull(last.beforeBreakEven(), "three days after 30 h runs past the end at four days: not known");
        LabelledPoint tick = point(table, "a", T0 + 36 * HOUR_MS, LabelledPoint.Kind.PERIODIC);
        assertFalse(tick.readWithinHorizon());
        assertTrue(table.points().stream().allMatch(p -> p.timeMs() + DAY_MS <= T0 + 4 * DAY_MS),
                "no point whose horizon runs past the last event");
        assertEquals(1, table.censored(), "b's access at the very end");
    }

    @Test
    void shouldTakeTheFeaturesTheTopologyWouldFromTheStateAtEachPoint() {
        LabelledTableBuilder builder = builder(DAY_MS, 6 * HOUR_MS, 1_000_000, DAY_MS);
        builder.size("a", 1_000_000, T0);
        builder.access("a", T0 + HOUR_MS, "GET", 100, "eu-west", "x1");
        builder.access("a", T0 + HOUR_MS + 1, "GET", 100, "eu-west", "x1"); // a redelivery: counted once
        builder.access("a", T0 + 2 * HOUR_MS, "PUT", 100, "us-east", "x2");
        builder.access("z", T0 + 3 * DAY_MS, "GET", 1, "eu-west", null);

        LabelledTable table = builder.build((done, total) -> { });

        Activity expected = new Activity();
        TieringPolicy policy = TieringPolicy.BUILT_IN;
        expected.record(T0 + HOUR_MS, "GET", 100, "eu-west", "x1", policy, 0);
        expected.record(T0 + 2 * HOUR_MS, "PUT", 100, "us-east", "x2", policy, T0 + HOUR_MS);
        Map<String, Double> byName = expected.features(T0 + 12 * HOUR_MS, 1_000_000, policy.halfLifeMs()).byName();
        assertEquals(List.copyOf(byName.keySet()), table.featureNames(), "every feature Features.byName() has");
        LabelledPoint tick = point(table, "a", T0 + 12 * HOUR_MS, LabelledPoint.Kind.PERIODIC);
        for (int i = 0; i < table.featureNames().size(); i++) {
            assertEquals(byName.get(table.featureNames().get(i)), tick.features()[i], 1e-12,
                    table.featureNames().get(i));
        }
        assertEquals(2, table.points().stream().filter(p -> p.key().equals("a")
                && p.kind() == LabelledPoint.Kind.ACCESS).count(), "the duplicate makes no point");
        assertTrue(table.points().stream().noneMatch(p -> p.key().equals("z") && p.timeMs() < T0 + 3 * DAY_MS),
                "z is not known before it appears");
    }

    @Test
    void shouldSampleDownToTheBoundTheSameWayEveryTime() {
        List<PlantedTrace.Request> requests = PlantedTrace.generate(20, 200, 10, 7);
        LabelledTableBuilder all = builder(DAY_MS, HOUR_MS, Long.MAX_VALUE, DAY_MS);
        PlantedTrace.feed(requests, T0, all);
        int unbounded = all.build((done, total) -> { }).points().size();

        LabelledTable first = bounded(requests, unbounded / 4);
        LabelledTable second = bounded(requests, unbounded / 4);

        assertEquals(unbounded / 4, first.points().size(), unbounded / 40.0, "about the bound");
        assertEquals(first.points().stream().map(p -> p.key() + "@" + p.timeMs()).toList(),
                second.points().stream().map(p -> p.key() + "@" + p.timeMs()).toList());
    }

    private static LabelledTable bounded(List<PlantedTrace.Request> requests, long bound) {
        LabelledTableBuilder builder = builder(DAY_MS, HOUR_MS, bound, DAY_MS);
        PlantedTrace.feed(requests, T0, builder);
        return builder.build((done, total) -> { });
    }

    @Test
    void shouldRefuseAnInputShorterThanTheHorizon() {
        LabelledTableBuilder builder = builder(30 * DAY_MS, DAY_MS, 1_000, DAY_MS);
        builder.access("a", T0, "GET", 1, "eu-west", null);
        builder.access("a", T0 + 2 * DAY_MS, "GET", 1, "eu-west", null);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.build((done, total) -> { }));
        assertTrue(e.getMessage().contains("less than the horizon"), e.getMessage());
    }
}
