package io.tierflow.streams;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Whether this node's copy of a store partition is complete enough to say "no such key". Kafka Streams 4.3 serves
 * interactive queries from an active task whose stores are still being restored by the state updater (its "active
 * tasks" include the updater's), so right after a rebalance a store can answer null for a key that exists. This
 * tracks the restorations in progress and how long the client has been RUNNING: a store partition is settled when
 * it is not being restored and the client has been RUNNING for a short grace (which covers the moment between a
 * task's assignment and the start of its restoration, when no callback tells us anything).
 */
public final class LocalStateReadiness implements StateRestoreListener {
    private final Set<String> restoring = ConcurrentHashMap.newKeySet();
    private final Duration grace;
    private volatile long runningSinceNanos = -1;

    public LocalStateReadiness(Duration grace) {
        this.grace = grace;
    }

    /** Whether a miss in this store partition means the key does not exist. */
    public boolean settled(String store, int partition) {
        long since = runningSinceNanos;
        return since >= 0 && System.nanoTime() - since >= grace.toNanos() && !restoring.contains(store + "#" + partition);
    }

    /**
     * Identifies the client's current stretch of RUNNING (a new value every time it enters RUNNING), or -1 while it
     * is not RUNNING. Task assignments change only while the client is not RUNNING (rebalancing), so what was true
     * of this instance's tasks during one stretch stays true until the value changes.
     */
    public long runningPeriod() {
        return runningSinceNanos;
    }

    void onStateChange(KafkaStreams.State newState) {
        runningSinceNanos = newState == KafkaStreams.State.RUNNING ? System.nanoTime() : -1;
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
        restoring.add(store + "#" + changelog.partition());
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long numRestored) {
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
        restoring.remove(store + "#" + changelog.partition());
    }

    @Override
    public void onRestoreSuspended(TopicPartition changelog, String store, long totalRestored) {
        restoring.remove(store + "#" + changelog.partition());
    }
}
