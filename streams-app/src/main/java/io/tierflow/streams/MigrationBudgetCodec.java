package io.tierflow.streams;

import io.tierflow.streams.domain.MigrationBudget;
import java.nio.ByteBuffer;

/**
 * The {@code migration-budget} store's keys and values: {@code w/<dataset key>} for a move waiting for the budget,
 * {@code c/<admitted at, 16 hex digits>/<dataset key>} for a copy counted against it (so copies list in admission
 * order). Values are a version byte, then the fields in a fixed binary layout; the key is not repeated in them.
 */
public final class MigrationBudgetCodec {
    public static final String WAITING_PREFIX = "w/";
    public static final String COPY_PREFIX = "c/";
    private static final byte VERSION = 1;
    private static final byte MOVE = 'w';
    private static final byte COPY = 'c';

    private MigrationBudgetCodec() {
    }

    public static String key(MigrationBudget.Move move) {
        return WAITING_PREFIX + move.key();
    }

    static String waitingKey(String datasetKey) {
        return WAITING_PREFIX + datasetKey;
    }

    public static String key(MigrationBudget.Copy copy) {
        return COPY_PREFIX + String.format("%016x", copy.admittedAt()) + "/" + copy.key();
    }

    public static byte[] encode(MigrationBudget.Move move) {
        return ByteBuffer.allocate(2 + 8 + 1 + 8 + 8).put(VERSION).put(MOVE).putLong(move.bytes())
                .put((byte) move.urgency().ordinal()).putDouble(move.valuePerGb()).putLong(move.since()).array();
    }

    public static byte[] encode(MigrationBudget.Copy copy) {
        return ByteBuffer.allocate(2 + 8 + 8 + 8).put(VERSION).put(COPY).putLong(copy.bytes())
                .putLong(copy.admittedAt()).putLong(copy.endedAt()).array();
    }

    /** The waiting move stored under {@code storeKey}, or null if the entry is a copy. */
    public static MigrationBudget.Move move(String storeKey, byte[] value) {
        ByteBuffer in = open(storeKey, value);
        if (in.get() != MOVE) {
            return null;
        }
        long bytes = in.getLong();
        int urgency = in.get();
        MigrationBudget.Urgency[] urgencies = MigrationBudget.Urgency.values();
        if (urgency < 0 || urgency >= urgencies.length) {
            throw new IllegalArgumentException("migration-budget entry " + storeKey + ": unknown urgency " + urgency);
        }
        return new MigrationBudget.Move(storeKey.substring(WAITING_PREFIX.length()), bytes, urgencies[urgency],
                in.getDouble(), in.getLong());
    }

    /** The counted copy stored under {@code storeKey}, or null if the entry is a waiting move. */
    public static MigrationBudget.Copy copy(String storeKey, byte[] value) {
        ByteBuffer in = open(storeKey, value);
        if (in.get() != COPY) {
            return null;
        }
        String datasetKey = storeKey.substring(COPY_PREFIX.length() + 17);
        return new MigrationBudget.Copy(datasetKey, in.getLong(), in.getLong(), in.getLong());
    }

    private static ByteBuffer open(String storeKey, byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("migration-budget entry " + storeKey + " has version " + version
                    + ", this build reads " + VERSION);
        }
        return in;
    }
}
