package io.tierflow.cli.rebalance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A turn of the periodic pass: only in the elected instance, and a failed pass does not stop the loop. */
class RebalanceLoopTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean apiUp;

    @BeforeEach
    void startApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            String body = !apiUp ? "{\"error\": \"rebalancing\"}"
                    : path.equals("/sites") ? "{\"items\": [{\"name\": \"a\", \"capacityBytes\": 10000000000, "
                            + "\"storageClasses\": [{\"name\": \"COLD\", \"tier\": \"COLD\", "
                            + "\"storagePricePerGbMonth\": 0.004}]}]}"
                    : path.equals("/policies") ? "{\"items\": [{\"name\": \"default\", \"horizonDays\": 30.0, "
                            + "\"hysteresis\": 0.25}]}"
                    : path.equals("/datasets") ? "{\"items\": [{\"key\": \"x\", \"sizeBytes\": 1000000000, "
                            + "\"primarySite\": \"a\"}], \"nextCursor\": null}"
                    : "{\"key\": \"x\", \"decision\": {\"tier\": \"COLD\", \"primarySite\": \"a\", \"explanation\": {\"siteScores\": "
                            + "[{\"site\": \"a\", \"storageUsdPerMonth\": 1.0, \"egressUsdPerMonth\": 0.0, "
                            + "\"moveUsd\": 0.0, \"feasible\": true}]}}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(apiUp ? 200 : 503, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopApi() {
        server.stop(0);
    }

    @Test
    void shouldRunThePassOnlyWhenElectedAndKeepGoingAfterAFailure() {
        AtomicBoolean elected = new AtomicBoolean(false);
        StringWriter out = new StringWriter();
        RebalancePass pass = new RebalancePass(new RebalancePass.Settings(URI.create("http://127.0.0.1:"
                + server.getAddress().getPort()), 0.1, null, Duration.ofHours(2), 20), null, Clock.systemUTC());
        try (RebalanceLoop loop = new RebalanceLoop(pass, elected::get, new PrintWriter(out))) {
            assertFalse(loop.runOnce(), "not elected: no pass");
            assertEquals(0, requests.get(), "nothing read");

            elected.set(true);
            assertFalse(loop.runOnce(), "the API answers 503: the pass fails, and says so in the log only");

            apiUp = true;
            assertTrue(loop.runOnce(), "the next turn runs");
            String last = out.toString().strip().lines().reduce((a, b) -> b).orElseThrow();
            assertTrue(last.startsWith("rebalance: datasets=1 objective_usd=1.0000 bound_usd=1.0000 gap=0.000000"),
                    last);
        }
    }
}
