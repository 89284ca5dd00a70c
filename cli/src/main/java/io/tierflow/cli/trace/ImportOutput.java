package io.tierflow.cli.trace;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;

/** Where imported records go, in order: to Kafka topics, or to a list in a test. */
public interface ImportOutput {
    /** An inventory record, written before the event that needs it, with this record timestamp. */
    void dataset(Dataset dataset, long timestampMs);

    void event(AccessEvent event);
}
