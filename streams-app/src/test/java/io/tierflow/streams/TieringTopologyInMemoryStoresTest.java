package io.tierflow.streams;

import io.tierflow.streams.store.StoreImplementation;

/**
 * Every path of {@link TieringTopologyTest} again with the stores of a replay ({@code tierflow whatif}: write-behind
 * stores in front of in-memory ones, nothing logged): a what-if must decide as the live topology does.
 */
class TieringTopologyInMemoryStoresTest extends TieringTopologyTest {
    @Override
    TieringSettings settings() {
        return TieringSettings.DEFAULTS.withStores(StoreImplementation.IN_MEMORY);
    }
}
