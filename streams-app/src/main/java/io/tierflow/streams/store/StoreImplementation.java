package io.tierflow.streams.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * How the stores written on every access event are built, opened by the processor and read by the API: the one choice
 * between relying on Kafka Streams internals for speed and using its public API only. Everything in Tierflow that
 * touches Kafka Streams internals is in this package, behind this enum and {@link UpdatableStore} (see
 * docs/kafka-upgrade.md).
 */
public enum StoreImplementation {
    /**
     * The fast one (the default): {@link WriteBehindStore} holds values as objects and writes them at each commit
     * (internal {@code CachedStateStore}); the processor unwraps it from Kafka Streams' decorator (internal
     * {@code WrappedStateStore}); the API reads a task's store directly (internal {@code StateStoreProvider}).
     */
    WRITE_BEHIND("write-behind") {
        @Override
        public <V> StoreBuilder<?> builder(String name, Serde<V> valueSerde, UnaryOperator<V> copy, int maxHeld) {
            return WriteBehindStoreBuilder.persistent(name, valueSerde, copy, maxHeld);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> UpdatableStore<V> open(StateStore store) {
            StateStore inner = store;
            while (!(inner instanceof WriteBehindStore) && inner instanceof WrappedStateStore<?, ?, ?> wrapper) {
                inner = wrapper.wrapped();
            }
            if (inner instanceof WriteBehindStore<?> writeBehind) {
                return (WriteBehindStore<V>) writeBehind;
            }
            throw new IllegalStateException("store " + store.name() + " is not a write-behind store: "
                    + store.getClass());
        }

        @Override
        public QueryableStoreType<ReadOnlyKeyValueStore<?, ?>> partitionQuery() {
            return TaskStoreQuery.INSTANCE;
        }
    },
    /**
     * Kafka Streams' public API only, safe on any version: a persistent store with the record cache; every change
     * deserializes and serializes the value; the API reads through Kafka Streams' own wrapper.
     */
    STOCK("stock") {
        @Override
        public <V> StoreBuilder<?> builder(String name, Serde<V> valueSerde, UnaryOperator<V> copy, int maxHeld) {
            return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde)
                    .withCachingEnabled();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> UpdatableStore<V> open(StateStore store) {
            if (store instanceof KeyValueStore<?, ?> keyValue) {
                return new StockStore<>((KeyValueStore<String, V>) keyValue);
            }
            throw new IllegalStateException("store " + store.name() + " is not a key-value store: " + store.getClass());
        }

        @Override
        @SuppressWarnings("unchecked") // any key and value type: the caller knows the store's
        public QueryableStoreType<ReadOnlyKeyValueStore<?, ?>> partitionQuery() {
            return (QueryableStoreType<ReadOnlyKeyValueStore<?, ?>>) (QueryableStoreType<?>)
                    QueryableStoreTypes.keyValueStore();
        }
    },
    /**
     * State in memory and not logged: for a topology run inside Kafka's TopologyTestDriver ({@code tierflow whatif});
     * a persistent store would flush RocksDB to a new file at each of the driver's commits. The stores written on
     * every access event or migration step (activity, ledger and the dataset records) hold their values as objects,
     * never serialized ({@link HeldInMemoryStore}): a get is a copy, a put keeps the object, a commit writes nothing.
     * The others keep bytes in a hash map ({@link HashedInMemoryStore}), not Kafka's sorted one: the topology reads
     * and writes them by key. Never for a live node: nothing of it survives a restart.
     */
    IN_MEMORY("in-memory") {
        @Override
        public <V> StoreBuilder<?> builder(String name, Serde<V> valueSerde, UnaryOperator<V> copy, int maxHeld) {
            return HeldInMemoryStore.builder(name, copy);
        }

        /**
         * Held as objects too: in a replay each migration status, inventory record and evaluation loads and saves a
         * dataset record, and a copy costs far less than reading it from bytes and writing it again. A copy is what a
         * round trip through the record's codec gives, so the topology sees the same values either way.
         */
        @Override
        public <V> StoreBuilder<?> recordBuilder(String name, Serde<V> valueSerde, UnaryOperator<V> copy) {
            return HeldInMemoryStore.builder(name, copy);
        }

        @Override
        public KeyValueBytesStoreSupplier keyValueSupplier(String name) {
            return HashedInMemoryStore.supplier(name);
        }

        @Override
        public <K, V> StoreBuilder<KeyValueStore<K, V>> keyValueBuilder(String name, Serde<K> keySerde,
                Serde<V> valueSerde) {
            // Nothing restores a replay's state or reads its changelog, and each changelog record costs the driver
            // a topic check and a checkpoint entry at its per-record commit.
            return super.keyValueBuilder(name, keySerde, valueSerde).withLoggingDisabled();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> UpdatableStore<V> open(StateStore store) {
            StateStore inner = store;
            while (!(inner instanceof HeldInMemoryStore) && inner instanceof WrappedStateStore<?, ?, ?> wrapper) {
                inner = wrapper.wrapped();
            }
            if (inner instanceof HeldInMemoryStore<?> held) {
                return (HeldInMemoryStore<V>) held;
            }
            throw new IllegalStateException("store " + store.name() + " is not held in memory: " + store.getClass());
        }

        @Override
        public QueryableStoreType<ReadOnlyKeyValueStore<?, ?>> partitionQuery() {
            return WRITE_BEHIND.partitionQuery();
        }
    };

    private final String configValue;

    StoreImplementation(String configValue) {
        this.configValue = configValue;
    }

    /**
     * A builder of the store {@code name} of String keys written on every access event: persistent and logged for the
     * implementations a live node runs.
     *
     * @param copy makes an independent (deep) copy of a value
     * @param maxHeld values held as objects per generation (write-behind only, see {@link WriteBehindStore})
     */
    public abstract <V> StoreBuilder<?> builder(String name, Serde<V> valueSerde, UnaryOperator<V> copy, int maxHeld);

    /**
     * Where the topology's other key-value stores (the dataset record, alerts) keep their bytes: persistent (RocksDB)
     * for the implementations a live node runs.
     */
    public KeyValueBytesStoreSupplier keyValueSupplier(String name) {
        return Stores.persistentKeyValueStore(name);
    }

    /**
     * A builder of the topology's other key-value store {@code name} (the dataset record, alerts), its bytes where
     * {@link #keyValueSupplier} keeps them; logged, except in memory.
     */
    public <K, V> StoreBuilder<KeyValueStore<K, V>> keyValueBuilder(String name, Serde<K> keySerde,
            Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(keyValueSupplier(name), keySerde, valueSerde);
    }

    /**
     * A builder of the store of the dataset records, of String keys: read and written when a dataset is looked at or
     * its inventory or a migration changes it, rarely twice between two commits. A plain key-value store as
     * {@link #keyValueBuilder} builds it (no record cache), except in memory.
     *
     * @param copy makes a copy of a value equal to what a round trip through {@code valueSerde} gives (used only by
     *     an implementation that holds values as objects)
     */
    public <V> StoreBuilder<?> recordBuilder(String name, Serde<V> valueSerde, UnaryOperator<V> copy) {
        return keyValueBuilder(name, Serdes.String(), valueSerde);
    }

    /** The store a processor got from {@code context.getStateStore}, built by {@link #builder}, to update values in. */
    public abstract <V> UpdatableStore<V> open(StateStore store);

    /**
     * What the API asks {@code KafkaStreams.store} for, with a partition, to read one task's key-value store (any
     * plain one, whichever implementation built it).
     */
    public abstract QueryableStoreType<ReadOnlyKeyValueStore<?, ?>> partitionQuery();

    /** The value of the setting that selects this implementation. */
    public String configValue() {
        return configValue;
    }

    /** The implementation a setting's value names (case-insensitive); a clear error for any other value. */
    public static StoreImplementation fromConfig(String value) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(i -> i.configValue.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown store implementation '" + value
                        + "': expected one of " + Arrays.stream(values()).map(i -> i.configValue).toList()));
    }
}
