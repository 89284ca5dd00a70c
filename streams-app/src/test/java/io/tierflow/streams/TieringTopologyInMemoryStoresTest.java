package io.tierflow.streams;

import io.tierflow.streams.store.StoreImplementation;

/**
 * Every path of {@link TieringTopologyTest} again with the stores of a replay ({@code tierflow whatif}: the activity,
 * ledger and dataset records held as objects and never serialized, the rest as bytes in memory, nothing logged): a
 * what-if must decide as the live topology does.
 */
class TieringTopologyInMemoryStoresTest extends TieringTopologyTest {
    @Override
    TieringSettings settings() {
        return TieringSettings.DEFAULTS.withStores(StoreImplementation.IN_MEMORY);
    }
}
