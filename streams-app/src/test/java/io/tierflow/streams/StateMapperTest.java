package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierflow.schemas.DatasetState;
import org.junit.jupiter.api.Test;

class StateMapperTest {
    /** Every field as the schema's default, as Avro's builder would set it (a field added later included). */
    @Test
    void shouldMakeANewDatasetRecordAsTheBuilderDoes() {
        DatasetState expected = DatasetState.newBuilder().setKey("datasets/d000001").build();
        DatasetState made = StateMapper.newDatasetState("datasets/d000001");
        assertEquals(expected, made);
        assertEquals(expected.toString(), made.toString());
        made.getReplicaSites().add("aws");
        made.getActiveAlerts().add("COST_SPIKE:datasets/d000001");
        assertEquals(java.util.List.of(), StateMapper.newDatasetState("x").getReplicaSites(),
                "each record gets lists of its own");
    }
}
