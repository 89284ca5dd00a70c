package io.tierflow.cli.train;

import static io.tierflow.cli.train.PlantedTrace.DAY_MS;
import static io.tierflow.cli.train.PlantedTrace.HOUR_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.TieringPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSplitTest {
    private static final long T0 = 1_767_225_600_000L;

    private static LabelledTable table(long horizonMs) {
        LabelledTableBuilder builder = new LabelledTableBuilder(new LabelledTableBuilder.Settings(
                TieringPolicy.BUILT_IN, horizonMs, 6 * HOUR_MS, 1_000_000, size -> DAY_MS));
        PlantedTrace.feed(PlantedTrace.generate(30, 300, 30, 3), T0, builder);
        return builder.build((done, total) -> { });
    }

    @Test
    void shouldNeverLetATrainingLabelWindowCrossIntoTheTestPeriod() {
        for (long horizonDays : List.of(1L, 3L, 7L)) {
            LabelledTable table = table(horizonDays * DAY_MS);

            TimeSplit split = TimeSplit.of(table, 0.3);

            long lastTrainWindowEnd = split.train().stream().mapToLong(p -> p.timeMs() + table.horizonMs()).max()
                    .orElseThrow();
            long firstTest = split.test().stream().mapToLong(LabelledPoint::timeMs).min().orElseThrow();
            assertTrue(lastTrainWindowEnd <= split.splitMs(), "a training label reads past the split");
            assertTrue(firstTest > split.splitMs(), "a test point before the split");
            assertTrue(split.crossing() > 0, "points within a horizon before the split are dropped, not kept");
            assertEquals(table.points().size(), split.train().size() + split.test().size() + split.crossing(),
                    "every point is trained on, tested on or dropped for crossing");
            assertEquals(0.3, split.test().size() / (double) table.points().size(), 0.02);
        }
    }

    @Test
    void shouldRefuseASideWithOneOutcome() {
        LabelledTableBuilder builder = new LabelledTableBuilder(new LabelledTableBuilder.Settings(
                TieringPolicy.BUILT_IN, DAY_MS, HOUR_MS, 1_000_000, size -> DAY_MS));
        for (int i = 0; i < 100; i++) {
            builder.access("once/" + i, T0 + i * HOUR_MS, "GET", 1, "eu-west", null);
        }

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeSplit.of(builder.build((done, total) -> { }), 0.3));
        assertTrue(e.getMessage().contains("needs both outcomes"), e.getMessage());
    }
}
