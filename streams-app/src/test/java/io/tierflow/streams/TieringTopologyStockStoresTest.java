package io.tierflow.streams;

import io.tierflow.streams.store.StoreImplementation;

/**
 * Every path of {@link TieringTopologyTest} again with the stock stores ({@code tierflow.streams.stores=stock}): the
 * fallback for a Kafka Streams version the write-behind store does not work on must decide the same.
 */
class TieringTopologyStockStoresTest extends TieringTopologyTest {
    @Override
    TieringSettings settings() {
        return TieringSettings.DEFAULTS.withStores(StoreImplementation.STOCK);
    }
}
