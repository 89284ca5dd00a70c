package io.tierflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tierflow.schemas.CostLedger;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.streams.DatasetView;
import io.tierflow.streams.MigrationBudgetCodec;
import io.tierflow.streams.domain.MigrationBudget;
import io.tierflow.streams.domain.cost.StatusQuo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The figures of {@code /stats}. Each instance computes additive totals over its own partitions (counts, bytes and
 * the cost ledger's sums); the answering instance adds them up and only then derives what is not additive (monthly
 * cost from prices, savings, percentages). The baseline the savings are measured against is the status quo, each
 * dataset hot where it was registered ({@link StatusQuo}), named in {@code cost.baseline.description}.
 */
final class Stats {
    private static final double BYTES_PER_GB = 1e9; // decimal GB, as the cost model and price lists use
    /** Savings are given as a percentage only over at least this much ledger... */
    static final long MIN_SAVINGS_PERIOD_MS = 3_600_000;
    /** ...and once the baseline has cost at least this much: a percentage of next to nothing means nothing. */
    static final double MIN_SAVINGS_BASELINE_USD = 0.01;
    /** The period the ledger covers: its earliest start and latest update, merged by min and max, not added. */
    private static final String PERIOD = "period";
    private static final String PERIOD_FROM = "fromMs";
    private static final String PERIOD_TO = "toMs";
    /**
     * When the dataset figures (counts, bytes, tiers, sites, the backlog by phase) were counted, epoch ms: the oldest
     * count of any partition, merged by min. The cost ledger and the waiting moves are read at the answer.
     */
    static final String COUNTED_AT_MS = "countedAtMs";
    /** The moves waiting for the migration budget, under {@code migrations}. */
    static final String WAITING = "waitingForBudget";
    private static final String BY_PARTITION = "bytesByPartition";
    /** The policy whose budget is in force. */
    private static final String DEFAULT_POLICY = "default";

    private Stats() {
    }

    static void countDataset(ObjectNode totals, DatasetView view) {
        increment(totals, "datasets", 1);
        // The migration backlog by phase; FAILED is a dataset whose last step failed and that has none in flight.
        if (view.inFlight() != null) {
            increment(totals.withObjectProperty("migrations"), DatasetJson.phase(view), 1);
        } else if (view.lastFailure() != null) {
            increment(totals.withObjectProperty("migrations"), "FAILED", 1);
        }
        if (view.inventory() == null) {
            return; // only events seen: nothing stored anywhere yet
        }
        long bytes = view.inventory().getSizeBytes();
        String tier = view.tier() == null ? "UNDECIDED" : view.tier().name();
        ObjectNode byTier = totals.withObjectProperty("tiers").withObjectProperty(tier);
        increment(byTier, "datasets", 1);
        increment(byTier, "bytes", bytes);
        List<String> copies = new ArrayList<>();
        if (view.primarySite() != null) {
            copies.add(view.primarySite());
        }
        copies.addAll(view.replicaSites());
        for (String site : copies) {
            ObjectNode bySite = totals.withObjectProperty("sites").withObjectProperty(site);
            increment(bySite, "copies", 1);
            increment(bySite, "bytes", bytes);
            increment(bySite.withObjectProperty("bytesByTier"), tier, bytes);
        }
    }

    /** Says the dataset figures of a share were counted at {@code epochMs} (an earlier one already there stands). */
    static void countedAt(ObjectNode totals, long epochMs) {
        if (!totals.has(COUNTED_AT_MS) || epochMs < totals.get(COUNTED_AT_MS).asLong()) {
            totals.put(COUNTED_AT_MS, epochMs);
        }
    }

    static void addLedger(ObjectNode totals, CostLedger entry) {
        ObjectNode ledger = totals.withObjectProperty("cost");
        ObjectNode into = entry.getBaseline() ? ledger.withObjectProperty("baseline") : ledger.withObjectProperty("actual");
        addEntry(into, entry);
        ObjectNode period = ledger.withObjectProperty(PERIOD);
        if (entry.getSince() > 0) {
            mergePeriod(period, PERIOD_FROM, entry.getSince(), true);
        }
        if (entry.getUpdatedAt() > 0) {
            mergePeriod(period, PERIOD_TO, entry.getUpdatedAt(), false);
        }
        if (!entry.getBaseline()) {
            addEntry(totals.withObjectProperty("sites").withObjectProperty(entry.getSite()).withObjectProperty("accrued"), entry);
        }
    }

