package io.tierflow.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tierflow.catalogue.CatalogueRules;
import io.tierflow.catalogue.SitePlace;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.streams.TieringTopology;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The write endpoints: they validate their input and produce to Kafka ({@code control}, {@code policies},
 * {@code sites}) through the {@link RecordSink}, nothing else; the topology and the migrators act on what they read.
 * Each answers once the record is stored (202 with its coordinates), so an accepted write is never lost.
 */
final class WriteHandlers {
    private static final int MAX_KEYS = 10_000;
    /**
     * Largest body a write takes, in bytes: Javalin's own limit, which it applies to the Content-Length header only,
     * so a chunked body (no such header) would be read whole into memory. 10 000 keys of a few dozen bytes fit.
     */
    static final int MAX_BODY_BYTES = 1_000_000;
    private final Topics topics;
    private final RecordSink sink;
    private final ClusterView cluster;
    private final ObjectMapper json;
    private final ApiSettings settings;
    private final int partitions;
    private final Clock clock;

    WriteHandlers(Topics topics, RecordSink sink, ClusterView cluster, ObjectMapper json, ApiSettings settings,
            int partitions, Clock clock) {
        this.topics = topics;
        this.sink = sink;
        this.cluster = cluster;
        this.json = json;
        this.settings = settings;
        this.partitions = partitions;
        this.clock = clock;
    }

