package io.tierflow.cli.whatif;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.serde.InMemorySchemaRegistry;
import io.tierflow.streams.SingleTaskReplayConfig;
import io.tierflow.streams.codec.TieringCodecs;
import io.tierflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Replay inputs serialized as the topology's input topics hold them, on a schema registry held in memory
 * ({@code mock://}) that the drivers reading the bytes use too, so the schema ids written are the ones they look up.
 * One encoding per what-if serializes each input once, however many policies replay it. Not thread-safe: one thread
 * encodes.
 */
final class InputEncoding implements AutoCloseable {
    /** An input with the key and value bytes piped into each driver; {@code value} null for a tombstone. */
    record Encoded(ReplayInput input, byte[] key, byte[] value) {
    }

    final String registryUrl;
    private final Serializer<Dataset> datasets;
    private final Serializer<AccessEvent> events;
    private final Serializer<MigrationStatus> statuses;

    /** An encoding on a registry scope of its own, dropped at {@link #close}. */
    InputEncoding() {
        registryUrl = InMemorySchemaRegistry.URL_PREFIX + "whatif-" + UUID.randomUUID();
        Topics topics = Topics.using(SingleTaskReplayConfig.serdeConfig(registryUrl), TieringCodecs.ALL);
        datasets = topics.datasets.valueSerde().serializer();
        events = topics.accessEvents.valueSerde().serializer();
        statuses = topics.migrationStatus.valueSerde().serializer();
    }

    Encoded encode(ReplayInput input) {
        byte[] key = input.key() == null ? null : input.key().getBytes(StandardCharsets.UTF_8);
        byte[] value;
        if (input instanceof ReplayInput.Inventory inventory) {
            value = inventory.dataset() == null ? null : datasets.serialize(Topics.DATASETS, inventory.dataset());
        } else if (input instanceof ReplayInput.Access access) {
            value = events.serialize(Topics.ACCESS_EVENTS, access.event());
        } else if (input instanceof ReplayInput.Status status) {
            value = statuses.serialize(Topics.MIGRATION_STATUS, status.status());
        } else {
            throw new IllegalArgumentException("no encoding for " + input.getClass());
        }
        return new Encoded(input, key, value);
    }

    @Override
    public void close() {
        InMemorySchemaRegistry.drop(registryUrl);
    }
}
