package io.tierflow.migrator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierflow.schemas.DeadLetter;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migrator pool of one process: a member of consumer group {@code tierflow-migrator} over
 * {@code migration-commands} that runs commands on a bounded thread pool, one at a time per dataset (in offset
 * order), and writes a status to {@code migration-status} for every phase. An offset is committed only once the
 * terminal status (COMPLETED or FAILED) of every command before it is acknowledged by the broker, so a crash
 * re-delivers what was unfinished and the idempotent executor makes that harmless.
 */
public final class MigratorWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MigratorWorker.class);
    public static final String GROUP_ID = "tierflow-migrator";

    /** One delivery of a command, bound to the partition assignment it came with. */
    private record Task(MigrationCommand command, TopicPartition partition, long offset, int epoch, int attempt,
            boolean waitReported) {
        Task nextAttempt() {
            return new Task(command, partition, offset, epoch, attempt + 1, false);
        }

        Task waiting() {
            return new Task(command, partition, offset, epoch, attempt, true);
        }
    }

    private final MigratorSettings settings;
    private final Topics topics;
    private final SiteStores sites;
    private final SiteCatalogueReader catalogue;
    private final CommandExecutor executor;
    private final KafkaConsumer<String, MigrationCommand> consumer;
    private final KafkaProducer<String, MigrationStatus> producer;
    private final KafkaProducer<String, DeadLetter> deadLetters;
    private final MigratorMetrics metrics;
    private final List<KafkaClientMetrics> clientMetrics;
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    private final Map<String, ArrayDeque<Task>> lanes = new HashMap<>(); // guarded by itself
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
                Clock.systemUTC());
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

        Properties producerProps = new Properties();
        producerProps.putAll(clients);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(producerProps, topics.migrationStatus.keySerde().serializer(),
                topics.migrationStatus.valueSerde().serializer());

        this.deadLetters = new KafkaProducer<>(producerProps, topics.deadLetters.keySerde().serializer(),
                topics.deadLetters.valueSerde().serializer());

        this.clientMetrics = List.of(new KafkaClientMetrics(consumer), new KafkaClientMetrics(producer),
                new KafkaClientMetrics(deadLetters));
        clientMetrics.forEach(m -> m.bindTo(registry));
        metrics.backlog(progress, p -> p.values().stream().mapToInt(PartitionProgress::pending).sum());
        sites.onBreaker((name, breaker) -> metrics.site(name,
                () -> breaker.state() == CircuitBreaker.State.CLOSED));

        this.pool = Executors.newFixedThreadPool(settings.concurrency(), named("tierflow-migrator-transfer"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(named("tierflow-migrator-timer"));
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
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(p -> progress.put(p, new PartitionProgress(epochs.incrementAndGet())));
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

    /**
     * A command we cannot read can never be executed: it goes to {@code dead-letters} (durably, before we move
     * past it) and the pool carries on.
     */
    private void deadLetter(RecordDeserializationException e) {
        log.error("unreadable command at {} offset {} goes to {}: {}", e.topicPartition(), e.offset(),
                Topics.DEAD_LETTERS, e.getMessage());
        DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(e.topicPartition().topic())
                .setSourcePartition(e.topicPartition().partition())
                .setSourceOffset(e.offset())
                .setSourceTimestamp(e.timestamp())
                .setKey(e.keyBuffer() == null ? null : e.keyBuffer().duplicate())
                .setValue(e.valueBuffer() == null ? null : e.valueBuffer().duplicate())
                .setStage("deserialization: migrator")
                .setReason(String.valueOf(e.getMessage()))
                .setExceptionClass(e.getCause() == null ? e.getClass().getName() : e.getCause().getClass().getName())
                .setApplication(GROUP_ID)
                .setAt(Instant.now())
                .build();
        try {
            deadLetters.send(new ProducerRecord<>(topics.deadLetters.name(), null, letter)).get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a dead letter", interrupted);
        } catch (java.util.concurrent.ExecutionException failed) {
            throw new IllegalStateException("could not write a dead letter; stopping", failed.getCause());
        }
        PartitionProgress partitionProgress = progress.get(e.topicPartition());
        if (partitionProgress != null) {
            partitionProgress.skipped(e.offset());
        }
        consumer.seek(e.topicPartition(), e.offset() + 1);
    }

    private void accept(ConsumerRecord<String, MigrationCommand> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionProgress partitionProgress = progress.get(partition);
        if (partitionProgress == null || record.value() == null) {
            return;
        }
        partitionProgress.accepted(record.offset());
        metrics.commandReceived(record.value().getAction());
        Task task = new Task(record.value(), partition, record.offset(), partitionProgress.epoch(), 1, false);
        send(executor.status(task.command(), MigrationPhase.QUEUED, 1, 0));
        synchronized (lanes) {
            ArrayDeque<Task> lane = lanes.get(task.command().getKey());
            if (lane != null) {
                lane.add(task); // an earlier command for this dataset is still running: keep the order
                return;
            }
            lanes.put(task.command().getKey(), new ArrayDeque<>());
        }
        submit(task);
    }

    private void submit(Task task) {
        try {
            pool.execute(() -> run(task));
        } catch (RejectedExecutionException e) {
            log.debug("shutting down; command {} will be redelivered", task.command().getId());
        }
    }

    private void run(Task task) {
        PartitionProgress partitionProgress = progress.get(task.partition());
        if (partitionProgress == null || partitionProgress.epoch() != task.epoch() || !running) {
            next(task); // partition revoked or stopping: its new owner will get the command again
            return;
        }
        MigrationCommand command = task.command();
        Instant availableAt = max(sites.availableAt(command.getSourceSite()),
                sites.availableAt(command.getDestinationSite()));
        if (availableAt.isAfter(Instant.now())) {
            // A site it needs is backed off: wait without spending an attempt, and say so once.
            if (!task.waitReported()) {
                reportWaiting(task, ErrorCode.SITE_UNAVAILABLE, "waiting for a site that is backed off until "
                        + availableAt);
            }
            later(task.waiting(), Duration.between(Instant.now(), availableAt));
            return;
        }
        long started = System.nanoTime();
        Outcome outcome = executor.execute(command, task.attempt(), this::send);
        if (!(outcome instanceof Outcome.NotYet)) {
            metrics.transferTook(command.getAction(), Duration.ofNanos(System.nanoTime() - started));
        }
        if (outcome instanceof Outcome.Completed completed) {
            log.info("command {} {} {} {}→{} completed", command.getId(), command.getAction(), command.getKey(),
                    command.getSourceSite(), command.getDestinationSite());
            finish(task, completed.status());
        } else if (outcome instanceof Outcome.NotYet notYet) {
            later(task, Duration.between(Instant.now(), notYet.notBefore()));
        } else if (outcome instanceof Outcome.Failed failed) {
            if (settings.retry().shouldRetry(task.attempt(), failed.code())) {
                Duration delay = settings.retry().delayAfter(task.attempt(), ThreadLocalRandom.current()::nextDouble);
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

    /** Runs the task again after {@code delay} without blocking a transfer thread; its dataset stays held. */
    private void later(Task task, Duration delay) {
        try {
            scheduler.schedule(() -> submit(task), Math.max(delay.toMillis(), 0), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("shutting down; command {} will be redelivered", task.command().getId());
        }
    }

    /** Writes the terminal status; only once the broker has it is the offset done and the dataset free. */
    private void finish(Task task, MigrationStatus status) {
        producer.send(new ProducerRecord<>(topics.migrationStatus.name(), status.getKey(), status),
                (metadata, error) -> {
                    if (error != null) {
                        // Without its status the command must run again: stop, so the group re-delivers it.
                        log.error("could not write the status of command {}; stopping", task.command().getId(),
                                error);
                        fatal.compareAndSet(null, error);
                        consumer.wakeup();
                    } else {
                        metrics.statusWritten(status.getPhase());
                        if (status.getPhase() == MigrationPhase.FAILED) {
                            metrics.failed(ErrorCode.fromCode(status.getErrorCode()));
                        }
                        PartitionProgress partitionProgress = progress.get(task.partition());
                        if (partitionProgress != null && partitionProgress.epoch() == task.epoch()) {
                            partitionProgress.finished(task.offset());
                        }
                    }
                    next(task);
                });
    }

    /** Frees the dataset's lane: starts its next command, if any. */
    private void next(Task task) {
        Task following;
        synchronized (lanes) {
            ArrayDeque<Task> lane = lanes.get(task.command().getKey());
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
    private void reportWaiting(Task task, ErrorCode code, String message) {
        MigrationStatus status = executor.status(task.command(), MigrationPhase.QUEUED, task.attempt(), 0);
        status.setErrorCode(code.code());
        status.setErrorMessage(message);
        send(status);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void send(MigrationStatus status) {
        producer.send(new ProducerRecord<>(topics.migrationStatus.name(), status.getKey(), status),
                (metadata, error) -> {
                    if (error == null) {
                        metrics.statusWritten(status.getPhase());
                    } else {
                        // A lost progress status is harmless: the terminal one decides, and its loss stops the pool.
                        log.warn("could not write a {} status of command {}: {}", status.getPhase(),
                                status.getCommandId(), error.toString());
                    }
                });
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        progress.forEach((partition, p) -> {
            long offset = p.toCommit();
            if (offset >= 0) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        });
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
            offsets.forEach((partition, offset) -> {
                PartitionProgress p = progress.get(partition);
                if (p != null) {
                    p.committed(offset.offset());
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
        scheduler.shutdownNow(); // deferred retires and retries: redelivered to whoever owns the partition next
        pool.shutdown();
        try {
            if (!pool.awaitTermination(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("transfers still running after {}; they are abandoned and will be redelivered",
                        settings.shutdownTimeout());
                pool.shutdownNow();
            }
            producer.flush();
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
            producer.close();
            deadLetters.close();
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
