package io.tierflow.streams.store;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Builds a {@link WriteBehindStore} in front of the logged store {@code stored} builds. */
final class WriteBehindStoreBuilder<V> implements StoreBuilder<WriteBehindStore<V>> {
    private final StoreBuilder<KeyValueStore<String, V>> stored;
    private final UnaryOperator<V> copy;
    private final int maxHeld;

    WriteBehindStoreBuilder(StoreBuilder<KeyValueStore<String, V>> stored, UnaryOperator<V> copy, int maxHeld) {
        this.stored = stored;
        this.copy = copy;
        this.maxHeld = maxHeld;
    }

    /**
     * A builder of a persistent store named {@code name} with a changelog, whose values {@code copy} copies; a record
     * cache cannot be added (the store holds values itself).
     */
    static <V> WriteBehindStoreBuilder<V> persistent(String name, Serde<V> valueSerde, UnaryOperator<V> copy,
            int maxHeld) {
        return over(Stores.persistentKeyValueStore(name), valueSerde, copy, maxHeld);
    }

    /** A builder of a store with a changelog in front of the store {@code bytes} supplies. */
    private static <V> WriteBehindStoreBuilder<V> over(KeyValueBytesStoreSupplier bytes, Serde<V> valueSerde,
            UnaryOperator<V> copy, int maxHeld) {
        return new WriteBehindStoreBuilder<>(Stores.keyValueStoreBuilder(bytes, Serdes.String(), valueSerde)
                .withCachingDisabled(), copy, maxHeld);
    }

    /** Refused: the store holds its values itself, and a record cache behind it would only copy them again. */
    @Override
    public StoreBuilder<WriteBehindStore<V>> withCachingEnabled() {
        throw new UnsupportedOperationException("the " + name() + " store holds its values itself; a record "
                + "cache cannot be added");
    }

    @Override
    public StoreBuilder<WriteBehindStore<V>> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<WriteBehindStore<V>> withLoggingEnabled(Map<String, String> config) {
        stored.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<WriteBehindStore<V>> withLoggingDisabled() {
        stored.withLoggingDisabled();
        return this;
    }

    @Override
    public WriteBehindStore<V> build() {
        return new WriteBehindStore<>(stored.build(), copy, maxHeld);
    }

    @Override
    public Map<String, String> logConfig() {
        return stored.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return stored.loggingEnabled();
    }

    @Override
    public String name() {
        return stored.name();
    }
}
