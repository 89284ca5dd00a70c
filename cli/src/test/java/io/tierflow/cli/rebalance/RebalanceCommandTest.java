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
    }

    @AfterEach
    void stopApi() {
        server.stop(0);
    }

    private String api() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String site(String name, long capacityBytes) {
        return "{\"name\": \"" + name + "\", \"provider\": \"AWS\", \"capacityBytes\": " + capacityBytes
                + ", \"up\": true}";
    }

    private static String summary(String key, long size, String primary) {
        return "{\"key\": \"" + key + "\", \"tier\": \"HOT\", \"sizeBytes\": " + size + ", \"primarySite\": \""
                + primary + "\"}";
    }

    private static String explain(String key, double costA, boolean feasibleA, double costB) {
        return "{\"key\": \"" + key + "\", \"decision\": {\"key\": \"" + key + "\", \"explanation\": {\"siteScores\": ["
                + "{\"site\": \"a\", \"storageUsdPerMonth\": " + costA + ", \"egressUsdPerMonth\": 0.0, "
                + "\"moveUsd\": 0.0, \"feasible\": " + feasibleA + ", \"rejectedBecause\": null},"
                + "{\"site\": \"b\", \"storageUsdPerMonth\": " + (costB - 0.5) + ", \"egressUsdPerMonth\": 0.25, "
                + "\"moveUsd\": 0.25, \"feasible\": true, \"rejectedBecause\": null}]}}}";
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

    private static CommandLine command(StringWriter out) {
        return new CommandLine(new RebalanceCommand()).setOut(new PrintWriter(out));
    }
}
