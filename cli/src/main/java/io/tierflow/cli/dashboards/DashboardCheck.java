package io.tierflow.cli.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks Grafana dashboards against a running system: every PromQL expression of every panel must return at least
 * one series from Prometheus, and every metric it names must be exported by one of the scraped /metrics endpoints.
 */
public final class DashboardCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One panel query. */
    public record Expression(String dashboard, String panel, String expr) {
    }

    /** What the check found. */
    public record Result(int expressions, int withData, int missingMetrics) {
        public boolean passed() {
            return withData == expressions && missingMetrics == 0;
        }

        public String summary() {
            return "dashboards: expressions=" + expressions + " with_data=" + withData + " missing_metrics="
                    + missingMetrics;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI prometheus;
    private final List<URI> metricsEndpoints;
    private final String rateInterval;
    private final PrintWriter out;

    public DashboardCheck(URI prometheus, List<URI> metricsEndpoints, String rateInterval, PrintWriter out) {
        this.prometheus = prometheus;
        this.metricsEndpoints = metricsEndpoints;
        this.rateInterval = rateInterval;
        this.out = out;
    }

    /** Every target expression of every panel (rows' nested panels included) of the dashboards in {@code dir}. */
    public static List<Expression> expressions(Path dir) throws IOException {
        List<Expression> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            JsonNode board = JSON.readTree(file.toFile());
            collect(board.path("title").asText(file.getFileName().toString()), board.path("panels"), found);
        }
        return found;
    }

    private static void collect(String dashboard, JsonNode panels, List<Expression> found) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isBlank()) {
                    found.add(new Expression(dashboard, panel.path("title").asText(), expr));
                }
            }
            collect(dashboard, panel.path("panels"), found);
        }
    }

    /** Metric names the endpoints export now (sample names, so {@code _total}, {@code _bucket} and so on). */
    public Set<String> exportedMetrics() throws IOException, InterruptedException {
        Set<String> names = new HashSet<>();
        for (URI endpoint : metricsEndpoints) {
            HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IOException(endpoint + " answered " + response.statusCode());
            }
            try (Stream<String> lines = response.body()) {
                lines.filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> {
                    int end = 0;
                    while (end < l.length() && l.charAt(end) != '{' && l.charAt(end) != ' ') {
                        end++;
                    }
                    names.add(l.substring(0, end));
                });
            }
        }
        return names;
    }

    /** Number of series the expression returns now (an instant query). */
    int seriesOf(String expr) throws IOException, InterruptedException {
        String query = PromQl.withGrafanaVariables(expr, rateInterval);
        URI uri = prometheus.resolve("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IOException("Prometheus rejected " + query + ": " + body.path("error").asText(response.body()));
        }
        JsonNode result = body.path("data").path("result");
        return "vector".equals(body.path("data").path("resultType").asText()) || "matrix".equals(
                body.path("data").path("resultType").asText()) ? result.size() : 1;
    }

    /**
     * Checks every expression; those without data are asked again every {@code retryEvery} until {@code patience}
     * is used up (a counter's rate needs two scrapes, a census gauge its first census). A metric counts as exported
     * if any scrape of the endpoints during the check had it: some appear only once there is something to count
     * (a partition's lag after the assignment, the census rows after the first census).
     */
    public Result run(List<Expression> expressions, Duration patience, Duration retryEvery)
            throws IOException, InterruptedException {
        Set<String> exported = new HashSet<>();
        long deadline = System.nanoTime() + patience.toNanos();
        Set<Expression> pending = new LinkedHashSet<>(expressions);
        while (true) {
            exported.addAll(exportedMetrics());
            for (var it = pending.iterator(); it.hasNext(); ) {
                Expression e = it.next();
                int series = seriesOf(e.expr());
                if (series > 0) {
                    out.printf("ok (%d series)  %s / %s%n", series, e.dashboard(), e.panel());
                    it.remove();
                }
            }
            if (pending.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            out.flush();
            Thread.sleep(retryEvery.toMillis()); // waiting for the next scrapes: the condition is re-checked above
        }
        for (Expression e : pending) {
            out.printf("NO DATA  %s / %s: %s%n", e.dashboard(), e.panel(), e.expr());
        }
        exported.addAll(exportedMetrics());
        int missingMetrics = 0;
        for (Expression e : expressions) {
            for (String name : PromQl.metricNames(e.expr())) {
                if (!exported.contains(name)) {
                    missingMetrics++;
                    out.printf("MISSING METRIC  %s / %s: %s is not exported by %s%n", e.dashboard(), e.panel(), name,
                            metricsEndpoints);
                }
            }
        }
        out.flush();
        return new Result(expressions.size(), expressions.size() - pending.size(), missingMetrics);
    }
}
