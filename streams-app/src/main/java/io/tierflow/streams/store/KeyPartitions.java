package io.tierflow.streams.store;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition of a String key, as the topology's inputs place it and Kafka Streams' {@code queryMetadataForKey}
 * finds it: Kafka's default partitioner (murmur2 of the key's UTF-8 bytes). Here because the test that pins it compares
 * it with Kafka Streams' internal partitioner ({@code KafkaStreamsContractTest}).
 */
public final class KeyPartitions {
    private KeyPartitions() {
    }

    /** The partition Kafka's default partitioner gives a String key among {@code partitions}. */
    public static int of(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
