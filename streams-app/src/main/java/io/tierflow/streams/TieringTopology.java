package io.tierflow.streams;

import io.tierflow.schemas.DatasetState;
import io.tierflow.topics.Topic;
import io.tierflow.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The tiering topology of DESIGN.md, built in one place and used by the app, the tests and what-if alike.
 *
 * <pre>
 * access-events ─┐
 * datasets ──────┼─▶ dataset-processor ──▶ placements
 * migration-status┘   (dataset-state,       migration-commands
 *                      dataset-due-index)
 * sites, policies, models ─▶ global stores read by dataset-processor
 * </pre>
 * The three inputs are co-partitioned by dataset key, so one processor owns all of a dataset's state.
 */
public final class TieringTopology {
    public static final String DATASET_STATE_STORE = "dataset-state";
    public static final String DUE_INDEX_STORE = "dataset-due-index";
    public static final String SITES_STORE = "sites-store";
    public static final String POLICIES_STORE = "policies-store";
    public static final String MODELS_STORE = "models-store";

    static final String ACCESS_EVENTS_SOURCE = "access-events-source";
    static final String DATASETS_SOURCE = "datasets-source";
    static final String MIGRATION_STATUS_SOURCE = "migration-status-source";
    static final String DATASET_PROCESSOR = "dataset-processor";
    static final String PLACEMENTS_SINK = "placements-sink";
    static final String COMMANDS_SINK = "migration-commands-sink";

    private TieringTopology() {
    }

    public static Topology build(Topics topics, TieringSettings settings) {
        Topology topology = new Topology();
        topology.addSource(Topology.AutoOffsetReset.EARLIEST, ACCESS_EVENTS_SOURCE, new AccessEventTimestamps(),
                Serdes.String().deserializer(), topics.accessEvents.valueSerde().deserializer(), Topics.ACCESS_EVENTS);
        topology.addSource(Topology.AutoOffsetReset.EARLIEST, DATASETS_SOURCE, Serdes.String().deserializer(),
                topics.datasets.valueSerde().deserializer(), Topics.DATASETS);
        topology.addSource(Topology.AutoOffsetReset.EARLIEST, MIGRATION_STATUS_SOURCE, Serdes.String().deserializer(),
                topics.migrationStatus.valueSerde().deserializer(), Topics.MIGRATION_STATUS);

        topology.addProcessor(DATASET_PROCESSOR, () -> new DatasetProcessor(settings),
                ACCESS_EVENTS_SOURCE, DATASETS_SOURCE, MIGRATION_STATUS_SOURCE);
        // Read and written on every access event, and popularity is skewed: the record cache turns a popular
        // dataset's many writes between two commits into one RocksDB write and one changelog record.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DATASET_STATE_STORE),
                Serdes.String(), topics.valueSerde(DatasetState.class)).withCachingEnabled(), DATASET_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DUE_INDEX_STORE),
                Serdes.String(), Serdes.String()), DATASET_PROCESSOR);

        addGlobalStore(topology, topics.sites, SITES_STORE);
        addGlobalStore(topology, topics.policies, POLICIES_STORE);
        addGlobalStore(topology, topics.models, MODELS_STORE);

        topology.addSink(PLACEMENTS_SINK, Topics.PLACEMENTS, Serdes.String().serializer(),
                topics.placements.valueSerde().serializer(), DATASET_PROCESSOR);
        topology.addSink(COMMANDS_SINK, Topics.MIGRATION_COMMANDS, Serdes.String().serializer(),
                topics.migrationCommands.valueSerde().serializer(), DATASET_PROCESSOR);
        return topology;
    }

    private static <V> void addGlobalStore(Topology topology, Topic<String, V> topic, String storeName) {
        // Global stores restore from their topic itself, so they need no changelog of their own.
        StoreBuilder<KeyValueStore<String, V>> store = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(storeName), Serdes.String(), topic.valueSerde()).withLoggingDisabled();
        topology.addGlobalStore(store, topic.name() + "-global-source", Serdes.String().deserializer(),
                topic.valueSerde().deserializer(), topic.name(), topic.name() + "-global-updater",
                () -> new GlobalStoreUpdater<>(storeName));
    }
}
