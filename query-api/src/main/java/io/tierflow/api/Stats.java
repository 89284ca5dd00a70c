package io.tierflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tierflow.schemas.CostLedger;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.streams.DatasetView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The figures of {@code /stats}. Each instance computes additive totals over its own partitions (counts, bytes and
 * the cost ledger's sums); the answering instance adds them up and only then derives what is not additive (monthly
 * cost from prices, savings, percentages).
 */
final class Stats {
    private static final double BYTES_PER_GB = 1e9; // decimal GB, as the cost model and price lists use

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

    static void addLedger(ObjectNode totals, CostLedger entry) {
        ObjectNode ledger = totals.withObjectProperty("cost");
        ObjectNode into = entry.getBaseline() ? ledger.withObjectProperty("baseline") : ledger.withObjectProperty("actual");
        addEntry(into, entry);
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
            if (value.isObject()) {
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
        double actual = cost.withObjectProperty("actual").path("totalUsd").asDouble(0);
        double baseline = cost.withObjectProperty("baseline").path("totalUsd").asDouble(0);
        cost.put("savingsUsd", baseline - actual);
        cost.put("savingsPercent", baseline > 0 ? 100 * (baseline - actual) / baseline : 0.0);
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
