package io.tierflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.api.QueryServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The API benchmark's own requests to the query API, one at a time: the checks before and between the wrk runs. */
final class QueryApiClient {
    /** Keys of each kind checked one by one (owner, answer) before wrk runs. */
    private static final int VERIFIED_KEYS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Progress progress;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    QueryApiClient(Progress progress) {
        this.progress = progress;
    }

    /** A few keys, one by one: answered 200 with the right key, by the instance that owns it. */
    void verifyAnswers(String base, List<String> keys, String expectedInstance) throws Exception {
        int step = Math.max(1, keys.size() / VERIFIED_KEYS);
        for (int i = 0; i < keys.size(); i += step) {
            String key = keys.get(i);
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base + datasetPath(key)))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            String instance = response.headers().firstValue(QueryServer.INSTANCE_HEADER).orElse(null);
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !key.equals(body.path("key").asText())
                    || !expectedInstance.equals(instance)) {
                throw new IllegalStateException("GET " + datasetPath(key) + " answered " + response.statusCode()
                        + " from " + instance + " (expected 200 from " + expectedInstance + "): " + body);
            }
        }
        progress.say("checked %d keys: each answered by its owner %s", (keys.size() + step - 1) / step,
                expectedInstance);
    }

    JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return JSON.readTree(response.body());
    }

    /** Request path of a dataset: keys are paths, so slashes stay and each segment is percent-encoded. */
    static String datasetPath(String key) {
        return "/datasets/" + Arrays.stream(key.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    static List<String> paths(List<String> keys) {
        return keys.stream().map(QueryApiClient::datasetPath).toList();
    }
}
