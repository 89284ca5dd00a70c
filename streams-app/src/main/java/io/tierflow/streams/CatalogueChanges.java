package io.tierflow.streams;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many times the global stores (policies, sites, models) changed: counted by {@link GlobalStoreUpdater} on the
 * global thread after each write, read by every task's {@link Catalogue}, which reads and checks the stores again only
 * when the count moved. Shared by the tasks of one topology.
 */
final class CatalogueChanges {
    private final AtomicLong count = new AtomicLong();

    void changed() {
        count.incrementAndGet();
    }

    long count() {
        return count.get();
    }
}
