package io.tierflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.Tier;
import io.tierflow.streams.DatasetView;
import io.tierflow.streams.DatasetViews;
import io.tierflow.streams.TieringTopology;
import io.tierflow.topics.Topics;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The dataset reads: health, one dataset (or its explanation) and the dataset table. A dataset is answered by the
 * instance that owns its key (others forward to it); lists are gathered from every instance ({@code scope=local} asks
 * one instance for its own share) and merged in key order. The gathering, paging and store checks are shared with the
 * estate-wide reads in {@link EstateReadHandlers} and the other list handlers.
 */
final class ReadHandlers {
    static final String SCOPE_LOCAL = "local";
    private static final String EXPLAIN_SUFFIX = "/explain";
    /** What explanations are counted under in the request metrics (the route they had of their own). */
    private static final String EXPLAIN_ROUTE = "/datasets/<key>/explain";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** Page size used when a whole store is scanned (the index), so memory stays bounded. */
    private static final int SCAN_PAGE = 1000;
    /** The dataset stores are partitioned like the access events (all dataset inputs are co-partitioned). */
    static final Predicate<String> DATASETS_PARTITIONED_LIKE = Topics.ACCESS_EVENTS::equals;

    private final ClusterView cluster;
    private final int partitions;
    private final Clock clock;
    private final DatasetIndex index;

    ReadHandlers(ClusterView cluster, int partitions, Clock clock, Duration indexRefresh, Duration indexMaxAge) {
        this.cluster = cluster;
        this.partitions = partitions;
        this.clock = clock;
        this.index = new DatasetIndex((partition, each) -> {
            requireDatasetStoresSettled(partition);
            scan(partition, clock.millis(), each);
        }, indexRefresh, indexMaxAge);
    }

    /**
     * The dataset table's index, one per node: the estate-wide reads ({@link EstateReadHandlers}) answer from the same
     * rows, so the stores are scanned once per refresh, not once per reader.
     */
    DatasetIndex index() {
        return index;
    }

    void health(Context ctx) {
        KafkaStreams.State state = cluster.state();
        boolean ready = state == KafkaStreams.State.RUNNING;
        ObjectNode body = NODES.objectNode().put("status", ready ? "ready" : "not ready").put("streams", state.name());
        if (!ready) {
            ctx.header("Retry-After", "1");
        }
        ctx.status(ready ? 200 : 503);
        QueryApi.respond(ctx, body);
    }

    /**
     * {@code /datasets/{key}} and {@code /datasets/{key}/explain} (one route: see {@code QueryServer}). A key ending
     * in {@code /explain} is always read as an explanation, as it was when each had a route of its own.
     */
    void datasetOrExplanation(Context ctx) {
        String key = ctx.pathParam("key");
        if (key.length() > EXPLAIN_SUFFIX.length() && key.endsWith(EXPLAIN_SUFFIX)) {
            ctx.attribute(QueryApi.ROUTE_ATTRIBUTE, EXPLAIN_ROUTE);
            answerForKey(ctx, key.substring(0, key.length() - EXPLAIN_SUFFIX.length()), EXPLAIN_SUFFIX,
                    DatasetJson.EXPLAIN);
        } else {
            answerForKey(ctx, key, "", DatasetJson.FULL);
        }
    }

    void datasets(Context ctx) {
        Tier tier = QueryParams.enumParam(ctx, "tier", Tier.class);
        String site = ctx.queryParam("site");
        // A site the catalogue does not know holds nothing: answered without a scan of every partition.
        if (site != null && cluster.retrying("the sites",
                () -> cluster.<Site>globalStore(TieringTopology.SITES_STORE).get(site)) == null) {
            throw ApiException.notFound("no site '" + site + "' in the catalogue");
        }
        DatasetFilter filter = new DatasetFilter(tier, site, ctx.queryParam("prefix"), ctx.queryParam("owner"));
        DatasetSort sort = DatasetSort.parse(ctx.queryParam("sort"), ctx.queryParam("order"));
        if (sort.isStoreOrder() && filter.isNone()) {
            answerPage(ctx, view -> true, DatasetJson.SUMMARY);
        } else {
            answerIndexedPage(ctx, filter, sort);
        }
    }

    /** The dataset table's filters; null matches anything. */
    record DatasetFilter(Tier tier, String site, String prefix, String owner) {
        boolean isNone() {
            return tier == null && site == null && prefix == null && owner == null;
        }

        boolean test(DatasetIndex.Row row) {
            return (tier == null || tier == row.tier())
                    && (site == null || site.equals(row.primarySite()) || row.replicaSites().contains(site))
                    && (prefix == null || row.key().startsWith(prefix))
                    && (owner == null || owner.equals(row.owner()));
        }
    }

