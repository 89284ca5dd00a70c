package io.tierflow.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tierflow.schemas.Placement;
import io.tierflow.streams.ActivityView;
import io.tierflow.streams.DatasetView;
import java.time.Instant;

/** The JSON shapes of a dataset: whole ({@code /datasets/{key}}), a list item, its explanation, a migration. */
final class DatasetJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DatasetJson() {
    }

    static ObjectNode full(DatasetView view) {
        ObjectNode node = NODES.objectNode();
        node.put("key", view.key());
        node.put("tier", view.tier() == null ? null : view.tier().name());
        node.set("inventory", view.inventory() == null ? NODES.nullNode() : AvroJson.toJson(view.inventory()));
        node.set("activity", activity(view.activity()));
        node.set("actual", actual(view));
        node.set("desired", desired(view.lastDecision()));
        node.set("migration", migration(view));
        node.put("lastFailure", view.lastFailure());
        node.put("nextEvaluationAt", instant(view.dueAt()));
        node.put("lastMoveAt", instant(view.lastMoveAt()));
        return node;
    }

    static ObjectNode summary(DatasetView view) {
        ObjectNode node = NODES.objectNode();
        node.put("key", view.key());
        node.put("tier", view.tier() == null ? null : view.tier().name());
        node.put("sizeBytes", view.inventory() == null ? null : view.inventory().getSizeBytes());
        node.put("primarySite", view.primarySite());
        node.set("replicaSites", NODES.pojoNode(view.replicaSites()));
        node.put("heat", view.activity().heat());
        node.put("count1h", view.activity().count1h());
        node.put("count24h", view.activity().count24h());
        node.put("migrationPhase", view.inFlight() == null ? null : phase(view));
        return node;
    }

    static ObjectNode explain(DatasetView view) {
        ObjectNode node = NODES.objectNode();
        node.put("key", view.key());
        node.set("actual", actual(view));
        Placement decision = view.lastDecision();
        node.set("decision", decision == null ? NODES.nullNode() : AvroJson.toJson(decision));
        if (decision == null) {
            node.put("reason", "not evaluated yet: a dataset is placed once its inventory entry and a site "
                    + "catalogue are known");
        }
        return node;
    }

    /** A dataset with a migration in flight, or whose last migration failed (phase FAILED, no command). */
    static ObjectNode migrationItem(DatasetView view) {
        ObjectNode node = view.inFlight() != null ? migration(view) : NODES.objectNode().put("phase", "FAILED");
        node.put("key", view.key());
        node.put("lastFailure", view.lastFailure());
        return node;
    }

    private static ObjectNode activity(ActivityView activity) {
        ObjectNode node = NODES.objectNode();
        node.put("count1h", activity.count1h());
        node.put("count24h", activity.count24h());
        node.put("heat", activity.heat());
        node.put("heatAt", instant(activity.heatAt()));
        node.put("lastAccess", instant(activity.lastAccess()));
        ObjectNode regions = node.putObject("regionDemandBytes");
        activity.regionDemand().forEach(regions::put);
        node.put("forecastHourlyRate", activity.forecastHourlyRate());
        node.put("totalEvents", activity.totalEvents());
        return node;
    }

    private static ObjectNode actual(DatasetView view) {
        ObjectNode node = NODES.objectNode();
        node.put("primarySite", view.primarySite());
        node.set("replicaSites", NODES.pojoNode(view.replicaSites()));
        node.put("storageClass", view.storageClass());
        return node;
    }

    private static ObjectNode desired(Placement decision) {
        if (decision == null) {
            return null;
        }
        ObjectNode node = NODES.objectNode();
        node.put("tier", decision.getTier().name());
        node.put("primarySite", decision.getPrimarySite());
        node.set("replicaSites", NODES.pojoNode(decision.getReplicaSites()));
        node.put("storageClass", decision.getStorageClass());
        node.put("objectiveUsdPerMonth", decision.getObjectiveUsdPerMonth());
        node.put("decidedAt", decision.getDecidedAt().toString());
        return node;
    }

    private static ObjectNode migration(DatasetView view) {
        if (view.inFlight() == null) {
            return null;
        }
        ObjectNode node = NODES.objectNode();
        node.put("phase", phase(view));
        node.set("command", AvroJson.toJson(view.inFlight()));
        return node;
    }

    /** The phase of the in-flight command; ISSUED before the migrator has reported anything. */
    static String phase(DatasetView view) {
        return view.inFlightPhase() == null ? "ISSUED" : view.inFlightPhase().name();
    }

    private static String instant(long epochMillis) {
        return epochMillis <= 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
