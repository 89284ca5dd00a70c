package io.tierflow.streams;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.DeadLetter;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Provider;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.schemas.Tier;
import io.tierflow.streams.codec.TieringCodecs;
import io.tierflow.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A TopologyTestDriver over the tiering topology, its serdes on the registry URL given ({@code mock://<scope>} in
 * unit tests), four sites priced like the local stack's, and helpers to write events and read decisions with explicit
 * event times.
 */
final class TopologyFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2026-11-02T08:00:00Z");
    static final String SHA = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    final Topics topics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, AccessEvent> accessEvents;
    final TestInputTopic<String, Dataset> datasets;
    final TestInputTopic<String, MigrationStatus> statuses;
    final TestInputTopic<String, Site> sites;
    final TestInputTopic<String, Policy> policies;
    final TestInputTopic<String, Model> models;
    final TestInputTopic<String, byte[]> rawAccessEvents;
    final TestOutputTopic<String, Placement> placements;
    final TestOutputTopic<String, MigrationCommand> commands;
    final TestOutputTopic<byte[], DeadLetter> deadLetters;
    final TestOutputTopic<String, io.tierflow.schemas.Alert> alerts;
    final TestInputTopic<String, io.tierflow.schemas.ControlCommand> control;
    private final AtomicLong eventIds = new AtomicLong();

    TopologyFixture(String registryUrl, Path stateDir, TieringSettings settings) {
        this(registryUrl, stateDir, settings, TieringMetrics.noop());
    }

    TopologyFixture(String registryUrl, Path stateDir, TieringSettings settings, TieringMetrics metrics) {
        this(registryUrl, stateDir, settings, metrics, 1);
    }

    /**
     * @param inputPartitions the partition count the dataset inputs are said to have; the driver's one task is
     *     partition 0 of each, so with more than one, records whose key belongs to another partition are re-routed
     */
    TopologyFixture(String registryUrl, Path stateDir, TieringSettings settings, TieringMetrics metrics,
            int inputPartitions) {
        Map<String, Object> serde = Map.of("schema.registry.url", registryUrl);
        topics = Topics.using(serde, TieringCodecs.ALL); // as TieringApp builds them
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-test-" + System.nanoTime());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(TieringApp.topologyConfig());
        props.put("schema.registry.url", registryUrl);
        props.put(TieringMetrics.CONFIG, metrics);
        props.put(DatasetInputsGate.PARTITIONS_CONFIG, inputPartitions);
        // The driver's mock producer drops dead-letter records sent outside its (simulated) transactions, so
        // topology tests run at-least-once; TieringTopologyIT checks exactly-once on a real broker.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        driver = new TopologyTestDriver(TieringTopology.build(topics, settings, metrics), props, START);
        accessEvents = driver.createInputTopic(Topics.ACCESS_EVENTS, Serdes.String().serializer(),
                topics.accessEvents.valueSerde().serializer());
        rawAccessEvents = driver.createInputTopic(Topics.ACCESS_EVENTS, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        datasets = driver.createInputTopic(Topics.DATASETS, Serdes.String().serializer(),
                topics.datasets.valueSerde().serializer());
        statuses = driver.createInputTopic(Topics.MIGRATION_STATUS, Serdes.String().serializer(),
                topics.migrationStatus.valueSerde().serializer());
        sites = driver.createInputTopic(Topics.SITES, Serdes.String().serializer(),
                topics.sites.valueSerde().serializer());
        policies = driver.createInputTopic(Topics.POLICIES, Serdes.String().serializer(),
                topics.policies.valueSerde().serializer());
        models = driver.createInputTopic(Topics.MODELS, Serdes.String().serializer(),
                topics.models.valueSerde().serializer());
        placements = driver.createOutputTopic(Topics.PLACEMENTS, Serdes.String().deserializer(),
                topics.placements.valueSerde().deserializer());
        commands = driver.createOutputTopic(Topics.MIGRATION_COMMANDS, Serdes.String().deserializer(),
                topics.migrationCommands.valueSerde().deserializer());
        alerts = driver.createOutputTopic(Topics.ALERTS, Serdes.String().deserializer(),
                topics.alerts.valueSerde().deserializer());
        control = driver.createInputTopic(Topics.CONTROL, Serdes.String().serializer(),
                topics.control.valueSerde().serializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, Serdes.ByteArray().deserializer(),
                topics.deadLetters.valueSerde().deserializer());
    }

    /** The standard catalogue and policy; the punctuator picks them up on its next run. */
    TopologyFixture withStandardSites(boolean encryptedOnly) {
        for (Site site : standardSites()) {
            sites.pipeInput(site.getName(), site, START);
        }
        policies.pipeInput("default", policy(encryptedOnly), START);
        driver.advanceWallClockTime(Duration.ofSeconds(10)); // lets the punctuator refresh the catalogue
        return this;
    }

    static List<Site> standardSites() {
        return List.of(
                site("aws", Provider.AWS, "us-east", 25, 0.09, true, 0.023, 0.0125, 0.004),
                site("azure", Provider.AZURE, "eu-west", 35, 0.087, true, 0.0208, 0.0152, 0.0036),
                site("gcp", Provider.GCP, "us-central", 30, 0.12, false, 0.020, 0.010, 0.0045));
    }

    static Site site(String name, Provider provider, String region, double p95, double egress, boolean encrypted,
            double hot, double warm, double cold) {
        return Site.newBuilder().setName(name).setProvider(provider).setRegion(region)
                .setEndpoint("http://127.0.0.1:1").setBucket("tierflow")
                .setStorageClasses(List.of(price("STANDARD", Tier.HOT, hot), price("STANDARD_IA", Tier.WARM, warm),
                        price("GLACIER_IR", Tier.COLD, cold)))
                .setP95LatencyMs(p95).setEgressPricePerGb(egress).setEncrypted(encrypted)
                .setCapacityBytes(Long.MAX_VALUE).setUp(true).build();
    }

    private static StorageClassPrice price(String name, Tier tier, double perGb) {
        return StorageClassPrice.newBuilder().setName(name).setTier(tier).setStoragePricePerGbMonth(perGb)
                .setRetrievalPricePerGb(tier == Tier.HOT ? 0 : 0.01).setRequestPricePer1000(0.0004)
                .setMinimumStorageDays(0).build();
    }

    /** Heat in plain access counts: hot at 20, warm at 2, 25 % hysteresis, one-hour half-life, no model boost. */
    static Policy policy(boolean encryptedOnly) {
        return Policy.newBuilder().setName("default").setHeatHalfLifeSeconds(3600).setOpWeights(Map.of())
                .setHotThreshold(20).setWarmThreshold(2).setHysteresis(0.25).setScoreBoost(0)
                .setReplicationHot(1).setReplicationWarm(1).setReplicationCold(1).setDefaultLatencySlaMs(50)
                .setEncryptedOnly(encryptedOnly).setMigrationBudgetBytesPerHour(Long.MAX_VALUE).setCooldownSeconds(60)
                .setHorizonDays(30).setRetireGraceSeconds(600).setLatenessSeconds(300).setUpdatedAt(START).build();
    }

    static Dataset dataset(String key, String primary, String storageClass, long sizeBytes) {
        return Dataset.newBuilder().setKey(key).setSizeBytes(sizeBytes).setContentType("application/octet-stream")
                .setOwner("team").setVersionToken("\"v1\"").setSha256(SHA).setPrimarySite(primary)
                .setStorageClass(storageClass).setUpdatedAt(START).build();
    }

    AccessEvent event(String key, Instant at, String region) {
        return AccessEvent.newBuilder().setKey(key).setOp(AccessOp.GET).setBytes(100_000_000).setServedFrom("aws")
                .setClientRegion(region).setLatencyMs(20).setEventTime(at)
                .setEventId("e-" + eventIds.incrementAndGet()).build();
    }

    /** {@code count} reads of {@code key} spread evenly over {@code over}, starting at {@code from}. */
    void burst(String key, Instant from, int count, Duration over) {
        for (int i = 0; i < count; i++) {
            Instant at = from.plusMillis(over.toMillis() * i / Math.max(1, count));
            accessEvents.pipeInput(key, event(key, at, "us-east"), at);
        }
    }

    MigrationStatus completed(MigrationCommand command, String sha) {
        return MigrationStatus.newBuilder().setCommandId(command.getId()).setKey(command.getKey())
                .setAction(command.getAction()).setPhase(MigrationPhase.COMPLETED)
                .setSourceSite(command.getSourceSite()).setDestinationSite(command.getDestinationSite())
                .setBytesDone(command.getSizeBytes()).setSha256(sha).setVersionToken("\"v1\"").setWorker("test")
                .setAt(command.getIssuedAt()).build();
    }

    DatasetState state(String key) {
        KeyValueStore<String, DatasetState> store = driver.getKeyValueStore(TieringTopology.DATASET_STATE_STORE);
        return store.get(key);
    }

    DatasetActivity activity(String key) {
        KeyValueStore<String, DatasetActivity> store = driver.getKeyValueStore(TieringTopology.DATASET_ACTIVITY_STORE);
        return store.get(key);
    }

    List<Placement> placementsFor(String key) {
        List<Placement> result = new ArrayList<>();
        placements.readKeyValuesToList().forEach(kv -> {
            if (kv.key.equals(key) && kv.value != null) {
                result.add(kv.value);
            }
        });
        return result;
    }

    @Override
    public void close() {
        driver.close();
    }
}
