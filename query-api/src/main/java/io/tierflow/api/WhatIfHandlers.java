package io.tierflow.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tierflow.catalogue.CatalogueRules;
import io.tierflow.schemas.Policy;
import io.tierflow.streams.TieringTopology;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The console's what-if endpoints over a {@link WhatIfRunner}: {@code GET /whatif} (whether this node runs them),
 * {@code POST /whatif/runs} (token; the policies and the time range, checked here, so a bad one is a 400 naming its
 * field) and {@code GET /whatif/runs/{id}} (status, progress, and the result once done). A node without a runner
 * answers 503.
 */
final class WhatIfHandlers {
    /** The range a run covers when the request names none: the last day. */
    static final Duration DEFAULT_RANGE = Duration.ofDays(1);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String NO_RUNNER = "this node runs no what-ifs: its API was started without a what-if runner (a "
            + "node started by `tierflow streams` or `tierflow local` has one; `tierflow whatif` runs one from the "
            + "command line)";

    private final ClusterView cluster;
    private final WhatIfRunner runner;
    private final Consumer<Context> authorize;
    private final ObjectMapper json;
    private final Clock clock;

    /**
     * @param runner the node's runner, or null when it has none
     * @param authorize the write endpoints' token check
     */
    WhatIfHandlers(ClusterView cluster, WhatIfRunner runner, Consumer<Context> authorize, ObjectMapper json,
            Clock clock) {
        this.cluster = cluster;
        this.runner = runner;
        this.authorize = authorize;
        this.json = json;
        this.clock = clock;
    }

    /** Whether this node runs what-ifs, its bound on events, and its latest run (a reopened page finds it). */
    void about(Context ctx) {
        WhatIfRunner available = requireRunner();
        ObjectNode body = NODES.objectNode();
        body.put("available", true);
        body.put("maxEvents", available.maxEvents());
        body.put("defaultRangeHours", DEFAULT_RANGE.toHours());
        body.put("latest", available.latest().orElse(null));
        QueryApi.respond(ctx, body);
    }

