package io.tierflow.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches a Kafka Streams application consume a topic that no longer grows: done when the offsets its group has
 * committed reach the end offsets. Under exactly-once those offsets are committed with each transaction, so what
 * they count has been processed, written and committed.
 */
final class CatchUp {
    /** How often the committed offsets are read; a run's time is exact to about this much. */
    static final long POLL_MILLIS = 100;

    private final Admin admin;
    private final Map<TopicPartition, Long> endOffsets;
    private final long total;
    private final Progress progress;

    CatchUp(Admin admin, Map<TopicPartition, Long> endOffsets, Progress progress) {
        this.admin = admin;
        this.endOffsets = Map.copyOf(endOffsets);
        this.total = endOffsets.values().stream().mapToLong(Long::longValue).sum();
        this.progress = progress;
    }

    /** Records to consume in all. */
    long total() {
        return total;
    }

    /**
     * Blocks until group {@code groupId} has committed every end offset; returns the time since {@code startNanos}.
     *
     * @param failure says why the application cannot go on (it died), or null while it runs
     */
    Duration await(String label, String groupId, long startNanos, Supplier<String> failure, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        return await(label, groupId, startNanos, failure, timeout, total);
    }

    /** As {@link #await(String, String, long, Supplier, Duration)}, until {@code target} events are committed. */
    Duration await(String label, String groupId, long startNanos, Supplier<String> failure, Duration timeout,
            long target) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = startNanos + timeout.toNanos();
        long nextReport = startNanos + Progress.EVERY_NANOS;
        long reportedDone = 0;
        long reportedAt = startNanos;
        long firstCommitNanos = -1;
        while (true) {
            long done = committed(groupId);
            long now = System.nanoTime();
            if (done > 0 && firstCommitNanos < 0) {
                firstCommitNanos = now;
            }
            if (done >= target) {
                // How long the app took to start (rebalance, stores, what it reads before the events) is part of the
                // run's time; said apart, it shows how much of a difference between two apps is their start.
                progress.say("  %s: first events committed after %.1f s", label, (firstCommitNanos - startNanos) / 1e9);
                return Duration.ofNanos(now - startNanos);
            }
            String why = failure.get();
            if (why != null) {
                throw new IllegalStateException(label + " stopped before catching up (" + done + " of " + target
                        + " events): " + why);
            }
            if (now - deadline > 0) {
                throw new TimeoutException(label + " did not catch up within " + timeout + ": " + done + " of "
                        + target + " events");
            }
            if (now >= nextReport) {
                progress.say("  %s: %s / %s events (%.0f%%), %s events/s now, %s events/s since start", label,
                        Progress.count(done), Progress.count(target), 100.0 * done / target,
                        Progress.count((done - reportedDone) / ((now - reportedAt) / 1e9)),
                        Progress.count(done / ((now - startNanos) / 1e9)));
                reportedDone = done;
                reportedAt = now;
                nextReport = now + Progress.EVERY_NANOS;
            }
            Thread.sleep(POLL_MILLIS); // polling a condition: the next look at the offsets
        }
    }

    /** Events the group has committed, over the watched partitions. */
    private long committed(String groupId) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        long done = 0;
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            OffsetAndMetadata committed = offsets.get(end.getKey());
            if (committed != null) {
                done += Math.min(committed.offset(), end.getValue());
            }
        }
        return done;
    }
}
