package io.tierflow.serde;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Serde settings, read from the same keys as Confluent's {@code KafkaAvroSerializer} so a Kafka client
 * configuration written for that serde works unchanged with ours.
 */
public record AvroSerdeConfig(
        List<String> registryUrls, String userInfo, boolean autoRegisterSchemas, boolean specificAvroReader,
        Duration requestTimeout) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Confluent accepts the user info under this prefixed key too. */
    public static final String PREFIXED_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    /** Not a Confluent key: timeout of one registry call, in milliseconds (default 10000). */
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    private static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";

    /** Parses a Kafka client configuration map; fails with a message naming the key at fault. */
    public static AvroSerdeConfig from(Map<String, ?> configs) {
        Object urlsValue = configs.get(SCHEMA_REGISTRY_URL);
        if (urlsValue == null || urlsValue.toString().isBlank()) {
            throw new ConfigException("Missing required configuration '" + SCHEMA_REGISTRY_URL
                    + "': set it to the schema registry's base URL, e.g. http://127.0.0.1:8081");
        }
        List<String> urls = new ArrayList<>();
        String urlUserInfo = null;
        for (String raw : urlsValue.toString().split(",")) {
            String trimmed = raw.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            URI uri = URI.create(trimmed);
            if (uri.getUserInfo() != null) {
                urlUserInfo = uri.getUserInfo();
                // Keep credentials out of the URL we print in errors.
                trimmed = trimmed.replace(uri.getRawUserInfo() + "@", "");
            }
            urls.add(trimmed);
        }
        if (urls.size() > 1 && urls.stream().anyMatch(InMemorySchemaRegistry::isInMemory)) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, urlsValue, "an in-memory registry ("
                    + InMemorySchemaRegistry.URL_PREFIX + "<scope>) cannot be listed with others");
        }
        String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE, "");
        String userInfo = switch (source.toUpperCase()) {
            case "" -> firstNonBlank(string(configs, BASIC_AUTH_USER_INFO, null),
                    string(configs, PREFIXED_BASIC_AUTH_USER_INFO, null));
            case "USER_INFO" -> {
                String value = firstNonBlank(string(configs, BASIC_AUTH_USER_INFO, null),
                        string(configs, PREFIXED_BASIC_AUTH_USER_INFO, null));
                if (value == null) {
                    throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO needs "
                            + BASIC_AUTH_USER_INFO + "=<user>:<password>");
                }
                yield value;
            }
            case "URL" -> urlUserInfo;
            default -> throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source,
                    "supported values are USER_INFO and URL");
        };
        for (String key : List.of(KEY_SUBJECT_NAME_STRATEGY, VALUE_SUBJECT_NAME_STRATEGY)) {
            Object strategy = configs.get(key);
            if (strategy != null && !strategy.toString().equals(TOPIC_NAME_STRATEGY)) {
                throw new ConfigException(key, strategy,
                        "only the topic name strategy (<topic>-key / <topic>-value) is supported");
            }
        }
        return new AvroSerdeConfig(
                List.copyOf(urls),
                userInfo,
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, SPECIFIC_AVRO_READER, false),
                Duration.ofMillis(Long.parseLong(string(configs, REQUEST_TIMEOUT_MS, "10000"))));
    }

    /** A client for this configuration's registry: over HTTP, or in memory for a {@code mock://<scope>} URL. */
    public SchemaRegistryClient newClient() {
        if (!registryUrls.isEmpty() && InMemorySchemaRegistry.isInMemory(registryUrls.get(0))) {
            return new SchemaRegistryClient(InMemorySchemaRegistry.forUrl(registryUrls.get(0)));
        }
        return new SchemaRegistryClient(registryUrls, userInfo, requestTimeout);
    }

    @Override
    public String toString() {
        // Never print the credentials.
        return "AvroSerdeConfig[registryUrls=" + registryUrls + ", basicAuth=" + (userInfo != null)
                + ", autoRegisterSchemas=" + autoRegisterSchemas + ", specificAvroReader=" + specificAvroReader + "]";
    }

    private static String string(Map<String, ?> configs, String key, String fallback) {
        Object value = configs.get(key);
        return value == null ? fallback : value.toString();
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().strip();
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new ConfigException(key, value, "expected true or false");
        }
        return Boolean.parseBoolean(text);
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }
}
