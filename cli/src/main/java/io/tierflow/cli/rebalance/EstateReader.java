package io.tierflow.cli.rebalance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.streams.domain.placement.EstateProblem;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the estate through the query API, which answers from every node's stores (interactive queries): the sites,
 * their capacities and price lists from {@code /sites}, each policy's horizon and hysteresis from {@code /policies},
 * every dataset's size and primary from {@code /datasets} (paged), and from {@code /datasets/{key}/explain} the costs
 * the per-dataset placement weighed for it at every site (its last decision's site scores: storage, expected egress,
 * whether the site may hold it), where its copies are, in which class and since when (what a move of it costs).
 */
final class EstateReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 1000;

    private final URI api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    EstateReader(URI api) {
        this.api = api;
    }

    /** The estate as the API sees it now ({@code nowMs}: what remains of a minimum storage duration is from then). */
    Estate read(double headroom, long budgetBytes, long nowMs) throws IOException, InterruptedException {
        JsonNode sites = get("/sites").path("items");
        JsonNode policies = get("/policies").path("items");
        Estate.Builder estate = Estate.builder(sites, policies, headroom, budgetBytes, nowMs);
        String cursor = null;
        do {
            JsonNode page = get("/datasets?limit=" + PAGE + (cursor == null ? "" : "&cursor=" + encode(cursor)));
            for (JsonNode summary : page.path("items")) {
                String key = summary.path("key").asText();
                estate.add(summary, get("/datasets/" + encodePath(key) + "/explain"));
            }
            JsonNode next = page.path("nextCursor");
            cursor = next.isTextual() ? next.asText() : null;
        } while (cursor != null);
        return estate.build();
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        URI uri = URI.create(api.toString().replaceAll("/+$", "") + pathAndQuery);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Keys hold slashes that are part of the path ({@code /datasets/logs/a.gz/explain}); only the rest is escaped. */
    private static String encodePath(String key) {
        List<String> parts = new ArrayList<>();
        for (String part : key.split("/", -1)) {
            parts.add(encode(part).replace("+", "%20"));
        }
        return String.join("/", parts);
    }
}
