package io.tierflow.migrator;

import java.util.concurrent.Semaphore;

/**
 * The memory all multipart uploads of a process may hold in part buffers at once, so that "several parts in
 * flight" stays bounded however many large objects are copied together. An upload that finds the budget used up
 * waits until another upload's part is sent. No deadlock: a part already in memory never needs more budget to be
 * sent. Accounted in whole MiB; a part larger than the whole budget takes all of it.
 */
final class PartMemory {
    /** Default budget: four 64 MiB parts. */
    static final long DEFAULT_BYTES = 256L << 20;

    private final int totalMiB;
    private final Semaphore free;

    PartMemory(long bytes) {
        if (bytes < S3SiteStore.MIN_PART_SIZE) {
            throw new IllegalArgumentException("the part memory must hold at least one 5 MiB part, got " + bytes);
        }
        this.totalMiB = (int) Math.min(Integer.MAX_VALUE, bytes >> 20);
        this.free = new Semaphore(totalMiB, true); // fair: a waiting upload is not starved by later ones
    }

    /** Blocks until {@code bytes} of budget are free; give them back with {@link #release(long)}. */
    void acquire(long bytes) throws InterruptedException {
        free.acquire(permits(bytes));
    }

    void release(long bytes) {
        free.release(permits(bytes));
    }

    private int permits(long bytes) {
        return (int) Math.min(totalMiB, (bytes + (1 << 20) - 1) >> 20);
    }
}
