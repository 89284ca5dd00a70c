package io.tierflow.streams.domain;

/**
 * Sliding counts in fixed event-time buckets (e.g. 12 × 5 min for the last hour), exact to one bucket.
 * Counts are kept newest bucket first; an event older than the window is not counted.
 */
public final class BucketedCounts {
    private final long bucketMillis;
    private final long[] counts;
    private long newestBucket;

    public BucketedCounts(long bucketMillis, int buckets) {
        this.bucketMillis = bucketMillis;
        this.counts = new long[buckets];
        this.newestBucket = -1;
    }

    /** Restores counts saved with {@link #newestBucket()} and {@link #countAtAge} (newest first). */
    public static BucketedCounts restore(long bucketMillis, long newestBucket, long[] newestFirst) {
        BucketedCounts restored = new BucketedCounts(bucketMillis, newestFirst.length);
        restored.newestBucket = newestBucket;
        System.arraycopy(newestFirst, 0, restored.counts, 0, newestFirst.length);
        return restored;
    }

    /** An independent copy: changing either leaves the other as it was. */
    public BucketedCounts copy() {
        return restore(bucketMillis, newestBucket, counts);
    }

    /** Number of buckets. */
    public int buckets() {
        return counts.length;
    }

    /** Count of the bucket {@code age} buckets older than the newest. */
    public long countAtAge(int age) {
        return counts[age];
    }

    /** Counts {@code n} events at {@code eventTimeMs}; returns false if that is older than the window. */
    public boolean add(long eventTimeMs, long n) {
        long bucket = Math.floorDiv(eventTimeMs, bucketMillis);
        if (newestBucket < 0) {
            newestBucket = bucket;
        }
        if (bucket > newestBucket) {
            shift(bucket - newestBucket);
            newestBucket = bucket;
        }
        long age = newestBucket - bucket;
        if (age >= counts.length) {
            return false;
        }
        counts[(int) age] += n;
        return true;
    }

    /** Events in the window ending at {@code nowMs}: buckets (now − window, now]. */
    public long total(long nowMs) {
        if (newestBucket < 0) {
            return 0;
        }
        long nowBucket = Math.floorDiv(nowMs, bucketMillis);
        long sum = 0;
        for (int age = 0; age < counts.length; age++) {
            long bucket = newestBucket - age;
            if (bucket <= nowBucket && bucket > nowBucket - counts.length) {
                sum += counts[age];
            }
        }
        return sum;
    }

    /** Count of one bucket by index, 0 if outside the window. */
    public long countOf(long bucket) {
        long age = newestBucket - bucket;
        return age < 0 || age >= counts.length ? 0 : counts[(int) age];
    }

    public long newestBucket() {
        return newestBucket;
    }

    public long bucketMillis() {
        return bucketMillis;
    }

    private void shift(long by) {
        if (by >= counts.length) {
            java.util.Arrays.fill(counts, 0);
            return;
        }
        int step = (int) by;
        System.arraycopy(counts, 0, counts, step, counts.length - step);
        java.util.Arrays.fill(counts, 0, step, 0);
    }
}
