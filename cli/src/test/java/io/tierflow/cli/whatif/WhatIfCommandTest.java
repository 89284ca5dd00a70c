package io.tierflow.cli.whatif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command end to end on a generated trace, without Kafka: the table, the files, the chart, the errors. */
class WhatIfCommandTest {
    private static final String EAGER = """
            {"heatHalfLifeSeconds": 3600, "hotThreshold": 20, "warmThreshold": 2, "hysteresis": 0.25,
             "replicationHot": 1, "replicationWarm": 1, "replicationCold": 1, "defaultLatencySlaMs": 50,
             "migrationBudgetBytesPerHour": 1000000000000, "cooldownSeconds": 60, "retireGraceSeconds": 600}
            """;
    private static final String LAZY = """
            {"name": "lazy", "heatHalfLifeSeconds": 3600, "hotThreshold": 20000, "warmThreshold": 10000,
             "hysteresis": 0.25, "replicationHot": 1, "replicationWarm": 1, "replicationCold": 1,
             "defaultLatencySlaMs": 50, "migrationBudgetBytesPerHour": 1000000000000, "cooldownSeconds": 60,
             "retireGraceSeconds": 600}
            """;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine root = new CommandLine(new WhatIfCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        int exit = root.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** An IBM object-store trace: 20 objects of 500 MB over two days, one of them read in bursts. */
    private long writeTrace(Path trace) throws Exception {
        Random random = new Random(3);
        List<String> lines = new ArrayList<>();
        long gets = 0;
        for (int i = 0; i < 20; i++) {
            lines.add((i * 1000) + " REST.PUT.OBJECT obj" + i + " 500000000");
        }
        for (long minute = 1; minute < 2 * 24 * 60; minute++) {
            long ms = minute * 60_000;
            if (minute % 720 < 60) { // an hour of busy reads every twelve hours
                for (int read = 0; read < 3; read++) {
                    lines.add((ms + read) + " REST.GET.OBJECT obj0 500000000");
                    gets++;
                }
            }
            if (minute % 240 == 0) {
                lines.add((ms + 1) + " REST.GET.OBJECT obj" + (1 + random.nextInt(19)) + " 500000000");
                gets++;
            }
        }
        lines.add("garbage");
        Files.write(trace, lines);
        return gets;
    }

    @Test
    void shouldReportEachPolicyAsATableJsonCsvAndAChart() throws Exception {
        Path trace = dir.resolve("bucket.trace");
        long gets = writeTrace(trace);
        Files.writeString(dir.resolve("eager.json"), EAGER);
        Files.writeString(dir.resolve("lazy-file.json"), LAZY);
        Path out = dir.resolve("report");

        Run run = run("--trace", trace.toString(), "--format", "object-store", "--start", "2026-03-02T00:00:00Z",
                "--policy", dir.resolve("eager.json").toString(), "--policy", dir.resolve("lazy-file.json").toString(),
                "--out", out.toString());

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("eager") && run.out().contains("lazy"), run.out());
        List<String> csv = Files.readAllLines(out.resolve("whatif.csv"));
        assertEquals(7, csv.size(), "a header, a row per policy, the three baselines and the optimum: " + csv);
        assertTrue(csv.get(6).startsWith("offline-optimum"), csv.get(6));
        assertTrue(csv.get(1).startsWith("eager,") && csv.get(2).startsWith("lazy,"), csv.toString());

        JsonNode report = new ObjectMapper().readTree(out.resolve("whatif.json").toFile());
        JsonNode eager = report.get("policies").get(0);
        JsonNode lazy = report.get("policies").get(1);
        for (JsonNode baseline : List.of(2, 3, 4, 5).stream().map(i -> report.get("policies").get(i)).toList()) {
            assertTrue(baseline.get("gets_hot").isNull(), "a baseline says nothing of reads per tier");
            assertTrue(baseline.get("cost_vs_optimum").asDouble() >= 1 - 1e-9, baseline.toString());
        }
        assertEquals(1.0, report.get("policies").get(5).get("cost_vs_optimum").asDouble(), 1e-12);
        for (JsonNode row : List.of(eager, lazy)) {
            double parts = 0;
            for (String part : List.of("storage_usd", "requests_usd", "retrieval_usd", "egress_usd", "migration_usd",
                    "early_deletion_usd", "monitoring_usd")) {
                parts += row.get(part).asDouble();
            }
            assertEquals(row.get("total_usd").asDouble(), parts, 1e-9, "the total is the sum of its parts");
            assertEquals(gets, row.get("gets_hot").asLong() + row.get("gets_warm").asLong()
                    + row.get("gets_cold").asLong(), "every GET of the trace served once");
            assertTrue(row.get("storage_usd").asDouble() > 0);
            assertTrue(row.get("cost_vs_optimum").asDouble() >= 1 - 1e-9, "no policy beats the optimum: " + row);
        }
        assertTrue(eager.get("moves").asLong() > 0, "the eager policy moves the idle objects down");
        assertTrue(lazy.get("moves").asLong() > 0, "thresholds nothing reaches: everything is cold, and moves");
        assertTrue(lazy.get("gets_cold").asLong() > 0, "reads served from the cold copies");
        assertNotEquals(eager.get("total_usd").asDouble(), lazy.get("total_usd").asDouble());

        byte[] png = Files.readAllBytes(out.resolve("whatif.png"));
        assertTrue(png.length > 1_000, "a chart, not an empty file");
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
    }

