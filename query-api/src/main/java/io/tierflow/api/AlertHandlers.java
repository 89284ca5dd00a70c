package io.tierflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.streams.AlertMembers;
import io.tierflow.streams.TieringTopology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code /alerts} (alerts and group alerts, paged in id order) and {@code /alerts/{id}/members} (the datasets a group
 * alert stands for, paged in key order). Both are gathered from every instance like the other lists: each partition's
 * share is a bounded range of its store.
 */
final class AlertHandlers {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    /** The alert manager's stores are partitioned like the alert-signals repartition topic it reads. */
    private static final Predicate<String> PARTITIONED_LIKE =
            topic -> topic.endsWith(TieringTopology.ALERTS_PARTITIONED_LIKE_SUFFIX);

    /** Gathers a list from every instance hosting a store (see {@code ReadHandlers.gather}). */
    interface Gather {
        void gather(String store, Predicate<String> partitionedLike, Context ctx,
                Function<Set<Integer>, ObjectNode> localShare, Consumer<JsonNode> each);
    }

    private final ClusterView cluster;
    private final Gather gather;

    AlertHandlers(ClusterView cluster, Gather gather) {
        this.cluster = cluster;
        this.gather = gather;
    }

    /** {@code GET /alerts?state=&type=&limit=&cursor=}: {@code items} in id order, {@code nextCursor} or null. */
    void alerts(Context ctx) {
        AlertState state = QueryParams.enumParam(ctx, "state", AlertState.class);
        AlertType type = QueryParams.enumParam(ctx, "type", AlertType.class);
        int limit = QueryParams.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String cursor = ctx.queryParam("cursor");
        Predicate<Alert> wanted = a -> (state == null || a.getState() == state) && (type == null || a.getType() == type);
        // Each share holds up to limit + 1 items, so the merged list is longer than a page exactly when more exist.
        Function<Set<Integer>, ObjectNode> local = partitions -> {
            List<JsonNode> items = new ArrayList<>();
            for (int partition : partitions) {
                cluster.requireSettled(TieringTopology.ALERTS_STORE, partition);
                var store = cluster.<Alert>localStore(TieringTopology.ALERTS_STORE, partition);
                try (var range = store.range(cursor, null)) {
                    int taken = 0;
                    while (range.hasNext() && taken <= limit) {
                        var kv = range.next();
                        if (!kv.key.equals(cursor) && wanted.test(kv.value)) {
                            items.add(AvroJson.toJson(kv.value));
                            taken++;
                        }
                    }
                }
            }
            return NODES.objectNode().set("items", first(items, "id", limit + 1));
        };
        if (QueryParams.isLocal(ctx)) {
            QueryApi.respond(ctx, cluster.retrying("alerts", () -> local.apply(QueryParams.partitions(ctx))));
            return;
        }
        List<JsonNode> items = new ArrayList<>();
        gather.gather(TieringTopology.ALERTS_STORE, PARTITIONED_LIKE, ctx, local,
                body -> body.get("items").forEach(items::add));
        QueryApi.respond(ctx, page(items, "id", limit));
    }

    /**
     * {@code GET /alerts/{id}/members?limit=&cursor=}: the alert ({@code alert}) and its members ({@code items}: subject,
     * value, threshold, message, since) in key order; 404 for an alert that does not exist.
     */
    void members(Context ctx) {
        String id = ctx.pathParam("id");
        int limit = QueryParams.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String cursor = ctx.queryParam("cursor");
        String from = cursor == null ? AlertMembers.prefix(id) : AlertMembers.keyAfter(id, cursor);
        Function<Set<Integer>, ObjectNode> local = partitions -> {
            ObjectNode share = NODES.objectNode();
            ArrayNode items = share.putArray("items");
            for (int partition : partitions) {
                cluster.requireSettled(TieringTopology.ALERTS_STORE, partition);
                cluster.requireSettled(TieringTopology.ALERT_MEMBERS_STORE, partition);
                Alert alert = cluster.<Alert>localStore(TieringTopology.ALERTS_STORE, partition).get(id);
                if (alert != null) {
                    share.set("alert", AvroJson.toJson(alert));
                }
                var store = cluster.<AlertSignal>localStore(TieringTopology.ALERT_MEMBERS_STORE, partition);
                try (var range = store.range(from, AlertMembers.endOf(id))) {
                    for (int taken = 0; range.hasNext() && taken <= limit; taken++) {
                        items.add(member(range.next().value));
                    }
                }
            }
            return share;
        };
        if (QueryParams.isLocal(ctx)) {
            QueryApi.respond(ctx, cluster.retrying("alert members", () -> local.apply(QueryParams.partitions(ctx))));
            return;
        }
        List<JsonNode> items = new ArrayList<>();
        JsonNode[] alert = new JsonNode[1];
        gather.gather(TieringTopology.ALERTS_STORE, PARTITIONED_LIKE, ctx, local, body -> {
            body.get("items").forEach(items::add);
            if (body.hasNonNull("alert")) {
                alert[0] = body.get("alert");
            }
        });
        if (alert[0] == null) {
            throw ApiException.notFound("no alert '" + id + "'");
        }
        ObjectNode body = page(items, "subject", limit);
        body.set("alert", alert[0]);
        QueryApi.respond(ctx, body);
    }

    private static ObjectNode member(AlertSignal signal) {
        return NODES.objectNode().put("subject", signal.getSubject()).put("value", signal.getValue())
                .put("threshold", signal.getThreshold()).put("message", signal.getMessage())
                .put("since", iso(signal.getAt()));
    }

    /** As the Avro records' timestamps are written (AvroJson). */
    private static String iso(long epochMillis) {
        char[] chars = new char[32];
        return new String(chars, 0, IsoInstants.format(epochMillis, chars));
    }

    /** The first {@code limit} items by {@code field}, and the cursor to the next page (null on the last). */
    private static ObjectNode page(List<JsonNode> items, String field, int limit) {
        ArrayNode page = first(items, field, limit);
        ObjectNode body = NODES.objectNode();
        body.set("items", page);
        body.put("nextCursor", items.size() > limit ? page.get(page.size() - 1).get(field).asText() : null);
        return body;
    }

    private static ArrayNode first(List<JsonNode> items, String field, int limit) {
        ArrayNode first = NODES.arrayNode();
        items.stream().sorted(Comparator.comparing(item -> item.get(field).asText())).limit(limit).forEach(first::add);
        return first;
    }
}
