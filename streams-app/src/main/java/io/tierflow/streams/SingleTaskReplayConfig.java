package io.tierflow.streams;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Configuration for running the tiering topology as one task in Kafka's TopologyTestDriver (tierflow whatif): the
 * app's own topology settings, at-least-once (the driver's mock producer drops records sent outside its simulated
 * transactions, such as dead letters) and a dataset-input partition count of one, since the driver is one task
 * that owns every key.
 */
public final class SingleTaskReplayConfig {
    private SingleTaskReplayConfig() {
    }

    /**
     * @param applicationId a name of its own per replay (the driver keys its state directory by it)
     * @param stateDir where the replay's stores live
     * @param registryUrl the serdes' registry, {@code mock://<scope>} for one held in memory
     */
    public static Properties of(String applicationId, String stateDir, String registryUrl) {
        Properties props = new Properties();
        props.putAll(TieringApp.topologyConfig());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        // Never contacted: the driver has no broker. A port nothing listens on, so a mistake fails loudly.
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(DatasetInputsGate.PARTITIONS_CONFIG, 1);
        props.put("schema.registry.url", registryUrl);
        return props;
    }

    /** The serde configuration matching {@link #of}'s registry. */
    public static Map<String, Object> serdeConfig(String registryUrl) {
        return Map.of("schema.registry.url", registryUrl);
    }
}
