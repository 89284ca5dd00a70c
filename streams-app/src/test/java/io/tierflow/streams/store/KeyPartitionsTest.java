package io.tierflow.streams.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** The partition the topology computes for a key agrees with Kafka's default partitioner, on many random keys. */
class KeyPartitionsTest {
    private final StringSerializer serializer = new StringSerializer();

    @Test
    void shouldPutEveryKeyWhereKafkasDefaultPartitionerPutsIt() {
        Random random = new Random(18);
        for (int i = 0; i < 200_000; i++) {
            String key = randomKey(random);
            byte[] bytes = serializer.serialize("access-events", key);
            assertEquals(Utils.murmur2(bytes), KeyPartitions.murmur2(key), () -> "murmur2 of " + escaped(key));
            int partitions = 1 + random.nextInt(64);
            assertEquals(BuiltInPartitioner.partitionForKey(bytes, partitions),
                    KeyPartitions.of(key, partitions), () -> "partition of " + escaped(key));
        }
    }

    @Test
    void shouldAgreeOnTheKeysOfEveryLengthAroundMurmursFourByteWords() {
        StringBuilder key = new StringBuilder();
        for (int length = 0; length < 40; length++) {
            String k = key.toString();
            assertEquals(Utils.murmur2(serializer.serialize("t", k)), KeyPartitions.murmur2(k), "length " + length);
            key.append((char) ('a' + length % 26));
        }
    }

    /** ASCII paths mostly, with two-, three- and four-byte characters, and now and then an unpaired surrogate. */
    private static String randomKey(Random random) {
        int length = random.nextInt(48);
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(20);
            if (kind < 14) {
                key.append((char) (0x20 + random.nextInt(0x5F)));
            } else if (kind < 16) {
                key.append((char) (0x80 + random.nextInt(0x800 - 0x80)));
            } else if (kind < 18) {
                key.append((char) (0x800 + random.nextInt(0xD800 - 0x800)));
            } else if (kind < 19) {
                key.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000));
            } else {
                key.append((char) (0xD800 + random.nextInt(0x800))); // a lone high or low surrogate
            }
        }
        return key.toString();
    }

    private static String escaped(String key) {
        StringBuilder out = new StringBuilder();
        key.chars().forEach(c -> out.append(c < 0x80 && c >= 0x20 ? String.valueOf((char) c)
                : String.format("\\u%04x", c)));
        return out.toString();
    }
}
