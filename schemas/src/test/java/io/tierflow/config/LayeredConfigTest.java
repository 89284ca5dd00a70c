package io.tierflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredConfigTest {
    @Test
    void shouldLetEachLayerOverrideTheOneBefore(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\nnum.stream.threads=2\nstate.dir=/file\n");
        Map<String, String> env = Map.of("KAFKA_NUM_STREAM_THREADS", "4", "KAFKA_STATE_DIR", "/env",
                "TIERFLOW_SCHEMA_REGISTRY_URL", "http://env:8081", "HOME", "/root");
        Map<String, Object> flags = new HashMap<>();
        flags.put("state.dir", "/flag");
        flags.put("application.id", null); // a flag not given does not erase anything
        Properties config = LayeredConfig.resolve(Map.of("bootstrap.servers", "default:9092", "application.id", "app",
                "commit.interval.ms", 100), file, env, flags);
        assertEquals("file:9092", config.getProperty("bootstrap.servers"));
        assertEquals("4", config.getProperty("num.stream.threads"));
        assertEquals("/flag", config.getProperty("state.dir"));
        assertEquals("http://env:8081", config.getProperty("schema.registry.url"));
        assertEquals("app", config.getProperty("application.id"));
        assertEquals("100", config.getProperty("commit.interval.ms"));
        assertEquals(null, config.getProperty("home"));
    }

    @Test
    void shouldSayWhichConfigFileIsMissing(@TempDir Path dir) {
        IOException error = assertThrows(IOException.class,
                () -> LayeredConfig.resolve(Map.of(), dir.resolve("nope.properties"), Map.of(), Map.of()));
        assertEquals("config file " + dir.resolve("nope.properties") + " does not exist", error.getMessage());
    }
}
