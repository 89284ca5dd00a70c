package io.tierflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tierflow.schemas.Model;
import io.tierflow.streams.TieringTopology;
import io.tierflow.streams.domain.LiveModelFigures;
import io.tierflow.streams.domain.LogisticScorer;
import io.tierflow.streams.domain.ScoringModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code /models} and {@code /models/{name}}: each published model (the built-in one while none is published as
 * {@code current}) with what it was trained for and its training metrics, and how its live predictions compared with
 * what happened: precision at its threshold, Brier score, mean predicted against observed rate (calibration) and
 * whether they drifted from the training figures. The live figures are summed over every instance's dataset tasks,
 * gathered like the other lists.
 */
final class ModelHandlers {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ClusterView cluster;
    private final AlertHandlers.Gather gather;

    ModelHandlers(ClusterView cluster, AlertHandlers.Gather gather) {
        this.cluster = cluster;
        this.gather = gather;
    }

    /** {@code GET /models}: every model, {@code current} first, then by name. */
    void models(Context ctx) {
        if (QueryParams.isLocal(ctx)) {
            QueryApi.respond(ctx, localShare(QueryParams.partitions(ctx)));
            return;
        }
        QueryApi.respond(ctx, NODES.objectNode().set("items", items(ctx, null)));
    }

    /** {@code GET /models/{name}}: one model; 404 if none is published under the name. */
    void model(Context ctx) {
        if (QueryParams.isLocal(ctx)) {
            QueryApi.respond(ctx, localShare(QueryParams.partitions(ctx)));
            return;
        }
        String name = ctx.pathParam("name");
        ArrayNode items = items(ctx, name);
        if (items.isEmpty()) {
            throw ApiException.notFound("no model '" + name + "'");
        }
        QueryApi.respond(ctx, (ObjectNode) items.get(0));
    }

    /**
     * The models (only the one called {@code only}, if not null), each with its role ({@code current}; {@code shadow}
     * for a candidate scoring next to it; {@code idle} for one published under a name no instance scores) and its live
     * figures (null while it has none).
     */
    private ArrayNode items(Context ctx, String only) {
        Map<String, ObjectNode> published = new LinkedHashMap<>();
        ReadOnlyKeyValueStore<String, Model> store = cluster.globalStore(TieringTopology.MODELS_STORE);
        cluster.retrying("the models", () -> {
            published.clear();
            try (KeyValueIterator<String, Model> all = store.all()) {
                all.forEachRemaining(kv -> published.put(kv.key, (ObjectNode) AvroJson.toJson(kv.value)));
            }
            return published;
        });
        if (!published.containsKey(ScoringModel.CURRENT)) {
            published.put(ScoringModel.CURRENT, builtIn());
        }
        if (only != null) {
            published.keySet().retainAll(Set.of(only));
            if (published.isEmpty()) {
                return NODES.arrayNode(); // no need to ask every instance about a model that does not exist
            }
        }
        Map<String, LiveModelFigures> live = new LinkedHashMap<>();
        gather.gather(TieringTopology.DATASET_STATE_STORE, ReadHandlers.DATASETS_PARTITIONED_LIKE, ctx,
                this::localShare, body -> body.path("items").forEach(item -> {
                    LiveModelFigures f = figures(item);
                    live.merge(f.name() + "\u0000" + f.version(), f, LiveModelFigures::plus);
                }));
        List<String> names = new ArrayList<>(published.keySet());
        names.sort(Comparator.comparing((String name) -> !name.equals(ScoringModel.CURRENT))
                .thenComparing(Comparator.naturalOrder()));
        ArrayNode items = NODES.arrayNode();
        for (String name : names) {
            ObjectNode item = published.get(name);
            LiveModelFigures f = live.get(name + "\u0000" + item.path("version").asText());
            item.put("role", name.equals(ScoringModel.CURRENT) ? "current" : f != null ? "shadow" : "idle");
            item.set("live", f == null ? NODES.nullNode() : liveJson(f));
            items.add(item);
        }
        return items;
    }

