package io.tierflow.cli.whatif;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The chart of a what-if: cumulative cost over the replayed days, one line per policy, as a PNG. */
final class CostChart {
    private static final double MS_PER_DAY = 86_400_000.0;
    /** More points than a 1200-pixel-wide chart can show are thinned to this many per line. */
    private static final int MAX_POINTS = 1_000;

    private CostChart() {
    }

    /** Writes the chart to {@code png} (the ".png" is the file's name, kept as given). */
    static void write(WhatIfReport report, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true"); // drawn off-screen: no display needed
        XYChart chart = new XYChartBuilder().width(1200).height(700)
                .title("Cumulative cost per policy (" + report.source() + ")")
                .xAxisTitle("days since " + report.from()).yAxisTitle("USD").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        long startMs = report.from().toEpochMilli();
        for (PolicyCosts row : report.rows()) {
            List<PolicyCosts.Sample> samples = row.cumulative();
            if (samples.isEmpty()) {
                continue; // a baseline: priced per object at the end, no curve over time
            }
            int step = Math.max(1, (samples.size() + MAX_POINTS - 1) / MAX_POINTS);
            int n = (samples.size() + step - 1) / step;
            double[] days = new double[n + 1];
            double[] usd = new double[n + 1];
            int i = 0;
            for (int s = 0; s < samples.size(); s += step) {
                days[i] = (samples.get(s).timeMs() - startMs) / MS_PER_DAY;
                usd[i++] = samples.get(s).totalUsd();
            }
            PolicyCosts.Sample last = samples.get(samples.size() - 1); // the end, always drawn
            days[i] = (last.timeMs() - startMs) / MS_PER_DAY;
            usd[i] = last.totalUsd();
            chart.addSeries(row.name(), days, usd).setMarker(SeriesMarkers.NONE);
        }
        String file = png.toString();
        BitmapEncoder.saveBitmap(chart, file.endsWith(".png") ? file.substring(0, file.length() - 4) : file,
                BitmapEncoder.BitmapFormat.PNG);
    }
}
