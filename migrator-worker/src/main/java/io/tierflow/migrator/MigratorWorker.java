package io.tierflow.migrator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migrator pool of one process: a member of consumer group {@code tierflow-migrator} over
 * {@code migration-commands} that runs commands on a bounded thread pool, one at a time per dataset (in offset
 * order), and writes a status to {@code migration-status} for every phase. An offset is committed only once the
 * terminal status (COMPLETED, FAILED or SUPERSEDED) of every command before it is acknowledged by the broker, so a
 * crash re-delivers what was unfinished and the idempotent executor makes that harmless. A RETIRE that waits (grace
 * period, site down) does not hold the commit back nor count against fetching: see {@link PartitionProgress}. A
 * command older than the newest seen for its dataset is skipped as SUPERSEDED ({@link SequenceMemory}).
 */
public final class MigratorWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MigratorWorker.class);
    public static final String GROUP_ID = "tierflow-migrator";
    /** Datasets whose newest command sequence is remembered: a few MB, more than the commands in flight. */
    private static final int SEQUENCE_MEMORY = 100_000;

    private final MigratorSettings settings;
    private final Topics topics;
    private final SiteStores sites;
    private final SiteCatalogueReader catalogue;
    private final CommandExecutor executor;
    private final KafkaConsumer<String, MigrationCommand> consumer;
    private final StatusWriter statuses;
    private final SequenceMemory sequences = new SequenceMemory(SEQUENCE_MEMORY);
    /** Replayed RETIREs per partition, run once the range they were read again from has been seen whole. */
    private final Map<TopicPartition, ReplayedRetires> heldUntilReplayed = new ConcurrentHashMap<>();
    private final MigratorMetrics metrics;
    private final List<KafkaClientMetrics> clientMetrics;
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    private final CommandRunner runner;
    private final AtomicInteger epochs = new AtomicInteger();
    private final AtomicReference<Exception> fatal = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread pollThread;
    private volatile boolean running = true;

    /**
     * @param config Kafka client settings ({@code bootstrap.servers}, ...), {@code schema.registry.url} and
     *        {@code tierflow.migrator.*} settings
     */
    public MigratorWorker(Properties config, Map<String, String> environment) {
        this(config, environment, new SimpleMeterRegistry());
    }

    /**
     * @param config Kafka client settings ({@code bootstrap.servers}, ...), {@code schema.registry.url} and
     *        {@code tierflow.migrator.*} settings
     * @param registry where the pool's meters and its Kafka clients' metrics go; the process that owns the registry
     *        serves it (e.g. {@code GET /metrics}) and binds the JVM's meters, once per process
     */
    public MigratorWorker(Properties config, Map<String, String> environment, MeterRegistry registry) {
        this.settings = MigratorSettings.from(config);
        this.metrics = new MigratorMetrics(registry);
        Map<String, Object> serdeConfig = new HashMap<>();
        config.forEach((k, v) -> serdeConfig.put(k.toString(), v));
        this.topics = Topics.using(serdeConfig);
        this.sites = new SiteStores(environment, settings.multipartThreshold(), settings.partSize(),
                settings.partsInFlight(), settings.partMemory(), settings.breakerFailures(), settings.breakerOpen(),
                Clock.systemUTC()).trust(settings.trust());
        Properties clients = kafkaOnly(config);
        this.catalogue = new SiteCatalogueReader(clients, topics.sites, sites);
        this.executor = new CommandExecutor(sites, settings.workerId(), settings.requireEncryptedDestinations(),
                settings.serverSideEncryptionHeaders(), Clock.systemUTC(), metrics::bytesMoved);

        Properties consumerProps = new Properties();
        consumerProps.putAll(clients);
        consumerProps.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        // Commands come from an exactly-once streams app: never act on an aborted transaction's records.
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(consumerProps, topics.migrationCommands.keySerde().deserializer(),
                topics.migrationCommands.valueSerde().deserializer());

        this.statuses = new StatusWriter(clients, topics, metrics);
        this.clientMetrics = new ArrayList<>(List.of(new KafkaClientMetrics(consumer)));
        statuses.producers().forEach(producer -> clientMetrics.add(new KafkaClientMetrics(producer)));
        clientMetrics.forEach(m -> m.bindTo(registry));
        metrics.backlog(progress, p -> p.values().stream()
                .mapToInt(partition -> partition.pending() + partition.deferredCount()).sum());
        sites.onBreaker((name, breaker) -> metrics.site(name,
                () -> breaker.state() == CircuitBreaker.State.CLOSED));

        this.pool = Executors.newFixedThreadPool(settings.concurrency(), named("tierflow-migrator-transfer"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(named("tierflow-migrator-timer"));
        this.runner = new CommandRunner(progress, executor, sites, sequences, metrics, settings.retry(), statuses, pool,
                scheduler, () -> running, error -> {
                    fatal.compareAndSet(null, error);
                    consumer.wakeup();
                });
        this.pollThread = new Thread(this::pollLoop, "tierflow-migrator-poll");
    }

    /** Reads the site catalogue, then starts taking commands. */
    public void start() throws InterruptedException {
        catalogue.start(Duration.ofSeconds(60));
        log.info("migrator {} started: concurrency {}, multipart from {} bytes in parts of {}", settings.workerId(),
                settings.concurrency(), settings.multipartThreshold(), settings.partSize());
        pollThread.start();
    }

    /** Blocks until the worker stopped; 0 after a clean stop, 1 after a fatal error. */
    public int awaitTermination() throws InterruptedException {
        stopped.await();
        return fatal.get() == null ? 0 : 1;
    }

    private void pollLoop() {
        try {
            consumer.subscribe(List.of(topics.migrationCommands.name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commit();
                    partitions.forEach(progress::remove); // running commands of these finish but count no more
                    partitions.forEach(heldUntilReplayed::remove);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned(partitions);
                }
            });
            while (running && fatal.get() == null) {
                try {
                    for (ConsumerRecord<String, MigrationCommand> record : consumer.poll(Duration.ofMillis(200))) {
                        accept(record);
                    }
                } catch (RecordDeserializationException e) {
                    deadLetter(e);
                }
                releaseReplayed();
                commit();
                throttle();
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (RuntimeException e) {
            fatal.compareAndSet(null, e);
            log.error("migrator poll loop failed", e);
        } finally {
            shutdown();
        }
    }

    /** A command we cannot read can never be executed: dead-lettered durably, then the pool moves past it. */
    private void deadLetter(RecordDeserializationException e) {
        statuses.deadLetter(e, GROUP_ID);
        PartitionProgress partitionProgress = progress.get(e.topicPartition());
        if (partitionProgress != null) {
            partitionProgress.skipped(e.offset());
        }
        consumer.seek(e.topicPartition(), e.offset() + 1);
    }

    /**
     * A partition starts at its committed offset, or, when the earlier owner committed past RETIREs it had deferred,
     * at the first of them (see {@link PartitionProgress}).
     */
    private void assigned(Collection<TopicPartition> partitions) {
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

    /** Starts the replayed RETIREs of every partition whose replayed range has now been read whole. */
    private void releaseReplayed() {
        progress.forEach((partition, partitionProgress) -> {
            if (partitionProgress.replaying() && consumer.position(partition) >= partitionProgress.replayEnd()) {
                partitionProgress.replayDone();
                ReplayedRetires held = heldUntilReplayed.remove(partition);
                if (held != null) {
                    held.release().forEach(runner::enqueue);
                }
            }
        });
    }

    private void accept(ConsumerRecord<String, MigrationCommand> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionProgress partitionProgress = progress.get(partition);
        if (partitionProgress == null || record.value() == null) {
            return;
        }
        MigrationCommand command = record.value();
        sequences.seen(command.getKey(), command.getSequence());
        if (partitionProgress.isReplay(record.offset())) {
            // Handled before; read again only for the RETIREs an earlier owner had deferred. Every RETIRE of the
            // range is taken (which were deferred is not recorded; running one again is harmless), at most one per
            // dataset and a bounded number in all (ReplayedRetires); one superseded in the range is done with.
            boolean retire = command.getAction() == MigrationAction.RETIRE;
            if (retire) {
                partitionProgress.deferred(record.offset());
            }
            ReplayedRetires.Taken taken = heldUntilReplayed.computeIfAbsent(partition,
                    p -> new ReplayedRetires(settings.maxPending())).take(new CommandTask(command, partition,
                    record.offset(), partitionProgress.epoch(), 1, false, true), retire);
            taken.dropped().forEach(dropped -> partitionProgress.finished(dropped.offset()));
            taken.release().forEach(runner::enqueue);
            return;
        }
        partitionProgress.accepted(record.offset());
        metrics.commandReceived(command.getAction());
        statuses.send(executor.status(command, MigrationPhase.QUEUED, 1, 0));
        runner.enqueue(new CommandTask(command, partition, record.offset(), partitionProgress.epoch(), 1, false, false));
    }

    private void commit() {
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
    private void throttle() {
        int pending = progress.values().stream().mapToInt(PartitionProgress::pending).sum();
        if (pending >= settings.maxPending()) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void shutdown() {
        running = false;
        scheduler.shutdownNow(); // deferred retires and retries: found again by whoever owns the partition next
        pool.shutdown();
        try {
            if (!pool.awaitTermination(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("transfers still running after {}; they are abandoned and will be redelivered",
                        settings.shutdownTimeout());
                pool.shutdownNow();
            }
            statuses.flush();
            if (fatal.get() == null) {
                commit();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("final commit failed; uncommitted commands will be redelivered: {}", e.toString());
        } finally {
            clientMetrics.forEach(KafkaClientMetrics::close);
            consumer.close();
            statuses.close();
            catalogue.close();
            sites.close();
            stopped.countDown();
            log.info("migrator {} stopped", settings.workerId());
        }
    }

    /** Stops gracefully: no new commands, running ones finish (up to the shutdown timeout), offsets committed. */
    @Override
    public void close() {
        running = false;
        if (pollThread.isAlive()) {
            consumer.wakeup();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (stopped.getCount() > 0) {
            shutdown();
        }
    }

    private static Properties kafkaOnly(Properties config) {
        Properties clients = new Properties();
        config.forEach((k, v) -> {
            String key = k.toString();
            if (!key.startsWith(MigratorSettings.PREFIX) && !key.startsWith("schema.registry")) {
                clients.put(key, v);
            }
        });
        return clients;
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