    @Test
    void shouldRefuseAMissingPolicyOrFormatAsUsageErrors() throws Exception {
        Path trace = dir.resolve("t.trace");
        writeTrace(trace);
        Files.writeString(dir.resolve("eager.json"), EAGER);

        assertEquals(2, run("--trace", trace.toString(), "--format", "object-store").exit(), "no policy");
        assertEquals(2, run("--trace", trace.toString(), "--policy", dir.resolve("eager.json").toString()).exit(),
                "no format");
        assertEquals(2, run("--policy", dir.resolve("eager.json").toString()).exit(), "no input");
        assertEquals(2, run("--trace", trace.toString(), "--format", "object-store", "--from-topics",
                "--policy", dir.resolve("eager.json").toString()).exit(), "two inputs");
    }

    @Test
    void shouldNameTheFileAndTheFieldOfABadPolicy() throws Exception {
        Path trace = dir.resolve("t.trace");
        writeTrace(trace);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, EAGER.replace("\"hotThreshold\": 20", "\"hotThreshold\": \"hot\""));
        Path out = dir.resolve("never");

        Run run = run("--trace", trace.toString(), "--format", "object-store", "--policy", bad.toString(),
                "--out", out.toString());

        assertEquals(1, run.exit());
        assertTrue(run.err().contains("bad.json") && run.err().contains("hotThreshold"), run.err());
        assertTrue(Files.notExists(out), "nothing written for a run that did not happen");
    }

    @Test
    void shouldPlaceAndPriceOnlyOnTheSitesNamed() throws Exception {
        Path trace = dir.resolve("t.trace");
        writeTrace(trace);
        Files.writeString(dir.resolve("eager.json"), EAGER);
        Path out = dir.resolve("aws-only");

        Run run = run("--trace", trace.toString(), "--format", "object-store", "--sites", "aws",
                "--policy", dir.resolve("eager.json").toString(), "--out", out.toString());

        assertEquals(0, run.exit(), run.err());
        List<String> csv = Files.readAllLines(out.resolve("whatif.csv"));
        for (String row : csv.subList(2, csv.size())) {
            assertTrue(row.contains("@aws"), "the baselines are priced at the one site left: " + row);
        }

        Run unknown = run("--trace", trace.toString(), "--format", "object-store", "--sites", "aws,mars",
                "--policy", dir.resolve("eager.json").toString(), "--out", dir.resolve("never").toString());
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("mars") && unknown.err().contains("--sites"), unknown.err());
    }
}
