package io.tierflow.streams.store;

/**
 * The partition Kafka's default partitioner gives a dataset key: murmur2 of the key's UTF-8 bytes (as Kafka's
 * {@code StringSerializer} writes them), made positive, modulo the partition count. It is what every keyed input of
 * the topology must be partitioned by, because one task owns all of a dataset's state.
 *
 * <p>Computed straight from the string's characters, without encoding the key into a new array: it runs on every
 * record the topology reads. {@code KeyPartitionsTest} checks it against Kafka's own partitioner on random keys, and
 * {@code KafkaStreamsContractTest} against where Kafka Streams' {@code queryMetadataForKey} finds a key; the query API
 * uses it to find a key's partition too.
 */
public final class KeyPartitions {
    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private KeyPartitions() {
    }

    /** The partition of {@code key} among {@code partitions}, as Kafka's default partitioner computes it. */
    public static int of(String key, int partitions) {
        return (murmur2(key) & 0x7fffffff) % partitions;
    }

    /** Kafka's {@code Utils.murmur2} of {@code key.getBytes(UTF_8)}. */
    public static int murmur2(String key) {
        int h = SEED ^ utf8Length(key);
        int word = 0;
        int filled = 0;
        int length = key.length();
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            // The character's UTF-8 bytes, first byte lowest, as getBytes(UTF_8) writes them (an unpaired surrogate
            // becomes '?').
            int encoded;
            int bytes;
            if (c < 0x80) {
                encoded = c;
                bytes = 1;
            } else if (c < 0x800) {
                encoded = (0xC0 | c >> 6) | (0x80 | c & 0x3F) << 8;
                bytes = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(key.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, key.charAt(++i));
                encoded = (0xF0 | cp >> 18) | (0x80 | (cp >> 12) & 0x3F) << 8 | (0x80 | (cp >> 6) & 0x3F) << 16
                        | (0x80 | cp & 0x3F) << 24;
                bytes = 4;
            } else if (Character.isSurrogate(c)) {
                encoded = '?';
                bytes = 1;
            } else {
                encoded = (0xE0 | c >> 12) | (0x80 | (c >> 6) & 0x3F) << 8 | (0x80 | c & 0x3F) << 16;
                bytes = 3;
            }
            for (int b = 0; b < bytes; b++) {
                word |= ((encoded >>> (8 * b)) & 0xFF) << (8 * filled);
                if (++filled == 4) {
                    int k = word * M;
                    k ^= k >>> R;
                    k *= M;
                    h *= M;
                    h ^= k;
                    word = 0;
                    filled = 0;
                }
            }
        }
        if (filled > 0) {
            // murmur2's tail: the last one to three bytes, the first lowest, are what word holds.
            h ^= word;
            h *= M;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    private static int utf8Length(String key) {
        int length = key.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < length
                        && Character.isLowSurrogate(key.charAt(i + 1))) {
                    bytes += 2; // two chars, four bytes
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }
}
