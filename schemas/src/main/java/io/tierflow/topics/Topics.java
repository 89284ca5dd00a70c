package io.tierflow.topics;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DeadLetter;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.serde.AvroSerde;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.serde.RecordCodec;
import io.tierflow.serde.SchemaRegistryClient;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalogue of DESIGN.md: every topic's name, creation spec and serdes, in one place used by every
 * module and by tests. Keys are plain UTF-8 strings (dataset key, site name, policy name, ...); values are
 * Avro in the Confluent wire format.
 */
public final class Topics {
    public static final String ACCESS_EVENTS = "access-events";
    public static final String DATASETS = "datasets";
    public static final String SITES = "sites";
    public static final String POLICIES = "policies";
    public static final String MODELS = "models";
    public static final String MIGRATION_COMMANDS = "migration-commands";
    public static final String MIGRATION_STATUS = "migration-status";
    public static final String PLACEMENTS = "placements";
    public static final String ALERTS = "alerts";
    public static final String CONTROL = "control";
    public static final String DEAD_LETTERS = "dead-letters";
    /**
     * Partitions of every topic unless told otherwise (the local stack's, and {@code tierflow init}'s default). Six: a
     * multiple of one, two and three stream threads, so every thread of a node gets the same number of tasks. With
     * three, a node's two stream threads (one per core, the default) shared three tasks 2 + 1, and the thread with one
     * finished early and idled while the other worked on (docs/benchmarks.md, topology, sixth session).
     */
    public static final int DEFAULT_PARTITIONS = 6;

    /** Every topic Tierflow uses, as it must be created. */
    public static final List<TopicSpec> SPECS = List.of(
            TopicSpec.stream(ACCESS_EVENTS),
            TopicSpec.compacted(DATASETS),
            TopicSpec.compacted(SITES),
            TopicSpec.compacted(POLICIES),
            TopicSpec.compacted(MODELS),
            TopicSpec.stream(MIGRATION_COMMANDS),
            TopicSpec.stream(MIGRATION_STATUS),
            TopicSpec.compacted(PLACEMENTS),
            TopicSpec.compacted(ALERTS),
            TopicSpec.stream(CONTROL),
            TopicSpec.stream(DEAD_LETTERS));

    public final Topic<String, AccessEvent> accessEvents;
    public final Topic<String, Dataset> datasets;
    public final Topic<String, Site> sites;
    public final Topic<String, Policy> policies;
    public final Topic<String, Model> models;
    public final Topic<String, MigrationCommand> migrationCommands;
    public final Topic<String, MigrationStatus> migrationStatus;
    public final Topic<String, Placement> placements;
    public final Topic<String, Alert> alerts;
    public final Topic<String, ControlCommand> control;
    public final Topic<String, DeadLetter> deadLetters;

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    /** Hand-written codecs by the record class they write and read. */
    private final Map<Class<?>, RecordCodec<?>> codecs;

    private Topics(AvroSerdeConfig config, Collection<? extends RecordCodec<?>> codecs) {
        this.registry = config.newClient();
        this.autoRegister = config.autoRegisterSchemas();
        Map<Class<?>, RecordCodec<?>> byType = new HashMap<>();
        for (RecordCodec<?> codec : codecs) {
            if (byType.put(codec.type(), codec) != null) {
                throw new IllegalArgumentException("two codecs of " + codec.type().getName());
            }
        }
        this.codecs = Map.copyOf(byType);
        accessEvents = topic(ACCESS_EVENTS, AccessEvent.class);
        datasets = topic(DATASETS, Dataset.class);
        sites = topic(SITES, Site.class);
        policies = topic(POLICIES, Policy.class);
        models = topic(MODELS, Model.class);
        migrationCommands = topic(MIGRATION_COMMANDS, MigrationCommand.class);
        migrationStatus = topic(MIGRATION_STATUS, MigrationStatus.class);
        placements = topic(PLACEMENTS, Placement.class);
        alerts = topic(ALERTS, Alert.class);
        control = topic(CONTROL, ControlCommand.class);
        deadLetters = topic(DEAD_LETTERS, DeadLetter.class);
    }

    /**
     * The catalogue with serdes configured from Kafka-style serde settings ({@code schema.registry.url}, ...);
     * all its serdes share one registry client and cache.
     */
    public static Topics using(Map<String, ?> serdeConfigs) {
        return using(serdeConfigs, List.of());
    }

    /**
     * The catalogue as {@link #using(Map)}, whose serdes of the classes of {@code codecs} write and read those
     * classes' records with them (at most one codec per class).
     */
    public static Topics using(Map<String, ?> serdeConfigs, Collection<? extends RecordCodec<?>> codecs) {
        return new Topics(AvroSerdeConfig.from(serdeConfigs), codecs);
    }

    /**
     * A serde for another generated record type (e.g. a state store's value), sharing this catalogue's registry and
     * its codec of the type, if any (looked up here, once per serde, not per record).
     */
    @SuppressWarnings("unchecked") // registered by type: the codec of T is a RecordCodec<T>
    public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
        return new AvroSerde<>(type, registry, autoRegister, false, (RecordCodec<T>) codecs.get(type));
    }

    /** The registry client all of this catalogue's serdes use. */
    public SchemaRegistryClient registry() {
        return registry;
    }

    /** Every topic of the catalogue. */
    public List<Topic<String, ?>> all() {
        return List.of(accessEvents, datasets, sites, policies, models, migrationCommands, migrationStatus,
                placements, alerts, control, deadLetters);
    }

    private <V extends SpecificRecord> Topic<String, V> topic(String name, Class<V> type) {
        TopicSpec spec = SPECS.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        return new Topic<>(spec, Serdes.String(), valueSerde(type));
    }
}