    private static void addEntry(ObjectNode into, CostLedger entry) {
        increment(into, "storageUsd", entry.getStorageUsd());
        increment(into, "egressUsd", entry.getEgressUsd());
        increment(into, "requestUsd", entry.getRequestUsd());
        increment(into, "retrievalUsd", entry.getRetrievalUsd());
        increment(into, "totalUsd", entry.getStorageUsd() + entry.getEgressUsd() + entry.getRequestUsd()
                + entry.getRetrievalUsd());
        increment(into, "reads", entry.getReads());
        increment(into, "bytesRead", entry.getBytesRead());
        increment(into, "slaMisses", entry.getSlaMisses());
    }

    /** Adds every number of {@code from} into {@code into}, field by field, objects recursively. */
    static void add(ObjectNode into, ObjectNode from) {
        for (Map.Entry<String, JsonNode> field : from.properties()) {
            JsonNode value = field.getValue();
            if (field.getKey().equals(COUNTED_AT_MS)) {
                countedAt(into, value.asLong());
            } else if (value.isObject() && field.getKey().equals(PERIOD)) {
                ObjectNode period = into.withObjectProperty(PERIOD);
                if (value.has(PERIOD_FROM)) {
                    mergePeriod(period, PERIOD_FROM, value.get(PERIOD_FROM).asLong(), true);
                }
                if (value.has(PERIOD_TO)) {
                    mergePeriod(period, PERIOD_TO, value.get(PERIOD_TO).asLong(), false);
                }
            } else if (value.isObject()) {
                add(into.withObjectProperty(field.getKey()), (ObjectNode) value);
            } else if (value.isIntegralNumber()) {
                increment(into, field.getKey(), value.asLong());
            } else if (value.isNumber()) {
                increment(into, field.getKey(), value.asDouble());
            }
        }
    }

    /** Derives the non-additive figures once all shares are added: monthly storage cost and savings. */
    static void finish(ObjectNode totals, ReadOnlyKeyValueStore<String, Site> sites) {
        if (totals.has(COUNTED_AT_MS)) {
            totals.put("countedAt", Instant.ofEpochMilli(totals.get(COUNTED_AT_MS).asLong()).toString());
        }
        if (totals.has("sites")) {
            totals.get("sites").properties().forEach(entry -> {
                Site site = sites.get(entry.getKey());
                ObjectNode bySite = (ObjectNode) entry.getValue();
                double monthly = 0;
                if (site != null && bySite.has("bytesByTier")) {
                    for (Map.Entry<String, JsonNode> tier : bySite.get("bytesByTier").properties()) {
                        monthly += tier.getValue().asLong() / BYTES_PER_GB * pricePerGbMonth(site, tier.getKey());
                    }
                }
                bySite.put("monthlyStorageUsd", monthly);
            });
        }
        ObjectNode cost = totals.withObjectProperty("cost");
        // Says what the savings are measured against: the status quo, not a store the data was never in.
        cost.withObjectProperty("baseline").put("description", StatusQuo.DESCRIPTION);
        double actual = cost.withObjectProperty("actual").path("totalUsd").asDouble(0);
        double baseline = cost.withObjectProperty("baseline").path("totalUsd").asDouble(0);
        ObjectNode period = cost.withObjectProperty(PERIOD);
        long from = period.path(PERIOD_FROM).asLong(0);
        long to = period.path(PERIOD_TO).asLong(0);
        long covered = from > 0 && to > from ? to - from : 0;
        if (covered > 0) {
            period.put("from", Instant.ofEpochMilli(from).toString());
            period.put("to", Instant.ofEpochMilli(to).toString());
            period.put("hours", covered / 3_600_000.0);
        }
        cost.put("savingsUsd", baseline - actual);
        String notMeaningful = covered == 0 ? "no cost recorded yet"
                : covered < MIN_SAVINGS_PERIOD_MS ? String.format(Locale.ROOT,
                        "only %.0f minutes of cost ledger; savings are given as a percentage from one hour on",
                        covered / 60_000.0)
                : baseline < MIN_SAVINGS_BASELINE_USD ? String.format(Locale.ROOT,
                        "the baseline has cost only $%.4f so far; savings are given as a percentage from $%.2f on",
                        baseline, MIN_SAVINGS_BASELINE_USD)
                : null;
        if (notMeaningful == null) {
            cost.put("savingsPercent", 100 * (baseline - actual) / baseline);
            cost.remove("savingsNote");
        } else {
            cost.putNull("savingsPercent");
            cost.put("savingsNote", notMeaningful);
        }
    }

