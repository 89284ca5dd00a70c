package io.tierflow.migrator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
 * period, site down) does not hold the commit back nor count against fetching: see {@link PartitionProgress}, and
 * {@link OwnedPartitions} for the offsets of the partitions the pool owns. A command older than the newest seen for
 * its dataset is skipped as SUPERSEDED ({@link SequenceMemory}).
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
    private final MigratorMetrics metrics;
    private final List<KafkaClientMetrics> clientMetrics;
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    private final CommandRunner runner;
    private final OwnedPartitions partitions;
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
        this.partitions = new OwnedPartitions(consumer, progress, runner::enqueue, settings.maxPending());
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
            consumer.subscribe(List.of(topics.migrationCommands.name()), partitions);
            while (running && fatal.get() == null) {
                try {
                    for (ConsumerRecord<String, MigrationCommand> record : consumer.poll(Duration.ofMillis(200))) {
                        accept(record);
                    }
                } catch (RecordDeserializationException e) {
                    deadLetter(e);
                }
                partitions.releaseReplayed();
                partitions.commit();
                partitions.throttle();
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
        PartitionProgress partitionProgress = partitions.progress(e.topicPartition());
        if (partitionProgress != null) {
            partitionProgress.skipped(e.offset());
        }
        consumer.seek(e.topicPartition(), e.offset() + 1);
    }

    private void accept(ConsumerRecord<String, MigrationCommand> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionProgress partitionProgress = partitions.progress(partition);
        if (partitionProgress == null || record.value() == null) {
            return;
        }
        MigrationCommand command = record.value();
        sequences.seen(command.getKey(), command.getSequence());
        if (partitionProgress.isReplay(record.offset())) {
            partitions.replayed(partition, partitionProgress, command, record.offset());
            return;
        }
        partitionProgress.accepted(record.offset());
        metrics.commandReceived(command.getAction());
        statuses.send(executor.status(command, MigrationPhase.QUEUED, 1, 0));
        runner.enqueue(new CommandTask(command, partition, record.offset(), partitionProgress.epoch(), 1, false, false));
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
                partitions.commit();
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
