package io.tierflow.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A schema registry held in memory, chosen with {@code schema.registry.url=mock://<scope>}: every serde of the JVM
 * configured with the same scope shares one registry, as with Confluent's and bakdata's mock registries. It answers
 * the calls our serde makes as the REST registry does: registering gives a global id (the same schema text gets the
 * same id in every subject, a registered schema is found again, a new one is the subject's next version if it can read
 * data written with the subject's latest (BACKWARD, the local stack's global rule; else 409), a lookup of a schema the
 * subject does not have and an unknown id fail as not found (404, with Confluent's error codes).
 *
 * <p>For tests and tools that must not start a registry process: Kafka Streams (and so {@code TopologyTestDriver})
 * builds serdes from configuration alone, so the registry must be reachable from a URL, and therefore lives beside
 * the serde rather than in a test jar. It keeps nothing beyond the JVM: a real deployment names a real registry.
 */
public final class InMemorySchemaRegistry {
    /** The URL prefix that selects an in-memory registry; what follows names its scope. */
    public static final String URL_PREFIX = "mock://";
    /** Confluent's error codes for a subject, and a schema (or id), that the registry does not have. */
    static final int SUBJECT_NOT_FOUND = 40401;
    static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent's status and error code for a schema the subject's compatibility rule refuses. */
    static final int INCOMPATIBLE = 409;
    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    /** Schemas by their text, as the REST client posts them: ids are global, shared across subjects. */
    private final Map<String, Integer> idsByText = new HashMap<>();
    private final List<String> textsById = new ArrayList<>();
    private final Map<String, List<Integer>> idsBySubjectVersion = new HashMap<>();

    private InMemorySchemaRegistry(String scope) {
        this.scope = scope;
    }

    /** Whether a registry URL names an in-memory registry. */
    public static boolean isInMemory(String url) {
        return url.startsWith(URL_PREFIX);
    }

    /** The registry of a {@code mock://<scope>} URL, created on first use. */
    public static InMemorySchemaRegistry forUrl(String url) {
        if (!isInMemory(url) || url.length() == URL_PREFIX.length()) {
            throw new IllegalArgumentException("an in-memory registry URL is " + URL_PREFIX + "<scope>, not " + url);
        }
        String scope = url.substring(URL_PREFIX.length());
        return SCOPES.computeIfAbsent(scope, InMemorySchemaRegistry::new);
    }

    /** Forgets a scope's schemas (a test that is done with its registry); serdes still holding it keep theirs. */
    public static void drop(String url) {
        SCOPES.remove(url.substring(URL_PREFIX.length()));
    }

    /** This registry's URL. */
    public String url() {
        return URL_PREFIX + scope;
    }

    /** Registers the schema under the subject (or finds it there already) and returns its global id. */
    public synchronized int register(String subject, Schema schema) {
        String text = schema.toString();
        Integer id = idsByText.get(text);
        List<Integer> registered = idsBySubjectVersion.getOrDefault(subject, List.of());
        if (!registered.isEmpty() && !registered.contains(id)) {
            Schema latest = byId(registered.get(registered.size() - 1));
            SchemaCompatibility.SchemaPairCompatibility check =
                    SchemaCompatibility.checkReaderWriterCompatibility(schema, latest);
            if (check.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new SchemaRegistryException("in-memory schema registry " + url() + " answered 409 (error code "
                        + INCOMPATIBLE + "): schema is incompatible with the latest version of subject '" + subject
                        + "' (BACKWARD): " + check.getDescription(), INCOMPATIBLE, INCOMPATIBLE, null);
            }
        }
        if (id == null) {
            textsById.add(text);
            id = textsById.size();
            idsByText.put(text, id);
        }
        List<Integer> versions = idsBySubjectVersion.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    /** The id of a schema registered under the subject; fails as not found if it is not. */
    public synchronized int lookup(String subject, Schema schema) {
        List<Integer> versions = idsBySubjectVersion.get(subject);
        if (versions == null) {
            throw notFound("subject '" + subject + "' not found", SUBJECT_NOT_FOUND);
        }
        Integer id = idsByText.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            throw notFound("schema not found in subject '" + subject + "'", SCHEMA_NOT_FOUND);
        }
        return id;
    }

    /** The schema with this global id, parsed anew from its text as each REST client parses its answer. */
    public synchronized Schema byId(int id) {
        if (id < 1 || id > textsById.size()) {
            throw notFound("schema " + id + " not found", SCHEMA_NOT_FOUND);
        }
        return new Schema.Parser().parse(textsById.get(id - 1));
    }

    /** The subject's versions, oldest first (version n is element n - 1), as their global ids. */
    public synchronized List<Integer> versions(String subject) {
        List<Integer> versions = idsBySubjectVersion.get(subject);
        if (versions == null) {
            throw notFound("subject '" + subject + "' not found", SUBJECT_NOT_FOUND);
        }
        return List.copyOf(versions);
    }

    private SchemaRegistryException notFound(String message, int errorCode) {
        return new SchemaRegistryException("in-memory schema registry " + url() + " answered 404 (error code "
                + errorCode + "): " + message, 404, errorCode, null);
    }
}
