package io.tierflow.streams.domain.cost;

import java.util.Arrays;
import java.util.List;

/**
 * One object's life as the baselines and the offline optimum price it: its size, when it was created, and every read
 * (time, bytes read, client region) in time order. Arrays rather than a list of records: a trace holds millions.
 */
public record ObjectAccesses(String key, long sizeBytes, long createdAtMs, long[] accessAtMs, long[] accessBytes,
        String[] clientRegions) {

    /** One read, for building an {@link ObjectAccesses} from a list. */
    public record Access(long atMs, long bytes, String clientRegion) {
    }

    public ObjectAccesses {
        if (key == null || sizeBytes < 0) {
            throw new IllegalArgumentException("an object needs a key and a size >= 0");
        }
        if (accessAtMs.length != accessBytes.length || accessAtMs.length != clientRegions.length) {
            throw new IllegalArgumentException("object " + key + ": access times, bytes and regions differ in length");
        }
        for (int i = 0; i < accessAtMs.length; i++) {
            if (accessAtMs[i] < (i == 0 ? createdAtMs : accessAtMs[i - 1])) {
                throw new IllegalArgumentException("object " + key + ": access " + i
                        + " is before the object's creation or the access before it");
            }
            if (accessBytes[i] < 0 || clientRegions[i] == null) {
                throw new IllegalArgumentException("object " + key + ": access " + i + " has no region or bytes < 0");
            }
        }
    }

    /** An object from its reads, which are sorted here by time (a stable sort). */
    public static ObjectAccesses of(String key, long sizeBytes, long createdAtMs, List<Access> accesses) {
        Access[] sorted = accesses.toArray(Access[]::new);
        Arrays.sort(sorted, (a, b) -> Long.compare(a.atMs(), b.atMs()));
        long[] at = new long[sorted.length];
        long[] bytes = new long[sorted.length];
        String[] regions = new String[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            at[i] = sorted[i].atMs();
            bytes[i] = sorted[i].bytes();
            regions[i] = sorted[i].clientRegion();
        }
        return new ObjectAccesses(key, sizeBytes, createdAtMs, at, bytes, regions);
    }

    public int accessCount() {
        return accessAtMs.length;
    }

    /** Rejects an end of the run before the object's creation or last read. */
    void checkEnd(long endMs) {
        long last = accessAtMs.length == 0 ? createdAtMs : accessAtMs[accessAtMs.length - 1];
        if (endMs < last) {
            throw new IllegalArgumentException("object " + key + ": the run ends at " + endMs
                    + ", before its creation or last read at " + last);
        }
    }
}
