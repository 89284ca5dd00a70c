package io.tierflow.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tierflow train} on a generated trace file, read by import-trace's own csv reader. */
class TrainCommandTest {
    private static final long START_S = 1_767_225_600L; // 2026-01-01T00:00:00Z

    private record Run(int exit, String out, String err) {
    }

    private static Run train(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new TrainCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /**
     * 30 days, so the training part is long enough for the trees' validation split; 210 datasets (~15 000 points),
     * enough for the planted rule (ROC-AUC 1.0) and for chance on shuffled labels (0.5 +- 0.02), and few enough that
     * each run's eight xgboost fits take about a second: the command's tests train six times.
     */
    private static Path plantedTrace(Path dir) throws Exception {
        Path csv = dir.resolve("planted.csv");
        PlantedTrace.writeCsv(PlantedTrace.generate(10, 200, 30, 21), START_S, csv);
        return csv;
    }

    private static List<String> args(Path trace, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("--trace", trace.toString(), "--format", "csv", "--columns",
                "time=timestamp,key=key,size=size", "--horizon", "1d", "--every", "6h", "--out", out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void shouldRecoverThePlantedRuleFromATraceAndReportIt(@TempDir Path dir) throws Exception {
        Path trace = plantedTrace(dir);
        Path out = dir.resolve("report");

        Run run = train(args(trace, out, "--table", "--site", "aws").toArray(String[]::new));

        assertEquals(0, run.exit(), run.err() + run.out());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("aws: STANDARD -> GLACIER_IR", report.get("breakEven").asText());
        assertEquals(86_400, report.get("horizonSeconds").asLong());
        for (JsonNode model : report.get("models")) {
            assertTrue(model.get("rocAuc").asDouble() >= 0.95, "planted rule not recovered: " + model);
            assertTrue(model.has("brier"), model.toString());
        }
        assertEquals(List.of("recency", "count_24h", "heat", "reads_so_far"),
                report.get("heuristics").findValuesAsText("name"));
        assertTrue(report.get("heuristics").get(0).path("brier").isMissingNode(), "uncalibrated: no Brier score");
        JsonNode counts = report.get("counts");
        assertEquals(counts.get("points").asLong(), counts.get("train").asLong() + counts.get("test").asLong()
                + counts.get("droppedCrossingTheSplit").asLong());
        assertTrue(report.get("features").toString().contains("active_days"), "every feature of the topology");
        assertTrue(Files.size(out.resolve("curves.png")) > 10_000, "a chart was drawn");
        try (Stream<String> lines = Files.lines(out.resolve("table.csv"))) {
            assertEquals(counts.get("points").asLong() + 1, lines.count(), "a header and a line per point");
        }
        assertTrue(run.out().contains("chosen: "), run.out());
    }

    @Test
    void shouldScoreChanceWhenTheLabelsAreShuffled(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report");

        Run run = train(args(plantedTrace(dir), out, "--shuffle-labels").toArray(String[]::new));

        assertEquals(0, run.exit(), run.err() + run.out());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertTrue(report.get("shuffledLabels").asBoolean());
        for (JsonNode scored : List.of(report.get("models").get(0), report.get("models").get(1),
                report.get("heuristics").get(0), report.get("heuristics").get(2))) {
            double auc = scored.get("rocAuc").asDouble();
            assertTrue(auc > 0.4 && auc < 0.6, "better than chance on noise: " + scored);
        }
    }

    @Test
    void shouldKeepThePreviousReport(@TempDir Path dir) throws Exception {
        Path trace = plantedTrace(dir);
        Path out = dir.resolve("report");
        assertEquals(0, train(args(trace, out).toArray(String[]::new)).exit());
        String first = Files.readString(out.resolve("report.json"));

        assertEquals(0, train(args(trace, out, "--seed", "2").toArray(String[]::new)).exit());

        try (Stream<Path> kept = Files.list(out.resolve("history"))) {
            List<Path> files = kept.toList();
            assertEquals(1, files.size());
            assertEquals(first, Files.readString(files.get(0)));
        }
    }

    @Test
    void shouldSayWhyWhenTheTraceIsShorterThanTheHorizon(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report");
        List<String> args = args(plantedTrace(dir), out);
        args.set(args.indexOf("--horizon") + 1, "40d");

        Run run = train(args.toArray(String[]::new));

        assertEquals(1, run.exit());
        assertTrue(run.err().contains("less than the horizon"), run.err());
        assertTrue(!Files.exists(out.resolve("report.json")), "no report of a run that did not train");
    }

    @Test
    void shouldRefuseUsageErrors(@TempDir Path dir) throws Exception {
        Path trace = plantedTrace(dir);

        Run noFormat = train("--trace", trace.toString());
        Run both = train("--trace", trace.toString(), "--format", "csv", "--from-topics");
        Run shuffledPublish = train(args(trace, dir, "--shuffle-labels", "--publish", "candidate")
                .toArray(String[]::new));

        assertEquals(2, noFormat.exit());
        assertTrue(noFormat.err().contains("--trace needs --format"), noFormat.err());
        assertEquals(2, both.exit());
        assertEquals(2, shuffledPublish.exit());
        assertTrue(shuffledPublish.err().contains("not published"), shuffledPublish.err());
    }
}
