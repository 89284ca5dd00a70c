package io.tierflow.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.ReplicationStatus;
import io.tierflow.streams.ActivityView;
import io.tierflow.streams.DatasetView;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of a dataset: whole ({@code /datasets/{key}}), a list item, its explanation, a migration. Each shape
 * is written field by field with a streaming generator: a single dataset's answer goes straight into the response (the
 * API's most frequent request builds no tree, no String and no byte array), and list items become trees only because lists are
 * merged and sorted across instances before they are written.
 */
final class DatasetJson {
    private static final ObjectMapper TREES = new ObjectMapper();
    /** Generators that leave their target open and unflushed (see {@link #write}). */
    private static final JsonFactory STREAMING = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM).build();

    /** The fields of one shape of a dataset, written into a JSON object the caller has opened. */
    @FunctionalInterface
    interface Shape {
        void writeFields(JsonGenerator json, DatasetView view) throws IOException;
    }

    static final Shape FULL = DatasetJson::full;
    static final Shape EXPLAIN = DatasetJson::explain;
    static final Shape SUMMARY = DatasetJson::summary;
    static final Shape MIGRATION_ITEM = DatasetJson::migrationItem;

    private DatasetJson() {
    }

    /**
     * Writes a single dataset's answer, the shape's fields and the instance that answered, as UTF-8 JSON into
     * {@code out}, which it neither flushes nor closes: a flush would commit an HTTP response before it is complete
     * (so it would go out chunked, without a Content-Length), and the server closes it.
     */
    static void write(OutputStream out, Shape shape, DatasetView view, String instance) {
        try (JsonGenerator json = STREAMING.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            shape.writeFields(json, view);
            json.writeStringField("instance", instance);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the answer", e);
        }
    }

    /** The shape as a tree, for lists (merged and sorted before they are written). */
    static ObjectNode tree(Shape shape, DatasetView view) {
        TokenBuffer buffer = new TokenBuffer(TREES, false);
        try {
            buffer.writeStartObject();
            shape.writeFields(buffer, view);
            buffer.writeEndObject();
            return TREES.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: a token buffer is in memory", e);
        }
    }

    private static void full(JsonGenerator json, DatasetView view) throws IOException {
        json.writeStringField("key", view.key());
        json.writeStringField("tier", view.tier() == null ? null : view.tier().name());
        json.writeFieldName("inventory");
        if (view.inventory() == null) {
            json.writeNull();
        } else {
            AvroJson.write(json, view.inventory());
        }
        json.writeFieldName("activity");
        activity(json, view.activity());
        json.writeFieldName("actual");
        actual(json, view);
        json.writeFieldName("desired");
        desired(json, view.lastDecision());
        json.writeFieldName("replication");
        replication(json, view.lastDecision());
        json.writeFieldName("migration");
        migration(json, view);
        json.writeStringField("lastFailure", view.lastFailure());
        instantField(json, "nextEvaluationAt", view.dueAt());
        instantField(json, "lastMoveAt", view.lastMoveAt());
    }

    private static void summary(JsonGenerator json, DatasetView view) throws IOException {
        json.writeStringField("key", view.key());
        json.writeStringField("tier", view.tier() == null ? null : view.tier().name());
        json.writeFieldName("sizeBytes");
        if (view.inventory() == null) {
            json.writeNull();
        } else {
            json.writeNumber(view.inventory().getSizeBytes());
        }
        json.writeStringField("owner", view.inventory() == null ? null : view.inventory().getOwner());
        json.writeStringField("primarySite", view.primarySite());
        json.writeFieldName("replicaSites");
        strings(json, view.replicaSites());
        json.writeNumberField("heat", view.activity().heat());
        json.writeNumberField("count1h", view.activity().count1h());
        json.writeNumberField("count24h", view.activity().count24h());
        json.writeStringField("migrationPhase", view.inFlight() == null ? null : phase(view));
    }

    private static void explain(JsonGenerator json, DatasetView view) throws IOException {
        json.writeStringField("key", view.key());
        json.writeFieldName("actual");
        actual(json, view);
        Placement decision = view.lastDecision();
        json.writeFieldName("decision");
        if (decision == null) {
            json.writeNull();
            json.writeStringField("reason", "not evaluated yet: a dataset is placed once its inventory entry and a "
                    + "site catalogue are known");
        } else {
            AvroJson.write(json, decision);
        }
        // When the primary entered its class: the global pass prices the early deletion of a move from it.
        instantField(json, "lastMoveAt", view.lastMoveAt());
    }

    /** A dataset with a migration in flight, or whose last migration failed (phase FAILED, no command). */
    private static void migrationItem(JsonGenerator json, DatasetView view) throws IOException {
        if (view.inFlight() != null) {
            migrationFields(json, view);
        } else {
            json.writeStringField("phase", "FAILED");
        }
        json.writeStringField("key", view.key());
        json.writeStringField("lastFailure", view.lastFailure());
    }

    private static void activity(JsonGenerator json, ActivityView activity) throws IOException {
        json.writeStartObject();
        json.writeNumberField("count1h", activity.count1h());
        json.writeNumberField("count24h", activity.count24h());
        json.writeNumberField("heat", activity.heat());
        instantField(json, "heatAt", activity.heatAt());
        instantField(json, "lastAccess", activity.lastAccess());
        json.writeObjectFieldStart("regionDemandBytes");
        for (Map.Entry<String, Double> region : activity.regionDemand().entrySet()) {
            json.writeFieldName(region.getKey());
            if (region.getValue() == null) {
                json.writeNull();
            } else {
                json.writeNumber(region.getValue());
            }
        }
        json.writeEndObject();
        json.writeNumberField("forecastHourlyRate", activity.forecastHourlyRate());
        json.writeNumberField("totalEvents", activity.totalEvents());
        json.writeEndObject();
    }

    private static void actual(JsonGenerator json, DatasetView view) throws IOException {
        json.writeStartObject();
        json.writeStringField("primarySite", view.primarySite());
        json.writeFieldName("replicaSites");
        strings(json, view.replicaSites());
        json.writeStringField("storageClass", view.storageClass());
        json.writeEndObject();
    }

    private static void desired(JsonGenerator json, Placement decision) throws IOException {
        if (decision == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeStringField("tier", decision.getTier().name());
        json.writeStringField("primarySite", decision.getPrimarySite());
        json.writeFieldName("replicaSites");
        strings(json, decision.getReplicaSites());
        json.writeStringField("storageClass", decision.getStorageClass());
        json.writeNumberField("objectiveUsdPerMonth", decision.getObjectiveUsdPerMonth());
        json.writeFieldName("decidedAt");
        IsoInstants.write(json, decision.getDecidedAt());
        json.writeEndObject();
    }

    /** Copies verified against wanted and the write quorum, as of the last decision; null before one reported it. */
    private static void replication(JsonGenerator json, Placement decision) throws IOException {
        ReplicationStatus replication = decision == null ? null : decision.getExplanation().getReplication();
        if (replication == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeNumberField("copiesVerified", replication.getCopiesVerified());
        json.writeNumberField("copiesWanted", replication.getCopiesWanted());
        json.writeNumberField("writeQuorum", replication.getWriteQuorum());
        json.writeBooleanField("durable", replication.getDurable());
        json.writeStringField("repair", replication.getRepair());
        json.writeEndObject();
    }

    private static void migration(JsonGenerator json, DatasetView view) throws IOException {
        if (view.inFlight() == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        migrationFields(json, view);
        json.writeEndObject();
    }

    private static void migrationFields(JsonGenerator json, DatasetView view) throws IOException {
        json.writeStringField("phase", phase(view));
        json.writeFieldName("command");
        AvroJson.write(json, view.inFlight());
    }

    private static void strings(JsonGenerator json, List<String> values) throws IOException {
        json.writeStartArray();
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    /** The phase of the in-flight command; ISSUED before the migrator has reported anything. */
    static String phase(DatasetView view) {
        return view.inFlightPhase() == null ? "ISSUED" : view.inFlightPhase().name();
    }

    /** An instant field; 0 or less means "never" and is written as null. */
    private static void instantField(JsonGenerator json, String name, long epochMillis) throws IOException {
        json.writeFieldName(name);
        if (epochMillis <= 0) {
            json.writeNull();
        } else {
            IsoInstants.write(json, epochMillis);
        }
    }
}
