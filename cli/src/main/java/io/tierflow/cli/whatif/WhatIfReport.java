package io.tierflow.cli.whatif;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tierflow.streams.domain.cost.CostBreakdown;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer of a what-if, one row per policy: printed as a table, and written as {@code whatif.json} and
 * {@code whatif.csv}; the chart is {@link CostChart}'s. Costs in USD over the replayed period.
 *
 * @param source what was replayed
 * @param from event time of the first input
 * @param to the end of the replayed period (costs are charged up to it)
 * @param rows the policies replayed, then the baselines and the offline optimum priced on the same inputs
 * @param optimum the offline optimum's cost for the same inputs, or null when it is not computed: each row's
 *     cost ÷ optimum is then empty
 */
record WhatIfReport(String source, Instant from, Instant to, List<PolicyCosts> rows, Double optimum) {
    static final List<String> TIERS = List.of("HOT", "WARM", "COLD");
    private static final List<String> COLUMNS = List.of("policy", "total_usd", "storage_usd", "requests_usd",
            "retrieval_usd", "egress_usd", "migration_usd", "early_deletion_usd", "monitoring_usd", "gets_hot", "gets_warm", "gets_cold",
            "sla_misses", "unplaced_reads", "moves", "bytes_moved", "failed_steps", "cost_vs_optimum");

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "what-if over %s, %s .. %s%n", source, from, to);
        out.printf(Locale.ROOT, "%-28s %11s %10s %9s %9s %9s %9s %9s %9s %8s %8s %8s %8s %6s %13s %9s%n",
                "policy", "total $", "storage", "requests", "retrieval", "egress", "migration", "early del",
                "monitor", "GET hot", "GET warm", "GET cold", "SLA miss", "moves", "bytes moved", "÷ optimum");
        for (PolicyCosts row : rows) {
            CostBreakdown c = row.cost();
            boolean replayed = !row.cumulative().isEmpty();
            out.printf(Locale.ROOT, "%-28s %11.4f %10.4f %9.4f %9.4f %9.4f %9.4f %9.4f %9.4f %8s %8s %8s %8s %6s %13s %9s%n",
                    truncate(row.name(), 28), row.total(), c.storageUsd(), c.requestUsd(), c.retrievalUsd(),
                    c.egressUsd(), c.migrationUsd(), c.earlyDeletionUsd(), c.monitoringUsd(),
                    replayed ? gets(row, "HOT") : "-", replayed ? gets(row, "WARM") : "-",
                    replayed ? gets(row, "COLD") : "-", replayed ? row.slaMisses() : "-",
                    replayed ? row.moves() : "-", replayed ? row.bytesMoved() : "-", ratio(row));
        }
        if (optimum == null) {
            out.println("cost ÷ optimum: not computed (no site meets the SLA with a hot class, so no baseline site)");
        }
        out.flush();
    }

    /** Writes whatif.json and whatif.csv into {@code dir}; returns their paths. */
    List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve("whatif.json");
        Path csv = dir.resolve("whatif.csv");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("source", source);
        document.put("from", String.valueOf(from));
        document.put("to", String.valueOf(to));
        document.put("currency", "USD");
        document.put("optimumUsd", optimum);
        List<Map<String, Object>> policies = new ArrayList<>();
        for (PolicyCosts row : rows) {
            Map<String, Object> values = new LinkedHashMap<>();
            List<Object> cells = cells(row);
            for (int i = 0; i < COLUMNS.size(); i++) {
                values.put(COLUMNS.get(i), cells.get(i));
            }
            policies.add(values);
        }
        document.put("policies", policies);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), document);

        StringBuilder text = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (PolicyCosts row : rows) {
            List<String> cells = new ArrayList<>();
            for (Object cell : cells(row)) {
                cells.add(cell == null ? "" : cell instanceof String s ? quote(s) : String.valueOf(cell));
            }
            text.append(String.join(",", cells)).append('\n');
        }
        Files.writeString(csv, text);
        return List.of(json, csv);
    }

    private List<Object> cells(PolicyCosts row) {
        CostBreakdown c = row.cost();
        boolean replayed = !row.cumulative().isEmpty(); // a baseline row has no reads, moves or samples of its own
        List<Object> cells = new ArrayList<>(List.of(row.name(), row.total(), c.storageUsd(), c.requestUsd(),
                c.retrievalUsd(), c.egressUsd(), c.migrationUsd(), c.earlyDeletionUsd(), c.monitoringUsd()));
        for (String tier : TIERS) {
            cells.add(replayed ? gets(row, tier) : null);
        }
        cells.add(replayed ? row.slaMisses() : null);
        cells.add(replayed ? row.unplacedReads() : null);
        cells.add(replayed ? row.moves() : null);
        cells.add(replayed ? row.bytesMoved() : null);
        cells.add(replayed ? row.failedSteps() : null);
        cells.add(optimum == null || optimum <= 0 ? null : row.total() / optimum);
        return cells;
    }

    private String ratio(PolicyCosts row) {
        return optimum == null || optimum <= 0 ? "-" : String.format(Locale.ROOT, "%.3f", row.total() / optimum);
    }

    private static long gets(PolicyCosts row, String tier) {
        return row.getsByTier().getOrDefault(tier, 0L);
    }

    private static String truncate(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
