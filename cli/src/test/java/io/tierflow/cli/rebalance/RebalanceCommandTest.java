package io.tierflow.cli.rebalance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command over a small HTTP server answering as the query API does (its JSON shapes, its paging by cursor), so
 * that reading, solving and reporting are tested together without a cluster.
 */
class RebalanceCommandTest {
    private HttpServer server;
    private final List<String> requested = new ArrayList<>();
    private final Map<String, String> answers = new java.util.HashMap<>();

    @BeforeEach
    void startApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI()
                    .getRawQuery());
            requested.add(path);
            String body = answers.get(path);
            byte[] bytes = (body == null ? "{\"error\": \"no such thing\"}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        answers.put("/policies", policies(30.0, 0.0));
    }

    @AfterEach
    void stopApi() {
        server.stop(0);
    }

    private String api() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A site whose cold class costs nothing but its storage (priced by the site scores): moves are free. */
    private static String site(String name, long capacityBytes) {
        return site(name, capacityBytes, "eu-west", 0.0, coldClass(0.004, 0.0, 0.0, 0.0, 0));
    }

    private static String site(String name, long capacityBytes, String region, double egressPerGb, String coldClass) {
        return "{\"name\": \"" + name + "\", \"provider\": \"AWS\", \"region\": \"" + region + "\", "
                + "\"egressPricePerGb\": " + egressPerGb + ", \"capacityBytes\": " + capacityBytes + ", \"up\": true, "
                + "\"storageClasses\": [" + coldClass + "]}";
    }

    private static String coldClass(double storagePerGbMonth, double retrievalPerGb, double getPer1000,
            double putPer1000, int minimumDays) {
        return "{\"name\": \"COLD\", \"tier\": \"COLD\", \"storagePricePerGbMonth\": " + storagePerGbMonth
                + ", \"retrievalPricePerGb\": " + retrievalPerGb + ", \"requestPricePer1000\": " + getPer1000
                + ", \"putPricePer1000\": " + putPer1000 + ", \"minimumStorageDays\": " + minimumDays
                + ", \"minimumBillableBytes\": 0, \"monitoringPricePerObjectMonth\": 0.0}";
    }

    private static String policies(double horizonDays, double hysteresis) {
        return "{\"items\": [{\"name\": \"default\", \"horizonDays\": " + horizonDays + ", \"hysteresis\": "
                + hysteresis + "}]}";
    }

    private static String summary(String key, long size, String primary) {
        return "{\"key\": \"" + key + "\", \"tier\": \"COLD\", \"sizeBytes\": " + size + ", \"primarySite\": \""
                + primary + "\"}";
    }

    /**
     * A cold dataset's decision, costing {@code costA} a month on a and {@code costB} on b. The decision's own
     * moveUsd (the transfer spread over its horizon) is not counted: the pass prices the whole move itself.
     */
    private static String explain(String key, double costA, boolean feasibleA, double costB) {
        return "{\"key\": \"" + key + "\", \"actual\": {\"primarySite\": \"b\", \"replicaSites\": [], "
                + "\"storageClass\": \"COLD\"}, \"decision\": {\"key\": \"" + key + "\", \"tier\": \"COLD\", "
                + "\"explanation\": {\"policyName\": \"default\", \"siteScores\": ["
                + "{\"site\": \"a\", \"storageUsdPerMonth\": " + costA + ", \"egressUsdPerMonth\": 0.0, "
                + "\"moveUsd\": 0.0, \"feasible\": " + feasibleA + ", \"rejectedBecause\": null},"
                + "{\"site\": \"b\", \"storageUsdPerMonth\": " + (costB - 0.5) + ", \"egressUsdPerMonth\": 0.5, "
                + "\"moveUsd\": 0.25, \"feasible\": true, \"rejectedBecause\": null}]}}, \"lastMoveAt\": null}";
    }

    @Test
    void shouldReadEveryPageSolveAndReportTheMovesWithinCapacity() {
        // a holds 3 GB usable (10 % headroom on 3.34 GB); all three datasets are cheaper there.
        answers.put("/sites", "{\"items\": [" + site("a", 3_340_000_000L) + ", " + site("b", 100_000_000_000L) + "]}");
        answers.put("/datasets?limit=1000", "{\"items\": [" + summary("logs/x", 1_000_000_000L, "b") + ", "
                + summary("logs/y", 2_000_000_000L, "b") + "], \"nextCursor\": \"logs/y\"}");
        answers.put("/datasets?limit=1000&cursor=logs%2Fy", "{\"items\": [" + summary("z", 2_000_000_000L, "b")
                + "], \"nextCursor\": null}");
        answers.put("/datasets/logs/x/explain", explain("logs/x", 1.0, true, 1.5));
        answers.put("/datasets/logs/y/explain", explain("logs/y", 2.0, true, 6.0));
        answers.put("/datasets/z/explain", explain("z", 2.0, true, 2.2));
        StringWriter out = new StringWriter();

        int exit = command(out).execute("--api", api(), "--dry-run", "--headroom", "0.1");

        String report = out.toString();
        assertEquals(0, exit, report);
        assertTrue(report.contains("logs/y: b -> a, 2.000 GB, saves $4.0000/month"), report);
        assertTrue(report.contains("logs/x: b -> a, 1.000 GB, saves $0.5000/month"), report);
        assertTrue(!report.contains("z: b -> a"), "z loses least by staying on b: " + report);
        String last = report.strip().lines().reduce((first, second) -> second).orElseThrow();
        assertTrue(last.startsWith("rebalance: datasets=3 objective_usd=5.2000 "), last);
        assertTrue(last.contains(" current_usd=9.7000 moves=2 "), last);
        assertTrue(requested.contains("/datasets?limit=1000&cursor=logs%2Fy"), "the second page was read");
    }

    @Test
    void shouldLeaveOutDatasetsNotEvaluatedYetAndSayHowMany() {
        answers.put("/sites", "{\"items\": [" + site("a", 10_000_000_000L) + ", " + site("b", 10_000_000_000L) + "]}");
        answers.put("/datasets?limit=1000", "{\"items\": [" + summary("new", 1_000_000_000L, "b") + ", "
                + summary("old", 1_000_000_000L, "b") + "], \"nextCursor\": null}");
        answers.put("/datasets/new/explain", "{\"key\": \"new\", \"decision\": null, \"reason\": \"not evaluated yet\"}");
        answers.put("/datasets/old/explain", explain("old", 1.0, false, 2.0));
        StringWriter out = new StringWriter();

        int exit = command(out).execute("--api", api(), "--dry-run");

        assertEquals(0, exit, out.toString());
        assertTrue(out.toString().contains("estate: 1 datasets on 2 sites (1 not evaluated yet, 0 with no site"),
                out.toString());
        assertTrue(out.toString().contains("moves: 0,"), "old may not go to a, so it stays: " + out);
    }

    @Test
    void shouldRefuseToRunWithoutDryRunOrApplyAndSayWhy() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new RebalanceCommand()).setErr(new PrintWriter(err));

        int exit = command.execute("--api", api());

        assertEquals(2, exit);
        assertTrue(err.toString().contains("--dry-run") && err.toString().contains("--apply"), err.toString());
        assertTrue(requested.isEmpty(), "nothing was read");
    }

    @Test
    void shouldRefuseAPeriodicDryRun() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new RebalanceCommand()).setErr(new PrintWriter(err));

        int exit = command.execute("--api", api(), "--dry-run", "--every", "1h");

        assertEquals(2, exit);
        assertTrue(err.toString().contains("--every runs the applied pass: use it with --apply"), err.toString());
        assertTrue(requested.isEmpty(), "nothing was read");
    }

    @Test
    void shouldOfferTheSiteATaskRefusedForWantOfRoomInItsShare() {
        // The task's share of a was full when x was looked at; over the whole estate a has room for it.
        answers.put("/sites", "{\"items\": [" + site("a", 10_000_000_000L) + ", " + site("b", 10_000_000_000L) + "]}");
        answers.put("/datasets?limit=1000", "{\"items\": [" + summary("x", 1_000_000_000L, "b")
                + "], \"nextCursor\": null}");
        answers.put("/datasets/x/explain", explain("x", 1.0, false, 2.0).replace("\"rejectedBecause\": null},",
                "\"rejectedBecause\": \"capacity\"},"));
        StringWriter out = new StringWriter();

        int exit = command(out).execute("--api", api(), "--dry-run");

        assertEquals(0, exit, out.toString());
        assertTrue(out.toString().contains("x: b -> a, 1.000 GB"), out.toString());
    }

    @Test
    void shouldReportAnApiErrorWithoutAStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new RebalanceCommand()).setErr(new PrintWriter(err));

        int exit = command.execute("--api", api(), "--dry-run");

        assertEquals(1, exit);
        assertTrue(err.toString().startsWith("rebalance: could not read the estate from " + api()
                + ": GET " + api() + "/sites answered 404"), err.toString());
    }

    @Test
    void shouldLeaveATinyDatasetWhoseMoveDoesNotPayWhereItIsAndMoveABigOne() {
        // On premises (a) cold storage costs $0.01 a GB-month and reading costs nothing; on b $0.004, and a PUT there
        // $0.02 per 1000. Same region: no egress. A month's horizon, a hysteresis of a quarter.
        answers.put("/sites", "{\"items\": [" + site("a", Long.MAX_VALUE, "eu-west", 0.0, coldClass(0.01, 0.0, 0.0,
                0.0, 0)) + ", " + site("b", Long.MAX_VALUE, "eu-west", 0.0, coldClass(0.004, 0.0, 0.0, 0.02, 0)) + "]}");
        answers.put("/policies", policies(30.0, 0.25));
        answers.put("/datasets?limit=1000", "{\"items\": [" + summary("tiny", 1_000L, "a") + ", "
                + summary("big", 100_000_000_000L, "a") + "], \"nextCursor\": null}");
        answers.put("/datasets/tiny/explain", explainOn("tiny", "a", 1e-8, 4e-9, "null"));
        answers.put("/datasets/big/explain", explainOn("big", "a", 1.0, 0.4, "null"));
        StringWriter out = new StringWriter();

        int exit = command(out).execute("--api", api(), "--dry-run");

        // tiny saves $6e-9 a month for a $0.00002 PUT: it stays. big saves $0.60 a month, more than the PUT and a
        // quarter of the $1.00 staying costs: it moves.
        String report = out.toString();
        assertEquals(0, exit, report);
        assertTrue(report.contains("big: a -> b, 100.000 GB, saves $0.6000/month, costs $0.000020 once"), report);
        assertTrue(!report.contains("tiny: a -> b"), report);
        assertTrue(report.contains("not worth moving: 1 datasets would save $0.000000/month elsewhere, but their "
                + "moves ($0.000020 once) do not pay"), report);
        String last = report.strip().lines().reduce((first, second) -> second).orElseThrow();
        // Objective: tiny stays ($1e-8); big on b: $0.40 + the PUT over one month + a quarter of $1.00.
        assertTrue(last.startsWith("rebalance: datasets=2 objective_usd=0.6500 "), last);
        assertTrue(last.contains(" moves=1 monthly_usd=0.4000 moves_once_usd=0.000020 not_worth_moving=1 "
                + "pins_refused=0 "), last);
    }

    @Test
    void shouldChargeTheEarlyDeletionOfTheCopyAMoveLeaves() {
        // big entered a's class ten days ago; a charges its storage for 90 days at least: 80 days of $1.00 a month
        // are owed if it leaves now, more than a month's horizon saves.
        answers.put("/sites", "{\"items\": [" + site("a", Long.MAX_VALUE, "eu-west", 0.0, coldClass(0.01, 0.0, 0.0,
                0.0, 90)) + ", " + site("b", Long.MAX_VALUE, "eu-west", 0.0, coldClass(0.004, 0.0, 0.0, 0.0, 0)) + "]}");
        answers.put("/datasets?limit=1000", "{\"items\": [" + summary("big", 100_000_000_000L, "a")
                + "], \"nextCursor\": null}");
        String movedAt = java.time.Instant.now().minus(java.time.Duration.ofDays(10)).toString();
        answers.put("/datasets/big/explain", explainOn("big", "a", 1.0, 0.4, "null")
                .replace("\"lastMoveAt\": null", "\"lastMoveAt\": \"" + movedAt + "\""));
        StringWriter out = new StringWriter();

        int exit = command(out).execute("--api", api(), "--dry-run");

        String report = out.toString();
        assertEquals(0, exit, report);
        assertTrue(!report.contains("big: a -> b"), report);
        assertTrue(report.contains("not worth moving: 1 datasets would save $0.600000/month elsewhere, but their "
                + "moves ($2.6"), "80 days of $1.00 a month: " + report);
    }

    @Test
    void shouldReportThePinsTheTopologyRefusedByReason() {
        answers.put("/sites", "{\"items\": [" + site("a", 10_000_000_000L) + ", " + site("b", 10_000_000_000L) + "]}");
        answers.put("/datasets?limit=1000", "{\"items\": [" + summary("p", 1_000_000_000L, "b") + ", "
                + summary("q", 1_000_000_000L, "b") + ", " + summary("r", 1_000_000_000L, "b") + ", "
                + summary("s", 1_000_000_000L, "b") + "], \"nextCursor\": null}");
        answers.put("/datasets/p/explain", explainOn("p", "b", 1.0, 2.0, refusedPin("a", "capacity")));
        answers.put("/datasets/q/explain", explainOn("q", "b", 1.0, 2.0, refusedPin("a", "capacity")));
        answers.put("/datasets/r/explain", explainOn("r", "b", 1.0, 2.0, refusedPin("a", "site_down")));
        answers.put("/datasets/s/explain", explainOn("s", "b", 1.0, 2.0, "{\"pass\": \"pass-1\", \"site\": "
                + "\"b\", \"expiresAtMs\": 1, \"ownPrimary\": \"a\", \"refusedBecause\": null}"));
        StringWriter out = new StringWriter();

        int exit = command(out).execute("--api", api(), "--dry-run");

        String report = out.toString();
        assertEquals(0, exit, report);
        assertTrue(report.contains("pins refused by the topology: 3 (capacity: 2, site_down: 1)"), report);
        assertTrue(report.contains("  p: pinned to a by pass-1, refused: capacity"), report);
        assertTrue(report.contains("  r: pinned to a by pass-1, refused: site_down"), report);
        assertTrue(!report.contains("  s: pinned"), "s's pin decided: " + report);
        String last = report.strip().lines().reduce((first, second) -> second).orElseThrow();
        assertTrue(last.contains(" pins_refused=3 "), last);
    }

    private static String refusedPin(String site, String reason) {
        return "{\"pass\": \"pass-1\", \"site\": \"" + site + "\", \"expiresAtMs\": 1, \"ownPrimary\": \"b\", "
                + "\"refusedBecause\": \"" + reason + "\"}";
    }

    /** A cold dataset on {@code primary}, costing {@code costA} a month on a and {@code costB} on b. */
    private static String explainOn(String key, String primary, double costA, double costB, String globalPass) {
        return "{\"key\": \"" + key + "\", \"actual\": {\"primarySite\": \"" + primary + "\", \"replicaSites\": [], "
                + "\"storageClass\": \"COLD\"}, \"decision\": {\"key\": \"" + key + "\", \"tier\": \"COLD\", "
                + "\"primarySite\": \"" + primary + "\", \"explanation\": {\"policyName\": \"default\", "
                + "\"globalPass\": " + globalPass + ", \"siteScores\": ["
                + "{\"site\": \"a\", \"storageUsdPerMonth\": " + costA + ", \"egressUsdPerMonth\": 0.0, "
                + "\"moveUsd\": 0.0, \"feasible\": true, \"rejectedBecause\": null},"
                + "{\"site\": \"b\", \"storageUsdPerMonth\": " + costB + ", \"egressUsdPerMonth\": 0.0, "
                + "\"moveUsd\": 0.0, \"feasible\": true, \"rejectedBecause\": null}]}}, \"lastMoveAt\": null}";
    }

    private static CommandLine command(StringWriter out) {
        return new CommandLine(new RebalanceCommand()).setOut(new PrintWriter(out));
    }
}
