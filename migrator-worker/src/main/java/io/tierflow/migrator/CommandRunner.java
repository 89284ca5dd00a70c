package io.tierflow.migrator;

import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pool's commands: one at a time per dataset in arrival order (lanes), on a bounded thread pool, waits
 * and retries on timers rather than blocked threads, stale commands skipped as SUPERSEDED, and the terminal status
 * written before the offset counts as done. The Kafka side (fetching, committing) is {@link MigratorWorker}'s.
 */
final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

    private final Map<TopicPartition, PartitionProgress> progress;
    private final CommandExecutor executor;
    private final SiteStores sites;
    private final SequenceMemory sequences;
    private final MigratorMetrics metrics;
    private final RetryPolicy retry;
    private final StatusWriter statuses;
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;
    private final BooleanSupplier running;
    private final Consumer<Exception> onFatal;
    private final Map<String, ArrayDeque<CommandTask>> lanes = new HashMap<>(); // guarded by itself

    /**
     * @param progress the assigned partitions' progress, shared with the worker, which adds and removes partitions
     * @param running false once the worker stops: tasks not started by then are left for redelivery
     * @param onFatal told when a terminal status could not be written: the worker must stop
     */
    CommandRunner(Map<TopicPartition, PartitionProgress> progress, CommandExecutor executor, SiteStores sites,
            SequenceMemory sequences, MigratorMetrics metrics, RetryPolicy retry, StatusWriter statuses,
            ExecutorService pool, ScheduledExecutorService scheduler, BooleanSupplier running,
            Consumer<Exception> onFatal) {
        this.progress = progress;
        this.executor = executor;
        this.sites = sites;
        this.sequences = sequences;
        this.metrics = metrics;
        this.retry = retry;
        this.statuses = statuses;
        this.pool = pool;
        this.scheduler = scheduler;
        this.running = running;
        this.onFatal = onFatal;
    }

    /** Runs the task now, or after the commands of its dataset already queued: one at a time, in order. */
    void enqueue(CommandTask task) {
        synchronized (lanes) {
            ArrayDeque<CommandTask> lane = lanes.get(task.command().getKey());
            if (lane != null) {
                lane.add(task); // an earlier command for this dataset is still running: keep the order
                return;
            }
            lanes.put(task.command().getKey(), new ArrayDeque<>());
        }
        submit(task);
    }

    private void submit(CommandTask task) {
        try {
            pool.execute(() -> run(task));
        } catch (RejectedExecutionException e) {
            log.debug("shutting down; command {} will be redelivered", task.command().getId());
        }
    }

    private void run(CommandTask task) {
        PartitionProgress partitionProgress = progress.get(task.partition());
        if (partitionProgress == null || partitionProgress.epoch() != task.epoch() || !running.getAsBoolean()) {
            next(task); // partition revoked or stopping: its new owner will get the command again
            return;
        }
        MigrationCommand command = task.command();
        if (sequences.isSuperseded(command.getKey(), command.getSequence())) {
            String reason = "a newer command (sequence " + sequences.newest(command.getKey()) + ") was seen for "
                    + command.getKey();
            log.info("command {} {} {} superseded: {}", command.getId(), command.getAction(), command.getKey(),
                    reason);
            finish(task, executor.superseded(command, task.attempt(), reason));
            return;
        }
        // A RETIRE also needs the site of the copy it keeps: it looks at that copy right before deleting.
        Instant availableAt = max(sites.availableAt(command.getSourceSite()),
                sites.availableAt(command.getDestinationSite()));
        if (command.getKeepSite() != null && !command.getKeepSite().isEmpty()) {
            availableAt = max(availableAt, sites.availableAt(command.getKeepSite()));
        }
        if (availableAt.isAfter(Instant.now())) {
            // A site it needs is backed off: wait without spending an attempt, and say so once.
            if (!task.waitReported()) {
                reportWaiting(task, ErrorCode.SITE_UNAVAILABLE, "waiting for a site that is backed off until "
                        + availableAt);
            }
            deferIfRetire(task, partitionProgress);
            later(task.waiting(), Duration.between(Instant.now(), availableAt));
            return;
        }
        long started = System.nanoTime();
        Outcome outcome = executor.execute(command, task.attempt(), statuses::send);
        if (!(outcome instanceof Outcome.NotYet)) {
            metrics.transferTook(command.getAction(), Duration.ofNanos(System.nanoTime() - started));
        }
        if (outcome instanceof Outcome.Completed completed) {
            log.info("command {} {} {} {}→{} completed", command.getId(), command.getAction(), command.getKey(),
                    command.getSourceSite(), command.getDestinationSite());
            finish(task, completed.status());
        } else if (outcome instanceof Outcome.NotYet notYet) {
            deferIfRetire(task, partitionProgress);
            later(task, Duration.between(Instant.now(), notYet.notBefore()));
        } else if (outcome instanceof Outcome.Superseded superseded) {
            log.info("command {} {} {} superseded: {}", command.getId(), command.getAction(), command.getKey(),
                    superseded.reason());
            finish(task, executor.superseded(command, task.attempt(), superseded.reason()));
        } else if (outcome instanceof Outcome.Failed failed) {
            if (retry.shouldRetry(task.attempt(), failed.code())) {
                Duration delay = retry.delayAfter(task.attempt(), ThreadLocalRandom.current()::nextDouble);
                log.warn("command {} attempt {} failed ({}: {}); retrying in {} ms", command.getId(), task.attempt(),
                        failed.code().code(), failed.message(), delay.toMillis());
                reportWaiting(task, failed.code(), "attempt " + task.attempt() + " failed, retrying: "
                        + failed.message());
                later(task.nextAttempt(), delay);
            } else {
                log.warn("command {} failed: {} {}", command.getId(), failed.code().code(), failed.message());
                finish(task, executor.failed(command, task.attempt(), failed.code(), failed.message()));
            }
        }
    }

    /**
     * A waiting RETIRE stops holding its partition's commit back and stops counting against fetching: it is found
     * again after a restart through the offset it leaves in the commit's metadata. Other commands that wait for a
     * site keep their offset pending: they are bounded by the retry policy and the breaker's open period.
     */
    private static void deferIfRetire(CommandTask task, PartitionProgress partitionProgress) {
        if (task.command().getAction() == MigrationAction.RETIRE) {
            partitionProgress.deferred(task.offset());
        }
    }

    /** Runs the task again after {@code delay} without blocking a transfer thread; its dataset stays held. */
    private void later(CommandTask task, Duration delay) {
        try {
            scheduler.schedule(() -> submit(task), Math.max(delay.toMillis(), 0), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("shutting down; command {} will be redelivered", task.command().getId());
        }
    }

    /** Writes the terminal status; only once the broker has it is the offset done and the dataset free. */
    private void finish(CommandTask task, MigrationStatus status) {
        statuses.sendTerminal(status, error -> {
            if (error != null) {
                // Without its status the command must run again: stop, so the group re-delivers it.
                log.error("could not write the status of command {}; stopping", task.command().getId(), error);
                onFatal.accept(error);
            } else {
                PartitionProgress partitionProgress = progress.get(task.partition());
                if (partitionProgress != null && partitionProgress.epoch() == task.epoch()) {
                    partitionProgress.finished(task.offset());
                }
            }
            next(task);
        });
    }

    /** Frees the dataset's lane: starts its next command, if any. */
    private void next(CommandTask task) {
        CommandTask following;
        synchronized (lanes) {
            ArrayDeque<CommandTask> lane = lanes.get(task.command().getKey());
            following = lane == null ? null : lane.poll();
            if (following == null) {
                lanes.remove(task.command().getKey());
            }
        }
        if (following != null) {
            submit(following);
        }
    }

    /**
     * A non-terminal status (QUEUED with an error code) so operators see a command waiting on a failure; the
     * streams app acts on COMPLETED and FAILED only.
     */
    private void reportWaiting(CommandTask task, ErrorCode code, String message) {
        MigrationStatus status = executor.status(task.command(), MigrationPhase.QUEUED, task.attempt(), 0);
        status.setErrorCode(code.code());
        status.setErrorMessage(message);
        statuses.send(status);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