    /**
     * {@code {"live": true, "stored": ["archive"], "policies": [{...}], "from": "...", "to": "..."}}: the live
     * policy, policies of the catalogue by name, and pasted ones (as {@code PUT /policies/{name}} takes them, checked by
     * the same rules); 202 with the run's id, 409 while another run is going.
     */
    void start(Context ctx) {
        authorize.accept(ctx);
        WhatIfRunner available = requireRunner();
        JsonNode body = parse(WriteHandlers.bodyText(ctx));
        Instant now = Instant.now(clock);
        Instant to = instant(body, "to", now);
        Instant from = instant(body, "from", to.minus(DEFAULT_RANGE));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("'from' (" + from + ") must be before 'to' (" + to + ")").about("from");
        }
        List<WhatIfRunner.Candidate> candidates = candidates(body);
        String id;
        try {
            id = available.start(new WhatIfRunner.Request(candidates, from, to));
        } catch (WhatIfRunner.Busy busy) {
            throw ApiException.conflict(busy.getMessage() + "; see /whatif/runs/" + busy.runningId());
        }
        ObjectNode answer = NODES.objectNode();
        answer.put("id", id);
        answer.put("status", "/whatif/runs/" + id);
        ctx.status(202);
        ctx.header("Location", "/whatif/runs/" + id);
        QueryApi.respond(ctx, answer);
    }

    void run(Context ctx) {
        WhatIfRunner available = requireRunner();
        String id = ctx.pathParam("id");
        WhatIfRunner.Status status = available.status(id).orElseThrow(() -> ApiException.notFound("no what-if run '"
                + id + "' on this node (it keeps its last few runs in memory, and forgets them when it restarts)"));
        QueryApi.respond(ctx, statusJson(status));
    }

    private WhatIfRunner requireRunner() {
        if (runner == null) {
            throw ApiException.unavailable(NO_RUNNER, 0);
        }
        return runner;
    }

    private List<WhatIfRunner.Candidate> candidates(JsonNode body) {
        List<WhatIfRunner.Candidate> candidates = new ArrayList<>();
        JsonNode live = body.path("live");
        if (!live.isMissingNode() && !live.isBoolean()) {
            throw ApiException.badRequest("'live' must be true or false").about("live");
        }
        if (live.asBoolean(false)) {
            candidates.add(new WhatIfRunner.Candidate("live", publishedPolicy(CatalogueRules.DEFAULT_POLICY)
                    .orElseGet(CatalogueReadHandlers::builtInPolicy)));
        }
        JsonNode stored = body.path("stored");
        if (!stored.isMissingNode() && !stored.isArray()) {
            throw ApiException.badRequest("'stored' must be an array of policy names").about("stored");
        }
        for (JsonNode name : stored) {
            if (!name.isTextual()) {
                throw ApiException.badRequest("every entry of 'stored' must be a policy name").about("stored");
            }
            Policy policy = publishedPolicy(name.asText()).orElseThrow(() -> ApiException.badRequest(
                    "no policy '" + name.asText() + "' in the catalogue").about("stored"));
            candidates.add(new WhatIfRunner.Candidate(policy.getName(), policy));
        }
        JsonNode pasted = body.path("policies");
        if (!pasted.isMissingNode() && !pasted.isArray()) {
            throw ApiException.badRequest("'policies' must be an array of policies as PUT /policies/{name} takes "
                    + "them").about("policies");
        }
        for (int i = 0; i < pasted.size(); i++) {
            Policy policy = pastedPolicy(pasted.get(i), "policies[" + i + "]");
            candidates.add(new WhatIfRunner.Candidate(policy.getName(), policy));
        }
        if (candidates.isEmpty()) {
            throw ApiException.badRequest("choose at least one policy: the live one, one of the catalogue or a "
                    + "pasted one").about("policies");
        }
        return candidates;
    }

    /**
     * A pasted policy, checked by the rules of {@code PUT /policies/{name}} that concern the policy itself (the rules
     * between published policies, scopes and budget shares, do not apply: a what-if replays it alone). A rejection
     * names the field as {@code policies[i].<field>}.
     */
    private Policy pastedPolicy(JsonNode node, String where) {
        if (!node.isObject()) {
            throw ApiException.badRequest(where + " must be a JSON object").about(where);
        }
        ObjectNode body = ((ObjectNode) node).deepCopy();
        if (!body.hasNonNull("name")) {
            body.put("name", "pasted");
        }
        if (!body.has("updatedAt")) {
            body.put("updatedAt", Instant.EPOCH.toString()); // not the clock: the same policy gives the same replay
        }
        try {
            Policy policy = AvroJson.fromJson(body, Policy.class);
            PolicyValidation.check(policy);
            return policy;
        } catch (ApiException e) {
            ApiException named = PolicyValidation.namingTheField(e, Policy.getClassSchema());
            String field = named.field() == null ? where : where + "." + named.field();
            throw ApiException.badRequest(where + ": " + e.getMessage()).about(field);
        }
    }

    private Optional<Policy> publishedPolicy(String name) {
        return Optional.ofNullable(cluster.retrying("the policies",
                () -> cluster.<Policy>globalStore(TieringTopology.POLICIES_STORE).get(name)));
    }

    private static Instant instant(JsonNode body, String field, Instant absent) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            return absent;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'" + field + "' must be an instant such as 2026-12-01T00:00:00Z, not '"
                    + value.asText() + "'").about(field);
        }
    }

    private JsonNode parse(String text) {
        if (text.isBlank()) {
            throw ApiException.badRequest("the request needs a JSON body naming the policies to compare");
        }
        try {
            JsonNode node = json.readTree(text);
            if (!node.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static ObjectNode statusJson(WhatIfRunner.Status status) {
        ObjectNode body = NODES.objectNode();
        body.put("id", status.id());
        body.put("state", status.state().name());
        body.put("startedAt", String.valueOf(status.startedAt()));
        body.put("finishedAt", status.finishedAt() == null ? null : status.finishedAt().toString());
        WhatIfRunner.Progress progress = status.progress();
        body.putObject("progress").put("phase", progress.phase()).put("inputsRead", progress.inputsRead())
                .put("inputsExpected", progress.inputsExpected());
        body.put("error", status.error());
        body.set("result", status.result() == null ? NODES.nullNode() : resultJson(status.result()));
        return body;
    }

    private static ObjectNode resultJson(WhatIfRunner.Result result) {
        ObjectNode body = NODES.objectNode();
        body.put("source", result.source());
        body.put("from", String.valueOf(result.from()));
        body.put("to", String.valueOf(result.to()));
        body.put("note", result.note());
        body.put("currency", "USD");
        body.put("optimumUsd", result.optimumUsd());
        ArrayNode rows = body.putArray("rows");
        for (WhatIfRunner.Row row : result.rows()) {
            ObjectNode item = rows.addObject();
            item.put("name", row.name());
            item.put("kind", row.kind().name());
            item.put("totalUsd", row.totalUsd());
            item.putObject("costUsd").put("storage", row.storageUsd()).put("requests", row.requestsUsd())
                    .put("retrieval", row.retrievalUsd()).put("egress", row.egressUsd())
                    .put("migration", row.migrationUsd()).put("earlyDeletion", row.earlyDeletionUsd())
                    .put("monitoring", row.monitoringUsd());
            if (row.getsByTier() == null) {
                item.putNull("getsByTier");
            } else {
                ObjectNode gets = item.putObject("getsByTier");
                for (Map.Entry<String, Long> tier : row.getsByTier().entrySet()) {
                    gets.put(tier.getKey(), tier.getValue());
                }
            }
            item.put("slaMisses", row.slaMisses());
            item.put("moves", row.moves());
            item.put("bytesMoved", row.bytesMoved());
            item.put("costVsOptimum", row.costVsOptimum());
            ArrayNode samples = item.putArray("cumulative");
            for (WhatIfRunner.Sample sample : row.cumulative()) {
                samples.addArray().add(sample.timeMs()).add(sample.totalUsd());
            }
        }
        return body;
    }
}
