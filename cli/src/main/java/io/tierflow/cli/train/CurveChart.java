package io.tierflow.cli.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The ROC and precision-recall curves of every model and heuristic on the test split, side by side, as one PNG. */
final class CurveChart {
    /** Curves of more points than a 700-pixel chart can show are thinned to about this many. */
    private static final int MAX_POINTS = 1_000;

    private CurveChart() {
    }

    static void write(TrainingRun.Outcome outcome, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true"); // drawn off-screen: no display needed
        XYChart roc = new XYChartBuilder().width(700).height(600).title("ROC, test split")
                .xAxisTitle("false positive rate").yAxisTitle("true positive rate").build();
        XYChart pr = new XYChartBuilder().width(700).height(600).title("Precision-recall, test split")
                .xAxisTitle("recall").yAxisTitle("precision").build();
        roc.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        pr.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        List<TrainingRun.Scored> all = new ArrayList<>(outcome.models());
        all.addAll(outcome.heuristics());
        for (TrainingRun.Scored s : all) {
            String label = String.format(java.util.Locale.ROOT, "%s (%.3f)", s.name(), s.rocAuc());
            add(roc, label, BinaryMetrics.rocCurve(s.testScores(), outcome.testLabels()));
            add(pr, String.format(java.util.Locale.ROOT, "%s (%.3f)", s.name(), s.prAuc()),
                    BinaryMetrics.prCurve(s.testScores(), outcome.testLabels()));
        }
        String file = png.toString();
        BitmapEncoder.saveBitmap(List.of(roc, pr), 1, 2,
                file.endsWith(".png") ? file.substring(0, file.length() - 4) : file, BitmapEncoder.BitmapFormat.PNG);
    }

    private static void add(XYChart chart, String name, BinaryMetrics.CurvePoint[] curve) {
        int step = Math.max(1, curve.length / MAX_POINTS);
        int n = (curve.length + step - 1) / step;
        double[] x = new double[n + 1];
        double[] y = new double[n + 1];
        int i = 0;
        for (int c = 0; c < curve.length; c += step) {
            x[i] = curve[c].x();
            y[i++] = curve[c].y();
        }
        x[i] = curve[curve.length - 1].x(); // the end, always drawn
        y[i] = curve[curve.length - 1].y();
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }
}