    private void answerForKey(Context ctx, String key, String suffix, DatasetJson.Shape shape) {
        String store = DatasetViews.STORES.get(0);
        boolean forwarded = ctx.header(Cluster.FORWARDED_HEADER) != null;
        // Ownership is resolved again on every retry: a store closed by a rebalance has moved, maybe elsewhere.
        Lookup lookup = cluster.retrying("dataset '" + key + "'", () -> {
            KeyQueryMetadata owner = cluster.ownerOf(store, key, partitions);
            if (!cluster.isSelf(owner.activeHost())) {
                if (forwarded) { // the forwarder thinks we own it: metadata is moving; wait for it to settle
                    throw new org.apache.kafka.streams.errors.InvalidStateStoreException("ownership is moving");
                }
                return new Lookup(owner, null);
            }
            Optional<DatasetView> view = DatasetViews.get(storesOf(owner.partition()), key, clock.millis());
            if (view.isEmpty()) {
                requireDatasetStoresSettled(owner.partition()); // a miss in a store still restoring is no answer
            }
            return new Lookup(owner, view.orElse(null));
        });
        if (!cluster.isSelf(lookup.owner().activeHost())) {
            Cluster.Forwarded reply = cluster.forward(lookup.owner().activeHost(),
                    "/datasets/" + encodePath(key) + suffix);
            if (reply.instance() != null) {
                ctx.header(QueryServer.INSTANCE_HEADER, reply.instance());
            }
            if (reply.status() == 503) {
                ctx.header("Retry-After", "1");
            }
            // The owner's answer stands as it is, errors included (Javalin's own 404/405 pages must not replace it).
            ctx.attribute(QueryApi.ANSWERED_ATTRIBUTE, true);
            ctx.status(reply.status()).contentType(reply.contentType()).result(reply.body());
            return;
        }
        if (lookup.view() == null) {
            throw ApiException.notFound("no dataset '" + key + "'");
        }
        QueryApi.respond(ctx, shape, lookup.view());
    }

    /** Who owns a key and, when it is this instance, the dataset (null if there is none). */
    private record Lookup(KeyQueryMetadata owner, DatasetView view) {
    }

    private void answerPage(Context ctx, Predicate<DatasetView> filter, DatasetJson.Shape shape) {
        int limit = QueryParams.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String cursor = ctx.queryParam("cursor");
        answerPage(ctx, limit, partitions -> {
            long now = clock.millis();
            List<JsonNode> items = new ArrayList<>();
            for (int partition : partitions) {
                requireDatasetStoresSettled(partition);
                DatasetViews.page(storesOf(partition), cursor, limit + 1, filter, now)
                        .forEach(v -> items.add(DatasetJson.tree(shape, v)));
            }
            return NODES.objectNode().set("items", firstByKey(items, limit + 1));
        });
    }

    /**
     * A page in key order: {@code local} answers a share's first {@code limit + 1} items after the cursor, so the
     * merged list is longer than a page exactly when more exist.
     */
    void answerPage(Context ctx, int limit, Function<Set<Integer>, ObjectNode> local) {
        if (QueryParams.isLocal(ctx)) {
            QueryApi.respond(ctx, cluster.retrying("datasets", () -> local.apply(QueryParams.partitions(ctx))));
            return;
        }
        List<JsonNode> items = new ArrayList<>();
        gather(TieringTopology.DATASET_STATE_STORE, DATASETS_PARTITIONED_LIKE, ctx, local,
                body -> body.get("items").forEach(items::add));
        ArrayNode page = firstByKey(items, limit);
        ObjectNode body = NODES.objectNode();
        body.set("items", page);
        body.put("nextCursor", items.size() > limit ? page.get(page.size() - 1).get("key").asText() : null);
        QueryApi.respond(ctx, body);
    }

