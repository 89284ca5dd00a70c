package io.tierflow.streams.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Which implementations keep a changelog of the topology's plain key-value stores. */
class StoreImplementationTest {
    @Test
    void shouldLogTheKeyValueStoresOfALiveNodeAndNotThoseOfAReplay() {
        for (StoreImplementation live : new StoreImplementation[] {StoreImplementation.WRITE_BEHIND,
                StoreImplementation.STOCK}) {
            assertTrue(live.keyValueBuilder("dataset-state", Serdes.String(), Serdes.Long()).loggingEnabled(),
                    live + ": a live node restores the dataset record from its changelog");
        }
        assertFalse(StoreImplementation.IN_MEMORY.keyValueBuilder("dataset-state", Serdes.String(), Serdes.Long())
                .loggingEnabled(), "a replay's state is never restored");
    }
}