    private ObjectNode localShare(Set<Integer> partitions) {
        ArrayNode items = NODES.arrayNode();
        cluster.liveModels(partitions).forEach(f -> items.add(figuresJson(f)));
        return NODES.objectNode().set("items", items);
    }

    /** The built-in scorer as the record that would publish it, marked {@code "builtIn": true}. */
    private static ObjectNode builtIn() {
        ScoringModel model = ScoringModel.BUILT_IN;
        ObjectNode json = NODES.objectNode();
        json.put("name", model.name()).put("version", model.version()).put("kind", "logistic")
                .put("intercept", LogisticScorer.BUILT_IN.intercept());
        ArrayNode features = json.putArray("features");
        for (LogisticScorer.Weight w : LogisticScorer.BUILT_IN.weights()) {
            features.addObject().put("name", w.feature()).put("mean", w.mean()).put("scale", w.scale())
                    .put("coefficient", w.coefficient());
        }
        json.putObject("metrics");
        json.put("target", model.target()).put("horizonSeconds", model.horizonMs() / 1000)
                .put("threshold", model.threshold()).put("builtIn", true);
        return json;
    }

    /** Every sum of the figures, as one instance hands them to another ({@link #figures} reads them back). */
    static ObjectNode figuresJson(LiveModelFigures f) {
        ObjectNode json = NODES.objectNode();
        json.put("name", f.name()).put("version", f.version()).put("threshold", f.threshold());
        number(json, "trainingBrier", f.trainingBrier());
        number(json, "trainingPositiveRate", f.trainingPositiveRate());
        json.put("driftMargin", f.driftMargin()).put("pending", f.pending()).put("skipped", f.skipped())
                .put("labelled", f.labelled()).put("positives", f.positives())
                .put("predictedPositives", f.predictedPositives()).put("truePositives", f.truePositives())
                .put("sumPredicted", f.sumPredicted()).put("sumSquaredError", f.sumSquaredError());
        return json;
    }

    static LiveModelFigures figures(JsonNode json) {
        return new LiveModelFigures(json.path("name").asText(), json.path("version").asText(),
                json.path("threshold").asDouble(), numberOrNaN(json.get("trainingBrier")),
                numberOrNaN(json.get("trainingPositiveRate")), json.path("driftMargin").asDouble(),
                json.path("pending").asLong(), json.path("skipped").asLong(), json.path("labelled").asLong(),
                json.path("positives").asLong(), json.path("predictedPositives").asLong(),
                json.path("truePositives").asLong(), json.path("sumPredicted").asDouble(),
                json.path("sumSquaredError").asDouble());
    }

    /** What a client reads of the figures: the counts and the measures derived from them (null while undefined). */
    static ObjectNode liveJson(LiveModelFigures f) {
        ObjectNode json = NODES.objectNode();
        json.put("version", f.version()).put("pending", f.pending()).put("skipped", f.skipped())
                .put("predictions", f.labelled()).put("positives", f.positives())
                .put("predictedPositives", f.predictedPositives()).put("truePositives", f.truePositives());
        number(json, "precision", f.precision());
        number(json, "recall", f.recall());
        number(json, "brier", f.brier());
        number(json, "meanPredicted", f.meanPredicted());
        number(json, "observedRate", f.observedRate());
        number(json, "trainingBrier", f.trainingBrier());
        number(json, "trainingPositiveRate", f.trainingPositiveRate());
        json.put("driftMargin", f.driftMargin()).put("drift", f.drifted());
        ArrayNode reasons = json.putArray("driftReasons");
        f.driftReasons().forEach(reasons::add);
        return json;
    }

    /** JSON has no NaN: an undefined measure is null. */
    private static void number(ObjectNode json, String field, double value) {
        if (Double.isFinite(value)) {
            json.put(field, value);
        } else {
            json.putNull(field);
        }
    }

    private static double numberOrNaN(JsonNode node) {
        return node == null || node.isNull() ? Double.NaN : node.asDouble();
    }
}
