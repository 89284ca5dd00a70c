package io.tierflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.serde.InMemorySchemaRegistry;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import okhttp3.Response;

/** The API built as {@link QueryServer} builds it, over a fake cluster and a recording sink, for JavalinTest. */
final class TestApi {
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final String TOKEN = "handler-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestApi() {
    }

    static Javalin create(FakeCluster cluster, RecordingSink sink, int partitions, ApiSettings settings) {
        return create(cluster, sink, partitions, settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    static Javalin create(FakeCluster cluster, RecordingSink sink, int partitions, ApiSettings settings,
            PrometheusMeterRegistry metrics) {
        Topics topics = Topics.using(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                InMemorySchemaRegistry.URL_PREFIX + "query-api-" + UUID.randomUUID()));
        // The dataset index rebuilt for every request: the tests change the stores between requests and expect to
        // see it (DatasetIndexTest covers a kept index).
        return QueryApi.create(cluster, topics, sink, partitions, metrics, settings.withPort(0),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO, Duration.ZERO);
    }

    static Javalin create(FakeCluster cluster, RecordingSink sink, int partitions) {
        return create(cluster, sink, partitions, ApiSettings.defaults().withToken(TOKEN));
    }

    /** An answer read whole: status, headers and the body parsed as JSON (every answer of the API is JSON). */
    record Answer(int status, JsonNode body, String raw, Response response) {
        String header(String name) {
            return response.header(name);
        }

        String message() {
            return body.path("message").asText(null);
        }
    }

    static Answer read(Response response) {
        try (response) {
            String raw = response.body().string();
            return new Answer(response.code(), JSON.readTree(raw), raw, response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
