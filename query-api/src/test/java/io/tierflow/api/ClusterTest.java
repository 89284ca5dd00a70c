package io.tierflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.internals.DefaultStreamPartitioner;
import org.junit.jupiter.api.Test;

/** The API places a key in the partition Kafka Streams would ({@code queryMetadataForKey} uses this partitioner). */
class ClusterTest {
    @Test
    void shouldPlaceKeysWhereKafkaStreamsDefaultPartitionerDoes() {
        DefaultStreamPartitioner<String, Object> streams = new DefaultStreamPartitioner<>(Serdes.String().serializer());
        SplittableRandom random = new SplittableRandom(5);
        List<String> fixed = List.of("", "a", "logs/2026/11/a b.parquet", "données/été/ß.csv", "emoji/\uD83D\uDE00",
                "rebalance/ds00", "x".repeat(1000));
        for (int partitions : new int[] {1, 2, 3, 7, 12, 100}) {
            for (String key : fixed) {
                assertEquals(streams.partitions("t", key, null, partitions), Optional.of(Set.of(
                        Cluster.partitionOf(key, partitions))), key + " among " + partitions);
            }
            for (int i = 0; i < 20_000; i++) {
                String key = randomKey(random);
                assertEquals(streams.partitions("t", key, null, partitions), Optional.of(Set.of(
                        Cluster.partitionOf(key, partitions))), key + " among " + partitions);
            }
        }
    }

    private static String randomKey(SplittableRandom random) {
        StringBuilder key = new StringBuilder();
        int length = random.nextInt(1, 60);
        for (int i = 0; i < length; i++) {
            key.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x80, 0x2FFFF) : random.nextInt(0x20, 0x7F));
        }
        return key.toString();
    }
}