    /** The moves of one partition waiting for the migration budget (its {@code migration-budget} store). */
    static void addWaitingMoves(ObjectNode totals, int partition, ReadOnlyKeyValueStore<String, byte[]> budget) {
        ObjectNode waiting = totals.withObjectProperty("migrations").withObjectProperty(WAITING);
        increment(waiting, "moves", 0);
        increment(waiting, "bytes", 0L);
        // Every entry: besides the waiting moves the store holds only the copies of the last hour or so.
        try (KeyValueIterator<String, byte[]> entries = budget.all()) {
            while (entries.hasNext()) {
                var entry = entries.next();
                MigrationBudget.Move move = MigrationBudgetCodec.move(entry.key, entry.value);
                if (move != null) {
                    increment(waiting, "moves", 1);
                    increment(waiting, "bytes", move.bytes());
                    // Per partition, to derive the drain time once all are in: each partition drains at its share.
                    increment(waiting.withObjectProperty(BY_PARTITION), Integer.toString(partition), move.bytes());
                }
            }
        }
    }

    /**
     * Derives, once every partition's waiting moves are added, the time they take to drain at the budget of the policy
     * in force: the partitions drain side by side, each at its share (the budget over {@code partitions}), so it is
     * the longest of theirs. Null with a budget of zero and moves waiting (they never drain: only evacuations move).
     */
    static void finishBudget(ObjectNode totals, ReadOnlyKeyValueStore<String, Policy> policies, int partitions) {
        ObjectNode waiting = totals.withObjectProperty("migrations").withObjectProperty(WAITING);
        Policy policy = policies.get(DEFAULT_POLICY);
        long budget = policy == null ? MigrationBudget.UNLIMITED : policy.getMigrationBudgetBytesPerHour();
        long share = MigrationBudget.shareOf(budget, partitions);
        long largest = 0;
        if (waiting.has(BY_PARTITION)) {
            for (Map.Entry<String, JsonNode> p : waiting.get(BY_PARTITION).properties()) {
                largest = Math.max(largest, p.getValue().asLong());
            }
            waiting.remove(BY_PARTITION);
        }
        if (budget == MigrationBudget.UNLIMITED) {
            waiting.putNull("budgetBytesPerHour");
        } else {
            waiting.put("budgetBytesPerHour", budget);
        }
        if (largest == 0 || budget == MigrationBudget.UNLIMITED) {
            waiting.put("drainSeconds", 0.0);
        } else if (share == 0) {
            waiting.putNull("drainSeconds");
            waiting.put("drainNote", "a budget of " + budget + " bytes an hour over " + partitions
                    + " partitions moves nothing but evacuations of a site marked down");
        } else {
            waiting.put("drainSeconds", (double) largest / share * 3600);
        }
    }

    private static void mergePeriod(ObjectNode period, String field, long value, boolean earliest) {
        if (!period.has(field) || (earliest ? value < period.get(field).asLong() : value > period.get(field).asLong())) {
            period.put(field, value);
        }
    }

    /** Price of the cheapest storage class the site offers for a tier (replicas are not told their class). */
    private static double pricePerGbMonth(Site site, String tier) {
        return site.getStorageClasses().stream().filter(c -> c.getTier().name().equals(tier))
                .mapToDouble(StorageClassPrice::getStoragePricePerGbMonth).min().orElse(0.0);
    }

    private static void increment(ObjectNode node, String field, long delta) {
        node.put(field, node.path(field).asLong(0) + delta);
    }

    private static void increment(ObjectNode node, String field, double delta) {
        node.put(field, node.path(field).asDouble(0) + delta);
    }
}