    /** 401 without a bearer token, 403 with a wrong one (or when no token is configured: writes are off). */
    void authorize(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiException.unauthorized("this endpoint needs 'Authorization: Bearer <token>' (the API token "
                    + "from the configuration; `tierflow local` writes it to <data dir>/api-token)");
        }
        if (settings.token() == null) {
            throw ApiException.forbidden("writes are disabled: no API token is configured (set TIERFLOW_API_TOKEN)");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison, so the token cannot be guessed byte by byte from response times.
        if (!MessageDigest.isEqual(given, settings.token().getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.forbidden("the bearer token is not valid for this API");
        }
    }

    void acknowledgeAlert(Context ctx) {
        String id = ctx.pathParam("id");
        ControlCommand command = control(ControlType.ACK_ALERT, id, List.of(), Map.of());
        accepted(ctx, List.of(sink.send(topics.control, id, command, null)));
    }

    void siteDown(Context ctx) {
        markSite(ctx, false);
    }

    void siteUp(Context ctx) {
        markSite(ctx, true);
    }

    /**
     * Marks a site down or up: the site record with its new {@code up} flag (the topology places nothing on a down
     * site) and a control record (the migrators back off from it), both keyed by the site name.
     */
    private void markSite(Context ctx, boolean up) {
        String name = ctx.pathParam("name");
        Site current = cluster.<Site>globalStore(TieringTopology.SITES_STORE).get(name);
        if (current == null) {
            throw ApiException.notFound("no site '" + name + "' in the catalogue");
        }
        Site updated = Site.newBuilder(current).setUp(up).build();
        List<RecordSink.Written> written = new ArrayList<>();
        written.add(sink.send(topics.sites, name, updated, null));
        written.add(sink.send(topics.control, name, control(up ? ControlType.SITE_UP : ControlType.SITE_DOWN, name,
                List.of(), Map.of()), null));
        accepted(ctx, written);
    }

    /** {@code {"keys": [...], "eventsPerSecond": 50, "durationSeconds": 60}}: extra traffic on those datasets. */
    void burst(Context ctx) {
        JsonNode body = body(ctx);
        List<String> keys = keys(body, true);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("eventsPerSecond", String.valueOf(positive(body, "eventsPerSecond", 50, 10_000)));
        parameters.put("durationSeconds", String.valueOf(positive(body, "durationSeconds", 60, 86_400)));
        accepted(ctx, List.of(sink.send(topics.control, "*", control(ControlType.BURST, "*", keys, parameters), null)));
    }

    /**
     * {@code {"keys": [...]}} re-evaluates those datasets now; without keys, every dataset. A record per dataset,
     * keyed by it, reaches the partition that owns it; "all" is one record per partition of the control topic.
     */
    void reoptimize(Context ctx) {
        String text = bodyText(ctx);
        JsonNode body = text.isBlank() ? json.createObjectNode() : parse(text);
        List<String> keys = keys(body, false);
        List<RecordSink.Written> written = new ArrayList<>();
        if (keys.isEmpty()) {
            for (int partition = 0; partition < partitions; partition++) {
                written.add(sink.send(topics.control, "*", control(ControlType.REOPTIMIZE, "*", List.of(), Map.of()),
                        partition));
            }
        } else {
            for (String key : keys) {
                written.add(sink.send(topics.control, key, control(ControlType.REOPTIMIZE, key, List.of(key), Map.of()),
                        null));
            }
        }
        accepted(ctx, written);
    }

    void putPolicy(Context ctx) {
        String name = ctx.pathParam("name");
        ObjectNode body = objectBody(ctx);
        nameMustMatch(body, "name", name);
        body.put("name", name);
        if (!body.has("updatedAt")) {
            body.put("updatedAt", Instant.now(clock).toString());
        }
        Policy policy;
        try {
            policy = AvroJson.fromJson(body, Policy.class);
            PolicyValidation.check(policy);
            PolicyValidation.check(policy, publishedPolicies());
            PolicyValidation.checkProviders(policy, publishedSites());
        } catch (ApiException e) {
            throw PolicyValidation.namingTheField(e, Policy.getClassSchema());
        }
        accepted(ctx, List.of(sink.send(topics.policies, name, policy, null)));
    }

    /**
     * The policies as this node's copy of the global store has them, by name: a scope and a budget share are checked
     * against them. Two writes racing through different nodes can both pass; the streams app orders equal scopes by
     * name, so every node still decides alike.
     */
    private Map<String, Policy> publishedPolicies() {
        return cluster.retrying("the policies", () -> {
            Map<String, Policy> policies = new TreeMap<>();
            try (KeyValueIterator<String, Policy> all = cluster.<Policy>globalStore(TieringTopology.POLICIES_STORE)
                    .all()) {
                all.forEachRemaining(kv -> policies.put(kv.key, kv.value));
            }
            return policies;
        });
    }

    /** The sites as this node's copy of the global store has them: a policy's copies are checked against them. */
    private List<Site> publishedSites() {
        return cluster.retrying("the sites", () -> {
            List<Site> sites = new ArrayList<>();
            try (KeyValueIterator<String, Site> all = cluster.<Site>globalStore(TieringTopology.SITES_STORE).all()) {
                all.forEachRemaining(kv -> sites.add(kv.value));
            }
            return sites;
        });
    }

    void putSite(Context ctx) {
        String name = ctx.pathParam("name");
        ObjectNode body = objectBody(ctx);
        nameMustMatch(body, "name", name);
        body.put("name", name);
        Site site;
        try {
            site = AvroJson.fromJson(body, Site.class);
            PolicyValidation.check(site);
        } catch (ApiException e) {
            throw PolicyValidation.namingTheField(e, Site.getClassSchema());
        }
        placeMustBeTrusted(site);
        accepted(ctx, List.of(sink.send(topics.sites, name, site, null)));
    }

    /**
     * 409 unless the site stays where it is or goes where the operator pinned it: its endpoint and bucket are where
     * the migrators sign requests, so a token holder cannot redirect them (see {@link CatalogueRules#siteMoveProblem}).
     */
    private void placeMustBeTrusted(Site site) {
        SitePlace pinned = settings.sitePins().get(site.getName());
        if (pinned != null) {
            if (!pinned.equals(SitePlace.of(site))) {
                throw ApiException.conflict("site '" + site.getName() + "' is pinned at " + pinned + " by this API's "
                        + "configuration (" + ApiSettings.SITE_PIN_PREFIX + site.getName() + ".endpoint / .bucket); "
                        + "a write cannot place it at " + SitePlace.of(site));
            }
            return;
        }
        Site current = cluster.retrying("the sites",
                () -> cluster.<Site>globalStore(TieringTopology.SITES_STORE).get(site.getName()));
        CatalogueRules.siteMoveProblem(current, site).ifPresent(problem -> {
            throw ApiException.conflict(problem);
        });
    }

    private ControlCommand control(ControlType type, String target, List<String> keys, Map<String, String> parameters) {
        return ControlCommand.newBuilder().setType(type).setTarget(target).setKeys(keys).setParameters(parameters)
                .setOperator(settings.operator()).setIssuedAt(Instant.now(clock)).build();
    }

    private static void accepted(Context ctx, List<RecordSink.Written> written) {
        ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        body.put("accepted", true);
        var records = body.putArray("records");
        for (RecordSink.Written record : written) {
            records.addObject().put("topic", record.topic()).put("partition", record.partition())
                    .put("offset", record.offset());
        }
        ctx.status(202);
        QueryApi.respond(ctx, body);
    }

    /** The body as text, read up to {@link #MAX_BODY_BYTES} whatever its framing (Content-Length or chunked). */
    static String bodyText(Context ctx) {
        byte[] bytes;
        try {
            bytes = ctx.req().getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("the body could not be read: " + e.getMessage());
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw ApiException.tooLarge("the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private JsonNode body(Context ctx) {
        return parse(bodyText(ctx));
    }

    private JsonNode parse(String text) {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request needs a JSON body");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private ObjectNode objectBody(Context ctx) {
        JsonNode node = body(ctx);
        if (!node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static void nameMustMatch(ObjectNode body, String field, String name) {
        if (body.has(field) && !body.get(field).asText().equals(name)) {
            throw ApiException.badRequest("'" + field + "' in the body (" + body.get(field).asText()
                    + ") differs from the name in the path (" + name + ")");
        }
    }

    private static List<String> keys(JsonNode body, boolean required) {
        JsonNode keys = body.path("keys");
        if (keys.isMissingNode() || keys.isNull()) {
            if (required) {
                throw ApiException.badRequest("'keys' must list the dataset keys, e.g. {\"keys\": [\"datasets/d000042\"]}");
            }
            return List.of();
        }
        if (!keys.isArray() || (required && keys.isEmpty()) || keys.size() > MAX_KEYS) {
            throw ApiException.badRequest("'keys' must be an array of 1 to " + MAX_KEYS + " dataset keys");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode key : keys) {
            if (!key.isTextual() || key.asText().isEmpty()) {
                throw ApiException.badRequest("every entry of 'keys' must be a non-empty string");
            }
            result.add(key.asText());
        }
        return result;
    }

    private static long positive(JsonNode body, String field, long dflt, long max) {
        JsonNode value = body.path(field);
        if (value.isMissingNode()) {
            return dflt;
        }
        if (!value.isIntegralNumber() || value.asLong() <= 0 || value.asLong() > max) {
            throw ApiException.badRequest("'" + field + "' must be an integer from 1 to " + max);
        }
        return value.asLong();
    }
}
