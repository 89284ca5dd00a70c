package io.tierflow.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.apache.avro.Schema;

/**
 * Client for the Confluent Schema Registry REST API (also served by Redpanda and by Apicurio under
 * {@code /apis/ccompat/v7}), with caches both ways: (subject, schema) → id and id → schema.
 *
 * <p>Written by hand because Confluent's client is not on Maven Central; it uses only the four calls
 * a serde needs, over the JDK's HTTP client. Over an {@link InMemorySchemaRegistry} ({@code mock://<scope>}) it makes
 * the same calls in memory, behind the same caches.
 */
public final class SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final String authorization;
    private final Duration requestTimeout;
    private final HttpClient http;
    /** Answers the calls instead of HTTP when the URL is {@code mock://<scope>}; null for a real registry. */
    private final InMemorySchemaRegistry inMemory;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    /**
     * @param baseUrls registry base URLs, tried in order when one cannot be reached
     * @param userInfo {@code user:password} for HTTP basic auth, or null
     * @param requestTimeout timeout of one HTTP call
     */
    public SchemaRegistryClient(List<String> baseUrls, String userInfo, Duration requestTimeout) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is required");
        }
        this.baseUrls = new ArrayList<>();
        for (String url : baseUrls) {
            this.baseUrls.add(URI.create(url.endsWith("/") ? url : url + "/"));
        }
        this.authorization = userInfo == null
                ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
        this.inMemory = null;
    }

    /** A client of an in-memory registry (see {@link AvroSerdeConfig#newClient()}). */
    public SchemaRegistryClient(InMemorySchemaRegistry registry) {
        this.baseUrls = List.of(URI.create(registry.url()));
        this.authorization = null;
        this.requestTimeout = null;
        this.http = null;
        this.inMemory = registry;
    }

    /** The base URLs, for error messages (never carries credentials). */
    public String describe() {
        return baseUrls.toString();
    }

    /** Registers the schema under the subject (or finds it registered already) and returns its global id. */
    public int register(String subject, Schema schema) {
        return idFor(subject, schema, () -> inMemory != null ? inMemory.register(subject, schema)
                : remoteId(subject, schema, "subjects/" + encode(subject) + "/versions", "registration"));
    }

    /** Looks up the id of a schema already registered under the subject; fails if it is not registered. */
    public int lookup(String subject, Schema schema) {
        return idFor(subject, schema, () -> inMemory != null ? inMemory.lookup(subject, schema)
                : remoteId(subject, schema, "subjects/" + encode(subject), "lookup"));
    }

    /** The id is cached per subject and schema. */
    private int idFor(String subject, Schema schema, IntSupplier ask) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        int id = ask.getAsInt();
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** Both REST calls answer {"id": n} for the schema posted. */
    private int remoteId(String subject, Schema schema, String path, String what) {
        JsonNode answer = call("POST", path, schemaBody(schema));
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("registry " + describe() + " answered the " + what + " in subject '"
                    + subject + "' without an id: " + answer, 200, -1, null);
        }
        return id;
    }

    /** Returns the schema with this global id. */
    public Schema byId(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        if (inMemory != null) {
            Schema schema = inMemory.byId(id);
            Schema raced = schemasById.putIfAbsent(id, schema);
            return raced == null ? schema : raced;
        }
        JsonNode answer = call("GET", "schemas/ids/" + id, null);
        String text = answer.path("schema").asText(null);
        if (text == null) {
            throw new SchemaRegistryException("registry " + describe() + " answered schema id " + id
                    + " without a schema: " + answer, 200, -1, null);
        }
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new SchemaRegistryException("schema id " + id + " in registry " + describe() + " is of type "
                    + type + ", not AVRO", 200, -1, null);
        }
        Schema schema = new Schema.Parser().parse(text);
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced == null ? schema : raced;
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode call(String method, String path, String body) {
        IOException lastFailure = null;
        for (URI base : baseUrls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(requestTimeout)
                    .header("Accept", ACCEPT);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                lastFailure = e; // try the next URL
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while calling schema registry " + base, -1, -1, e);
            }
            return parse(method, base.resolve(path), response);
        }
        throw new SchemaRegistryException("schema registry " + describe() + " is unreachable (" + method + " "
                + path + "): " + lastFailure, -1, -1, lastFailure);
    }

    private static JsonNode parse(String method, URI uri, HttpResponse<String> response) {
        JsonNode json;
        try {
            json = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (IOException e) {
            json = JSON.createObjectNode().put("message", response.body());
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return json;
        }
        int errorCode = json.path("error_code").asInt(-1);
        String message = json.path("message").asText(response.body());
        throw new SchemaRegistryException("schema registry answered " + status + " (error code " + errorCode
                + ") to " + method + " " + uri + ": " + message, status, errorCode, null);
    }
}
