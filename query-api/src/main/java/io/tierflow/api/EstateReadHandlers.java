package io.tierflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.tierflow.schemas.CostLedger;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.streams.DatasetView;
import io.tierflow.streams.DatasetViews;
import io.tierflow.streams.TieringTopology;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The estate-wide reads, {@code /stats} and {@code /migrations}: answers about the whole estate rather than one
 * dataset or one page of the table. Both are answered from the {@link DatasetIndex} that the dataset reads keep (so
 * neither scans every dataset per request), and gathered from every instance through the same machinery as the
 * dataset lists in {@link ReadHandlers}, whose paging and store checks they share.
 */
final class EstateReadHandlers {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ReadHandlers datasets;
    private final ClusterView cluster;
    private final int partitions;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final DatasetIndex index;

    EstateReadHandlers(ReadHandlers datasets, ClusterView cluster, int partitions, Clock clock, MeterRegistry metrics) {
        this.datasets = datasets;
        this.cluster = cluster;
        this.partitions = partitions;
        this.clock = clock;
        this.metrics = metrics;
        this.index = datasets.index();
    }

    /**
     * The datasets with a migration in flight or failed, in key order, a page at a time. The candidates come from the
     * {@link DatasetIndex} (a few seconds old: a migration issued since shows within its refresh), and each is read
     * fresh from the stores and kept only if it is still in the phase asked for; so the list never scans the estate.
     */
    void migrations(Context ctx) {
        String status = ctx.queryParam("status");
        Predicate<DatasetView> filter;
        if (status == null) {
            filter = view -> view.inFlight() != null || view.lastFailure() != null;
        } else if (status.equalsIgnoreCase("FAILED")) {
            filter = view -> view.inFlight() == null && view.lastFailure() != null;
        } else {
            String wanted = status.toUpperCase(Locale.ROOT);
            if (!wanted.equals("ISSUED") && Arrays.stream(MigrationPhase.values()).noneMatch(p -> p.name().equals(wanted))) {
                throw ApiException.badRequest("status must be one of ISSUED, " + Arrays.toString(MigrationPhase.values()));
            }
            filter = view -> view.inFlight() != null && DatasetJson.phase(view).equals(wanted);
        }
        int limit = QueryParams.intParam(ctx, "limit", ReadHandlers.DEFAULT_LIMIT, 1, ReadHandlers.MAX_LIMIT);
        String cursor = ctx.queryParam("cursor");
        datasets.answerPage(ctx, limit, partitions -> {
            index.keepOnly(partitions);
            long now = clock.millis();
            List<JsonNode> items = new ArrayList<>();
            for (int partition : partitions) {
                datasets.requireDatasetStoresSettled(partition);
                List<String> migrating = index.partition(partition).migrating();
                int from = cursor == null ? 0 : firstAfter(migrating, cursor);
                int found = 0;
                for (int i = from; i < migrating.size() && found <= limit; i++) {
                    Optional<DatasetView> view = DatasetViews
                            .get(datasets.storesOf(partition), migrating.get(i), now)
                            .filter(filter);
                    if (view.isPresent()) {
                        items.add(DatasetJson.tree(DatasetJson.MIGRATION_ITEM, view.get()));
                        found++;
                    }
                }
            }
            return NODES.objectNode().set("items", ReadHandlers.firstByKey(items, limit + 1));
        });
    }

    /** The index of the first key after {@code cursor} in keys sorted in String order. */
    private static int firstAfter(List<String> keys, String cursor) {
        int at = Collections.binarySearch(keys, cursor);
        return at >= 0 ? at + 1 : -at - 1;
    }

    /**
     * Tier mix, bytes and monthly storage cost per site from the current placements, and the cost ledger (what has
     * been spent, and what the status-quo baseline, each dataset hot where it was registered, would have cost)
     * summed over every partition.
     */
    void stats(Context ctx) {
        if (QueryParams.isLocal(ctx)) {
            QueryApi.respond(ctx, NODES.objectNode().set("totals",
                    cluster.retrying("stats", () -> localStats(QueryParams.partitions(ctx)))));
            return;
        }
        ObjectNode totals = NODES.objectNode();
        datasets.gather(TieringTopology.DATASET_STATE_STORE, ReadHandlers.DATASETS_PARTITIONED_LIKE, ctx,
                partitions -> NODES.objectNode().set("totals", localStats(partitions)),
                body -> Stats.add(totals, (ObjectNode) body.get("totals")));
        Stats.finish(totals, cluster.globalStore(TieringTopology.SITES_STORE));
        Stats.finishBudget(totals, cluster.globalStore(TieringTopology.POLICIES_STORE), partitions);
        QueryApi.respond(ctx, NODES.objectNode().set("totals", totals));
    }

    /**
     * This instance's share of {@code /stats}: the dataset totals of each partition from the {@link DatasetIndex} (as
     * old as {@code countedAtMs} says, the oldest partition's count), and the cost ledger and waiting moves read now
     * (a few entries per site and tier, and per waiting move).
     */
    private ObjectNode localStats(Set<Integer> partitions) {
        ObjectNode totals = NODES.objectNode();
        totals.set("ingest", IngestFigures.of(metrics));
        index.keepOnly(partitions);
        long oldest = 0;
        for (int partition : partitions) {
            // A partition this node no longer holds fails the share, rather than answering its last count.
            datasets.requireDatasetStoresSettled(partition);
            DatasetIndex.Partition counted = index.partition(partition);
            Stats.add(totals, counted.totals());
            oldest = Math.max(oldest, counted.ageMillis());
            cluster.requireSettled(TieringTopology.COST_LEDGER_STORE, partition);
            ReadOnlyKeyValueStore<String, CostLedger> ledger =
                    cluster.localStore(TieringTopology.COST_LEDGER_STORE, partition);
            try (KeyValueIterator<String, CostLedger> all = ledger.all()) {
                all.forEachRemaining(kv -> Stats.addLedger(totals, kv.value));
            }
            cluster.requireSettled(TieringTopology.MIGRATION_BUDGET_STORE, partition);
            Stats.addWaitingMoves(totals, partition,
                    cluster.localStore(TieringTopology.MIGRATION_BUDGET_STORE, partition));
        }
        if (!partitions.isEmpty()) {
            Stats.countedAt(totals, clock.millis() - oldest);
        }
        return totals;
    }
}
