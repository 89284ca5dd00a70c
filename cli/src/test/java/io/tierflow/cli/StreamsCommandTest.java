package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierflow.config.LayeredConfig;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.streams.TieringApp;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsCommandTest {
    @Test
    void shouldReadInputsInTimestampOrderOnlyForAReplay() throws IOException {
        assertEquals("-1", maxTaskIdleMs(effective(false, Map.of())), "live: process what is buffered");
        assertEquals("0", maxTaskIdleMs(effective(true, Map.of())),
                "--event-time-clock: wait for every input to be fetched");
    }

    @Test
    void shouldLetTheEnvironmentOverrideTheReplayOrdering() throws IOException {
        assertEquals("500", maxTaskIdleMs(effective(true, Map.of("KAFKA_MAX_TASK_IDLE_MS", "500"))));
    }

    /** What the app runs with: its own defaults under what the command resolves (as TieringApp merges them). */
    private static Map<Object, Object> effective(boolean eventTimeClock, Map<String, String> environment)
            throws IOException {
        Map<Object, Object> config = new HashMap<>(TieringApp.topologyConfig());
        config.putAll(LayeredConfig.resolve(StreamsCommand.defaults(LocalStackConfig.defaults(), eventTimeClock), null,
                environment, Map.of()));
        return config;
    }

    private static String maxTaskIdleMs(Map<Object, Object> config) {
        return String.valueOf(config.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
    }
}
