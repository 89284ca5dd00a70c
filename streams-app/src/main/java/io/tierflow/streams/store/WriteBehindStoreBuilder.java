package io.tierflow.streams.store;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

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
