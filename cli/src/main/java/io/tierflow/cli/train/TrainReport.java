package io.tierflow.cli.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code tierflow train} found, as {@code report.json} and a table on the terminal: the split, the counts, the
 * feature spec and each model's and heuristic's figures on the test split. A report already in the directory is kept
 * under {@code history/} first, so earlier runs stay comparable.
 *
 * @param breakEven the classes the break-even label prices, e.g. {@code aws: STANDARD -> GLACIER_IR}
 * @param published the version published and under which name, or null when nothing was
 */
record TrainReport(String source, String policy, Instant trainedAt, LabelledTable table, TrainingRun.Outcome outcome,
        long everyMs, double testFraction, long seed, boolean shuffledLabels, String breakEven, String published) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("source", source);
        root.put("policy", policy);
        root.put("trainedAt", trainedAt.toString());
        root.put("target", ModelRecords.TARGET);
        root.put("horizonSeconds", table.horizonMs() / 1000);
        root.put("everySeconds", everyMs / 1000);
        root.put("inputFrom", Instant.ofEpochMilli(table.startMs()).toString());
        root.put("inputTo", Instant.ofEpochMilli(table.endMs()).toString());
        root.put("splitTime", Instant.ofEpochMilli(outcome.split().splitMs()).toString());
        root.put("testFraction", testFraction);
        root.put("breakEven", breakEven);
        root.put("seed", seed);
        if (shuffledLabels) {
            root.put("shuffledLabels", true); // a sanity check: the figures must be about chance
        }
        ObjectNode counts = root.putObject("counts");
        counts.put("points", table.points().size());
        counts.put("accessPoints", table.points().stream().filter(p -> p.kind() == LabelledPoint.Kind.ACCESS)
                .count());
        counts.put("periodicPoints", table.points().stream().filter(p -> p.kind() == LabelledPoint.Kind.PERIODIC)
                .count());
        counts.put("accessesInTheLastHorizon", table.censored());
        counts.put("train", outcome.split().train().size());
        counts.put("trainPositive", positives(outcome.split().train()));
        counts.put("droppedCrossingTheSplit", outcome.split().crossing());
        counts.put("test", outcome.split().test().size());
        counts.put("testPositive", positives(outcome.split().test()));
        counts.put("testReadBeforeBreakEven", outcome.split().test().stream()
                .filter(p -> Boolean.TRUE.equals(p.beforeBreakEven())).count());
        counts.put("testBreakEvenKnown", outcome.split().test().stream()
                .filter(p -> p.beforeBreakEven() != null).count());
        ArrayNode features = root.putArray("features");
        table.featureNames().forEach(features::add);
        ArrayNode models = root.putArray("models");
        for (TrainingRun.Scored s : outcome.models()) {
            ObjectNode m = figures(models.addObject(), s);
            m.put("kind", outcome.model(s.name()).kind());
            if (s.name().equals(TrainingRun.TREES)) {
                m.put("trees", outcome.trees().model().trees().size());
                m.put("nodes", outcome.trees().model().size());
                m.put("maxDifferenceFromXgboost", outcome.trees().maxDifferenceFromBooster());
                XgboostTrainer.TreeChoice choice = outcome.trees().choice();
                m.put("depth", choice.settings().depth());
                m.put("rounds", choice.settings().rounds());
                m.put("settingsChosen", choice.how());
                ArrayNode tried = m.putArray("validation");
                choice.validationAuc().forEach((settings, auc) -> tried.addObject().put("depth", settings.depth())
                        .put("rounds", settings.rounds()).put("rocAuc", auc));
            }
        }
        ArrayNode heuristics = root.putArray("heuristics");
        outcome.heuristics().forEach(s -> figures(heuristics.addObject(), s));
        root.put("heuristicsBrier", "not given: the heuristics' scores are not probabilities and are not "
                + "calibrated here");
        root.put("chosen", outcome.best().name());
        if (published != null) {
            root.put("published", published);
        }
        return root;
    }

    private static ObjectNode figures(ObjectNode node, TrainingRun.Scored s) {
        node.put("name", s.name());
        node.put("score", s.score());
        node.put("threshold", s.threshold());
        node.put("rocAuc", s.rocAuc());
        node.put("prAuc", s.prAuc());
        node.put("f1", s.f1());
        node.put("precision", s.precision());
        if (s.brier() != null) {
            node.put("brier", s.brier());
        }
        return node;
    }

    private static long positives(List<LabelledPoint> points) {
        return points.stream().filter(LabelledPoint::readWithinHorizon).count();
    }

    /** The metrics a published model carries (the names the streams app compares live figures with). */
    Map<String, Double> modelMetrics(TrainingRun.Scored s) {
        List<LabelledPoint> test = outcome.split().test();
        return Map.of("auc", s.rocAuc(), "pr_auc", s.prAuc(), "f1", s.f1(), "precision", s.precision(),
                "brier", s.brier(), "positive_rate", positives(test) / (double) test.size(),
                "train_points", (double) outcome.split().train().size(), "test_points", (double) test.size());
    }

    /** Writes {@code report.json} into {@code dir}, first moving a report already there into {@code history/}. */
    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("report.json");
        if (Files.exists(file)) {
            String previous = JSON.readTree(file.toFile()).path("trainedAt").asText("unknown");
            Path history = Files.createDirectories(dir.resolve("history"));
            Files.move(file, history.resolve("report-" + previous.replace(':', '-') + ".json"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        JSON.writeValue(file.toFile(), toJson());
        return file;
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%,d points (%,d train, %,d test, %,d dropped: label window crosses the split at %s)%n",
                table.points().size(), outcome.split().train().size(), outcome.split().test().size(),
                outcome.split().crossing(), Instant.ofEpochMilli(outcome.split().splitMs()));
        out.printf(Locale.ROOT, "%-24s %8s %8s %8s %8s %10s%n", "on the test split", "ROC-AUC", "PR-AUC", "F1",
                "Brier", "threshold");
        for (TrainingRun.Scored s : outcome.models()) {
            out.printf(Locale.ROOT, "%-24s %8.4f %8.4f %8.4f %8.4f %10.4f%n", s.name(), s.rocAuc(), s.prAuc(), s.f1(),
                    s.brier(), s.threshold());
        }
        for (TrainingRun.Scored s : outcome.heuristics()) {
            out.printf(Locale.ROOT, "%-24s %8.4f %8.4f %8.4f %8s %10.4g%n", "heuristic " + s.name(), s.rocAuc(),
                    s.prAuc(), s.f1(), "-", s.threshold());
        }
        XgboostTrainer.TreeChoice choice = outcome.trees().choice();
        out.printf(Locale.ROOT, "trees: depth %d, %d rounds, %s%n", choice.settings().depth(),
                choice.settings().rounds(), choice.how());
        out.println("chosen: " + outcome.best().name() + " (best test ROC-AUC)");
    }
}
