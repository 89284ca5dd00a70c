package io.tierflow.cli.train;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The labelled table {@code tierflow train} learns from: points in time order, each with the features named in
 * {@code featureNames}, over the input that ran from {@code startMs} to {@code endMs}.
 *
 * @param censored points not taken because their horizon ran past the end of the input (their label is unknown)
 */
public record LabelledTable(List<String> featureNames, List<LabelledPoint> points, long horizonMs, long startMs,
        long endMs, long censored) {

    public LabelledTable {
        featureNames = List.copyOf(featureNames);
        points = List.copyOf(points);
    }

    /**
     * The same table with its read-within-horizon labels permuted at random among the points: what a pipeline that
     * cannot see the future must score no better than chance on.
     */
    public LabelledTable withShuffledLabels(long seed) {
        List<Boolean> labels = new ArrayList<>(points.size());
        points.forEach(p -> labels.add(p.readWithinHorizon()));
        java.util.Collections.shuffle(labels, new Random(seed));
        List<LabelledPoint> shuffled = new ArrayList<>(points.size());
        for (int i = 0; i < points.size(); i++) {
            shuffled.add(points.get(i).withLabel(labels.get(i)));
        }
        return new LabelledTable(featureNames, shuffled, horizonMs, startMs, endMs, censored);
    }

    /** Writes the table as CSV: key, time, kind, the features, then the labels (empty where censored). */
    public void writeCsv(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write("key,time_ms,kind," + String.join(",", featureNames)
                    + ",read_within_horizon,reads_in_horizon,bytes_in_horizon,read_before_break_even\n");
            StringBuilder line = new StringBuilder();
            for (LabelledPoint p : points) {
                line.setLength(0);
                line.append(csvField(p.key())).append(',').append(p.timeMs()).append(',')
                        .append(p.kind().name().toLowerCase(Locale.ROOT));
                for (double v : p.features()) {
                    line.append(',').append(v);
                }
                line.append(',').append(p.readWithinHorizon() ? 1 : 0).append(',').append(p.readsInHorizon())
                        .append(',').append(p.bytesInHorizon()).append(',')
                        .append(p.beforeBreakEven() == null ? "" : p.beforeBreakEven() ? "1" : "0").append('\n');
                out.write(line.toString());
            }
        }
    }

    private static String csvField(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
