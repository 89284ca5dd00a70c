package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.topics.Topics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoPartitioningTest {

    @Test
    void shouldGiveTheCountTheTopicsShare() {
        assertEquals(6, CoPartitioning.partitionCount(Map.of(Topics.ACCESS_EVENTS, 6, Topics.DATASETS, 6,
                Topics.MIGRATION_STATUS, 6, Topics.CONTROL, 6, Topics.SITES, 1)));
    }

    @Test
    void shouldNameEveryTopicAndItsCountWhenTheyDiffer() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CoPartitioning.partitionCount(
                Map.of(Topics.ACCESS_EVENTS, 6, Topics.DATASETS, 3, Topics.MIGRATION_STATUS, 6, Topics.CONTROL, 6)));
        assertTrue(e.getMessage().contains("access-events=6, control=6, datasets=3, migration-status=6"),
                e.getMessage());
    }

    @Test
    void shouldNameAMissingTopic() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CoPartitioning.partitionCount(
                Map.of(Topics.ACCESS_EVENTS, 6, Topics.DATASETS, 6, Topics.CONTROL, 6)));
        assertTrue(e.getMessage().contains("[migration-status] do not exist"), e.getMessage());
    }
}
