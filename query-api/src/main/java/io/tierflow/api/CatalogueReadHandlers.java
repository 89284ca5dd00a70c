package io.tierflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tierflow.catalogue.CatalogueRules;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.TierDecision;
import io.tierflow.streams.TieringTopology;
import io.tierflow.streams.domain.TieringPolicy;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The catalogue's reads: sites and policies, from this instance's copy of the global stores (every node has all). */
final class CatalogueReadHandlers {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The policy for every dataset no other policy's scope matches. */
    private static final String DEFAULT_POLICY = CatalogueRules.DEFAULT_POLICY;

    private final ClusterView cluster;

    CatalogueReadHandlers(ClusterView cluster) {
        this.cluster = cluster;
    }

    void sites(Context ctx) {
        QueryApi.respond(ctx, NODES.objectNode().set("items", all(TieringTopology.SITES_STORE, "the sites")));
    }

    /**
     * The policies of the global store, by name, each with its scope and budget share (the console's policy list and
     * editor start from them). Until a policy named {@code default} is published the topology follows its built-in
     * one, which is listed under that name with {@code "builtIn": true}.
     */
    void policies(Context ctx) {
        ArrayNode items = all(TieringTopology.POLICIES_STORE, "the policies");
        boolean defaultPublished = false;
        for (JsonNode item : items) {
            defaultPublished |= item.path("name").asText().equals(DEFAULT_POLICY);
        }
        if (!defaultPublished) {
            ObjectNode builtIn = (ObjectNode) AvroJson.toJson(builtInPolicy());
            builtIn.put("builtIn", true);
            items.insert(0, builtIn);
        }
        QueryApi.respond(ctx, NODES.objectNode().set("items", items));
    }

    /**
     * The topology's built-in policy as the record that would publish it. Its migration budget is a PiB an hour: the
     * built-in policy holds no move back (the topology enforces a budget only once one is published), and a PiB is
     * exact in a JavaScript number, unlike Long.MAX_VALUE.
     */
    static Policy builtInPolicy() {
        TieringPolicy p = TieringPolicy.BUILT_IN;
        return Policy.newBuilder().setName(DEFAULT_POLICY).setHeatHalfLifeSeconds(p.halfLifeMs() / 1000)
                .setOpWeights(Map.copyOf(p.opWeights())).setBytesWeightPerGb(p.bytesWeightPerGb())
                .setHotThreshold(p.hotThreshold()).setWarmThreshold(p.warmThreshold()).setHysteresis(p.hysteresis())
                .setScoreBoost(p.scoreBoost()).setReplicationHot(p.replicationHot())
                .setReplicationWarm(p.replicationWarm()).setReplicationCold(p.replicationCold())
                .setDefaultLatencySlaMs(p.defaultSlaMs()).setEncryptedOnly(p.encryptedOnly())
                .setMigrationBudgetBytesPerHour(1L << 50).setCooldownSeconds(p.cooldownMs() / 1000)
                .setHorizonDays(p.horizonDays()).setDecision(TierDecision.valueOf(p.decision().name()))
                .setRetireGraceSeconds(p.retireGraceMs() / 1000)
                .setLatenessSeconds(p.latenessMs() / 1000).setUpdatedAt(Instant.EPOCH).build();
    }

    /** Every record of a global store as JSON, in key order; {@code what} names it in a 503 while the node starts. */
    private <V extends SpecificRecord> ArrayNode all(String storeName, String what) {
        ReadOnlyKeyValueStore<String, V> store = cluster.globalStore(storeName);
        ArrayNode items = NODES.arrayNode();
        cluster.retrying(what, () -> {
            items.removeAll();
            try (KeyValueIterator<String, V> all = store.all()) {
                all.forEachRemaining(kv -> items.add(AvroJson.toJson(kv.value)));
            }
            return items;
        });
        return items;
    }
}
