package io.tierflow.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Configuration in layers, each overriding the one before: code defaults → a properties file → environment
 * variables → command-line flags. In the environment, {@code KAFKA_BOOTSTRAP_SERVERS} sets
 * {@code bootstrap.servers} (any {@code KAFKA_*} becomes the lower-case dotted Kafka key) and
 * {@code TIERFLOW_SCHEMA_REGISTRY_URL} sets {@code schema.registry.url}.
 */
public final class LayeredConfig {
    private LayeredConfig() {
    }

    public static Properties resolve(Map<String, ?> defaults, Path file, Map<String, String> environment,
            Map<String, ?> flags) throws IOException {
        Properties result = new Properties();
        defaults.forEach((k, v) -> result.put(k, v.toString()));
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IOException("config file " + file + " does not exist");
            }
            Properties fromFile = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                fromFile.load(reader);
            }
            result.putAll(fromFile);
        }
        environment.forEach((name, value) -> {
            if (name.startsWith("KAFKA_") && name.length() > "KAFKA_".length()) {
                result.put(toKey(name.substring("KAFKA_".length())), value);
            } else if (name.equals("TIERFLOW_SCHEMA_REGISTRY_URL")) {
                result.put("schema.registry.url", value);
            }
        });
        flags.forEach((k, v) -> {
            if (v != null) {
                result.put(k, v.toString());
            }
        });
        return result;
    }

    private static String toKey(String environmentSuffix) {
        return environmentSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
    }
}
