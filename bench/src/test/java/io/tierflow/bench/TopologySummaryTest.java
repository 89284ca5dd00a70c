package io.tierflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopologySummaryTest {
    @Test
    void shouldReportMediansAndTheRatioOfTheMediansInOneLine() {
        TopologySummary summary = new TopologySummary(List.of(300_000.0, 360_000.0, 320_000.0),
                List.of(200_000.0, 190_000.0, 210_000.0), List.of(120.04, 119.0, 121.0), List.of(900.4, 910.0, 905.0),
                List.of(3.1, 2.9, 3.0), List.of(12.0, 11.0, 10.0));

        assertEquals("topology: passthrough_eps=320000 tiering_eps=200000 ratio=0.625 changelog_bytes_per_event=120.0 "
                + "state_bytes_per_dataset=905 passthrough_cpu_us_per_event=3.00 tiering_cpu_us_per_event=11.00 "
                + "cpu_ratio=0.273", summary.line());
    }

    @Test
    void shouldTakeTheMeanOfTheTwoMiddleValuesForAnEvenCount() {
        assertEquals(2.5, TopologySummary.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(7.0, TopologySummary.median(List.of(7.0)));
        assertThrows(IllegalArgumentException.class, () -> TopologySummary.median(List.of()));
    }
}