    /**
     * A filtered page, or one in an order other than the stores' (see {@link DatasetSort}), from the {@link
     * DatasetIndex}: every instance looks through its partitions' rows, keeps the first {@code limit + 1} after the
     * cursor in a bounded heap, and reads only those datasets from its stores; the answering instance merges the
     * shares in the same order, and the merged list is longer than a page exactly when more exist. Key order keeps its
     * cursor, the last key; any other order's is an opaque (value, key).
     */
    private void answerIndexedPage(Context ctx, DatasetFilter filter, DatasetSort sort) {
        int limit = QueryParams.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String cursorParam = ctx.queryParam("cursor");
        DatasetSort.Position cursor = sort.isStoreOrder()
                ? cursorParam == null ? null : new DatasetSort.Position(0, cursorParam)
                : DatasetSort.parseCursor(cursorParam);
        Function<Set<Integer>, ObjectNode> local = partitions -> {
            index.keepOnly(partitions);
            DatasetSort.FirstN<IndexHit> first = sort.first(limit + 1, hit -> sort.of(hit.row()));
            for (int partition : partitions) {
                for (DatasetIndex.Row row : index.rows(partition)) {
                    if (filter.test(row) && sort.isAfter(sort.of(row), cursor)) {
                        first.offer(new IndexHit(partition, row));
                    }
                }
            }
            long now = clock.millis();
            ArrayNode items = NODES.arrayNode();
            for (IndexHit hit : first.inOrder()) {
                // Shown as it is now; a dataset deleted since the rows were built is left out.
                DatasetViews.get(storesOf(hit.partition()), hit.row().key(), now)
                        .ifPresent(view -> items.add(DatasetJson.tree(DatasetJson.SUMMARY, view)));
            }
            return NODES.objectNode().set("items", items);
        };
        if (QueryParams.isLocal(ctx)) {
            QueryApi.respond(ctx, cluster.retrying("datasets", () -> local.apply(QueryParams.partitions(ctx))));
            return;
        }
        List<JsonNode> items = new ArrayList<>();
        gather(TieringTopology.DATASET_STATE_STORE, DATASETS_PARTITIONED_LIKE, ctx, local,
                body -> body.get("items").forEach(items::add));
        items.sort(Comparator.comparing(sort::of, sort.order()));
        ArrayNode page = NODES.arrayNode();
        items.stream().limit(limit).forEach(page::add);
        ObjectNode body = NODES.objectNode();
        body.set("items", page);
        String next = null;
        if (items.size() > limit) {
            DatasetSort.Position last = sort.of(page.get(page.size() - 1));
            next = sort.isStoreOrder() ? last.key() : DatasetSort.cursor(last);
        }
        body.put("nextCursor", next);
        QueryApi.respond(ctx, body);
    }

    /** A row of the index and the partition it is in (where its dataset is read from). */
    private record IndexHit(int partition, DatasetIndex.Row row) {
    }

    /** Hands every dataset of a partition to {@code each}, a page of the stores at a time. */
    private void scan(int partition, long now, Consumer<DatasetView> each) {
        Function<String, ReadOnlyKeyValueStore<String, ?>> stores = storesOf(partition);
        String after = null;
        while (true) {
            List<DatasetView> page = DatasetViews.page(stores, after, SCAN_PAGE, v -> true, now);
            page.forEach(each);
            if (page.size() < SCAN_PAGE) {
                return;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    void requireDatasetStoresSettled(int partition) {
        for (String store : DatasetViews.STORES) {
            cluster.requireSettled(store, partition);
        }
    }

    static ArrayNode firstByKey(List<JsonNode> items, int limit) {
        ArrayNode page = NODES.arrayNode();
        items.stream().sorted(Comparator.comparing(item -> item.get("key").asText())).limit(limit).forEach(page::add);
        return page;
    }

    /**
     * Gathers a list from every instance hosting the store: each other instance is asked for its share
     * ({@code scope=local}), this one's is computed in-process, and each share is handed on.
     */
    void gather(String store, Predicate<String> partitionedLike, Context ctx, Function<Set<Integer>, ObjectNode> localShare,
            Consumer<JsonNode> each) {
        // The client's own parameters go on, except the ones that say which share to answer: those are ours to set.
        String query = ctx.queryParamMap().entrySet().stream()
                .filter(e -> !e.getKey().equals("scope") && !e.getKey().equals("partitions"))
                .flatMap(e -> e.getValue().stream().map(v -> enc(e.getKey()) + "=" + enc(v) + "&"))
                .collect(Collectors.joining());
        Set<Integer> own = Set.of();
        for (Cluster.Member member : cluster.members(store, partitionedLike, partitions)) {
            if (cluster.isSelf(member.host())) {
                own = member.partitions();
                continue;
            }
            // The partitions are named: if the peer's view of who owns what differs from ours (a rebalance is
            // under way), it fails instead of silently answering for another set.
            String named = member.partitions().stream().map(String::valueOf).collect(Collectors.joining(","));
            Cluster.Reply reply = cluster.get(member.host(), ctx.path() + "?" + query + "scope=" + SCOPE_LOCAL
                    + "&partitions=" + named);
            if (reply.status() != 200) {
                JsonNode message = reply.body().get("message");
                throw ApiException.unavailable("instance " + member.host().host() + ":" + member.host().port()
                        + " answered " + reply.status() + (message == null ? "" : ": " + message.asText())
                        + "; retry shortly", 1);
            }
            each.accept(reply.body());
        }
        Set<Integer> mine = own;
        each.accept(cluster.retrying("this instance's share", () -> localShare.apply(mine)));
    }

    Function<String, ReadOnlyKeyValueStore<String, ?>> storesOf(int partition) {
        return name -> cluster.localStore(name, partition);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String encodePath(String key) {
        // Slashes stay (dataset keys are paths and the route accepts them); everything else is percent-encoded.
        return Arrays.stream(key.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }
}
