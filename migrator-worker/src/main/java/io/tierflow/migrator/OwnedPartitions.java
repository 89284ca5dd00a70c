package io.tierflow.migrator;

import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions of {@code migration-commands} the pool owns, and its progress in each ({@link PartitionProgress}):
 * where reading starts when one is assigned, which offsets may be committed, when the RETIREs read again for an earlier
 * owner run, and when to stop fetching. Offsets and the consumer's position are only touched here, from the poll
 * thread (the rebalance callbacks run inside its poll).
 */
final class OwnedPartitions implements ConsumerRebalanceListener {
    private static final Logger log = LoggerFactory.getLogger(OwnedPartitions.class);

    private final KafkaConsumer<String, MigrationCommand> consumer;
    /** Shared with the runner, which finishes offsets from the transfer threads, and the backlog meter. */
    private final Map<TopicPartition, PartitionProgress> progress;
    /** Replayed RETIREs per partition, run once the range they were read again from has been seen whole. */
    private final Map<TopicPartition, ReplayedRetires> heldUntilReplayed = new ConcurrentHashMap<>();
    private final AtomicInteger epochs = new AtomicInteger();
    private final Consumer<CommandTask> run;
    private final int maxPending;

    /**
     * @param run starts a command (the runner's queue)
     * @param maxPending commands waiting, over all partitions, at which fetching stops
     */
    OwnedPartitions(KafkaConsumer<String, MigrationCommand> consumer, Map<TopicPartition, PartitionProgress> progress,
            Consumer<CommandTask> run, int maxPending) {
        this.consumer = consumer;
        this.progress = progress;
        this.run = run;
        this.maxPending = maxPending;
    }

    /** The progress in a partition the pool owns; null if it owns it no more. */
    PartitionProgress progress(TopicPartition partition) {
        return progress.get(partition);
    }

    /** Commits what is finished: running commands of these partitions finish, but count no more. */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        commit();
        partitions.forEach(progress::remove);
        partitions.forEach(heldUntilReplayed::remove);
    }

    /**
     * A partition starts at its committed offset, or, when the earlier owner committed past RETIREs it had deferred,
     * at the first of them (see {@link PartitionProgress}).
     */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            PartitionProgress partitionProgress = offset == null
                    ? new PartitionProgress(epochs.incrementAndGet())
                    : new PartitionProgress(epochs.incrementAndGet(), offset.offset(), offset.metadata());
            progress.put(partition, partitionProgress);
            if (partitionProgress.replayFrom() >= 0) {
                log.info("{}: reading again from offset {} to {} for the RETIREs deferred there", partition,
                        partitionProgress.replayFrom(), partitionProgress.replayEnd());
                consumer.seek(partition, partitionProgress.replayFrom());
            }
        }
    }

    /**
     * A command at an offset an earlier owner handled ({@link PartitionProgress#isReplay}), read again only for the
     * RETIREs it had deferred. Every RETIRE of the range is taken (which were deferred is not recorded; running one
     * again is harmless), at most one per dataset and a bounded number in all ({@link ReplayedRetires}); one superseded
     * in the range is done with.
     */
    void replayed(TopicPartition partition, PartitionProgress partitionProgress, MigrationCommand command,
            long offset) {
        boolean retire = command.getAction() == MigrationAction.RETIRE;
        if (retire) {
            partitionProgress.deferred(offset);
        }
        ReplayedRetires.Taken taken = heldUntilReplayed.computeIfAbsent(partition,
                p -> new ReplayedRetires(maxPending)).take(new CommandTask(command, partition, offset,
                partitionProgress.epoch(), 1, false, true), retire);
        taken.dropped().forEach(dropped -> partitionProgress.finished(dropped.offset()));
        taken.release().forEach(run);
    }

    /** Starts the replayed RETIREs of every partition whose replayed range has now been read whole. */
    void releaseReplayed() {
        progress.forEach((partition, partitionProgress) -> {
            if (partitionProgress.replaying() && consumer.position(partition) >= partitionProgress.replayEnd()) {
                partitionProgress.replayDone();
                ReplayedRetires held = heldUntilReplayed.remove(partition);
                if (held != null) {
                    held.release().forEach(run);
                }
            }
        });
    }

    /** Commits, in every partition, the offsets below the first command not finished nor deferred. */
    void commit() {
        Map<TopicPartition, PartitionProgress.Commit> commits = new HashMap<>();
        progress.forEach((partition, p) -> {
            PartitionProgress.Commit commit = p.toCommit();
            if (commit != null) {
                commits.put(partition, commit);
            }
        });
        if (!commits.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            commits.forEach((partition, c) -> offsets.put(partition, new OffsetAndMetadata(c.offset(), c.metadata())));
            consumer.commitSync(offsets);
            commits.forEach((partition, commit) -> {
                PartitionProgress p = progress.get(partition);
                if (p != null) {
                    p.committed(commit);
                }
            });
        }
    }

    /** Stops fetching while too many commands wait, so memory stays bounded; the group keeps the partitions. */
    void throttle() {
        int pending = progress.values().stream().mapToInt(PartitionProgress::pending).sum();
        if (pending >= maxPending) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }
}
