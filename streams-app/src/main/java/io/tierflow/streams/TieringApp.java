package io.tierflow.streams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.streams.codec.TieringCodecs;
import io.tierflow.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tiering topology: wires configuration, lifecycle and metrics, nothing else. Exits non-zero if the streams
 * client dies (state ERROR); closes cleanly on shutdown; never wipes local state. Its {@link #meterRegistry()} holds
 * the topology's own metrics, a census of the local state, Kafka Streams' client metrics (consumer lag included)
 * and the JVM's, for the node's HTTP server to serve at {@code /metrics}.
 */
public final class TieringApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TieringApp.class);
    public static final String DEFAULT_APPLICATION_ID = "tierflow-streams";
    /**
     * How often the census gauges are recounted and Kafka's client metrics are looked at for new partitions (a
     * Prometheus scrape interval: more often would only count the same state again).
     */
    public static final Duration DEFAULT_METRICS_REFRESH = Duration.ofSeconds(15);
    /**
     * A census waits at least this many times its own duration before the next. It reads every dataset record of the
     * node: in a 38 s run of scripts/bench topology over 100 k datasets the metrics thread used 1.2 s of CPU, about
     * three censuses at 4 µs a dataset. Every 15 s, a node with a million datasets would spend a quarter of a core on
     * it. With 19, a census takes at most a twentieth of a core, and a large node's gauges are recounted less often
     * than the refresh interval instead.
     */
    static final long CENSUS_IDLE_PER_BUSY = 19;

    private final KafkaStreams streams;
    private final ModelScoreboard modelScoreboard;
    private final LocalStateReadiness readiness = new LocalStateReadiness(Duration.ofSeconds(2));
    private final PrometheusMeterRegistry registry;
    private final boolean ownsRegistry;
    private final KafkaStreamsMetrics kafkaMetrics;
    private final JvmGcMetrics gcMetrics;
    private final CensusMetrics census;
    private final Duration metricsRefresh;
    private final ScheduledExecutorService metricsThread =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tierflow-metrics");
                t.setDaemon(true);
                return t;
            });
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaStreams.State lastState = KafkaStreams.State.CREATED;

    /** Settings every deployment of the topology gets unless overridden (STYLE: putIfAbsent defaults). */
    public static Map<String, Object> topologyConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        // Bad records in the global tables (sites, policies, models) are dead-lettered too, not fatal.
        config.put("processing.exception.handler.global.enabled", true);
        // Decisions work on minutes to hours, so outputs may wait a second for their transaction: committing every
        // second rather than every 100 ms (the exactly-once default) lets a popular dataset's activity updates merge
        // over a second before they reach RocksDB and the changelog (see WriteBehindStore), and cuts transactions
        // tenfold.
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
        // The record cache now serves alerts-store alone (a few keys); the activity and cost-ledger stores hold their
        // values themselves. Left at this size for stores a deployment adds.
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
        // Start-up: restoring a global store (sites, policies, models) asks for each partition's offsets while the
        // fetch of the partition before is still parked at the broker, which answers a connection's requests in order,
        // so each partition after the first waited out fetch.max.wait.ms (500 ms): a second of a three-second start.
        // The global and restore consumers read short backlogs and then sit at their end, where 50 ms costs nothing.
        config.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        config.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        // Process what is buffered without first waiting for every input to be fetched. The dataset task reads four
        // topics, three of them (datasets, migration-status, control) empty nearly all the time, and with any other
        // value Kafka Streams 4.3.1 formats a (never logged) message per empty partition before every record
        // (PartitionGroup.readyToProcess), a large share of the stream thread (ADR 10). What it gives up: while
        // catching up on a backlog, records of different topics are interleaved by what has been fetched, not
        // strictly by timestamp. Live (inputs at their end) the two behave alike; a replay that must be reproducible
        // to the record sets max.task.idle.ms=0 (tierflow streams --event-time-clock does, see StreamsCommand).
        config.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // A member busy processing hears of a rebalance only in a heartbeat's answer, so every rebalance waits up to a
        // heartbeat interval (3 s by default) for the members that did not start it. On a first start there is always
        // a second one: the leader creates the repartition topics while assigning, finds its metadata changed and
        // joins again, and one stream thread's tasks waited 1.5-2.5 s for the other thread's heartbeat (a tenth of a
        // run of scripts/bench topology). A heartbeat every half second costs the broker two small requests a second
        // per stream thread.
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 500);
        // One stream thread per core: the stream thread is what limits the topology; with one thread, scripts/bench
        // topology left part of a two-core machine idle (docs/perf-log/2026-11-22-thread-per-core.md). A thread
        // without a task idles.
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Runtime.getRuntime().availableProcessors());
        return config;
    }

    /**
     * @param config Kafka Streams settings plus {@code schema.registry.url}; defaults from
     *     {@link #topologyConfig()} are filled in where absent
     */
    public TieringApp(Properties config, TieringSettings settings) {
        this(config, settings, null, DEFAULT_METRICS_REFRESH);
    }

    /**
     * @param registry where to put the metrics, or null for a registry of the app's own (closed with it)
     * @param metricsRefresh how often the census gauges (datasets, bytes, cost per site, alerts) are recounted (less
     *     often after a long census, see {@link #CENSUS_IDLE_PER_BUSY}) and
     *     Kafka's client metrics are re-read for partitions assigned since
     */
    public TieringApp(Properties config, TieringSettings settings, PrometheusMeterRegistry registry,
            Duration metricsRefresh) {
        this.ownsRegistry = registry == null;
        this.registry = registry == null ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : registry;
        this.metricsRefresh = metricsRefresh;
        TieringMetrics metrics = new TieringMetrics(this.registry);
        this.modelScoreboard = metrics.modelScoreboard();
        Properties effective = new Properties();
        effective.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        topologyConfig().forEach(effective::put);
        effective.putAll(config);
        effective.put(TieringMetrics.CONFIG, metrics);
        effective.put(DatasetInputsGate.PARTITIONS_CONFIG, datasetInputPartitions(effective));
        Map<String, Object> serdeConfig = new HashMap<>();
        effective.forEach((k, v) -> serdeConfig.put(k.toString(), v));
        Topology topology = TieringTopology.build(Topics.using(serdeConfig, TieringCodecs.ALL), settings, metrics);
        log.debug("tiering topology:\n{}", topology.describe());
        streams = new KafkaStreams(topology, effective);
        ThreadFailures failures = new ThreadFailures(5, 10 * 60_000L);
        streams.setUncaughtExceptionHandler(e -> {
            StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse response =
                    failures.onDeath(e, System.currentTimeMillis());
            if (response == StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD) {
                log.warn("stream thread died of a schema registry it could not reach; replacing the thread", e);
            } else {
                log.error("stream thread died; shutting the client down", e);
            }
            return response;
        });
        streams.setGlobalStateRestoreListener(readiness);
        streams.setStateListener((newState, oldState) -> {
            log.info("streams state {} -> {}", oldState, newState);
            lastState = newState;
            readiness.onStateChange(newState);
            if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        // Kafka Streams' own metrics, with those of its consumers: kafka_consumer_fetch_manager_records_lag
        // {topic, partition} is the lag of every input partition this node owns, as its consumer measured it at
        // the last fetch; the migrator's consumer reports under the same name, so one panel shows both.
        // Micrometer binds a Kafka metric only when it looks for new ones (every minute by default); per-partition
        // lag appears after the assignment, so it looks as often as the census runs.
        kafkaMetrics = new KafkaStreamsMetrics(streams, java.util.List.of(), metricsThread, metricsRefresh);
        kafkaMetrics.bindTo(this.registry);
        for (KafkaStreams.State state : KafkaStreams.State.values()) {
            Gauge.builder("tierflow.streams.state", () -> lastState == state ? 1 : 0)
                    .description("1 for the state the Kafka Streams client is in, 0 for the others")
                    .tag("state", TieringMetrics.lower(state)).register(this.registry);
        }
        new JvmMemoryMetrics().bindTo(this.registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(this.registry);
        new JvmThreadMetrics().bindTo(this.registry);
        new ClassLoaderMetrics().bindTo(this.registry);
        new ProcessorMetrics().bindTo(this.registry);
        new UptimeMetrics().bindTo(this.registry);
        census = new CensusMetrics(streams, this.registry);
    }

    /**
     * The partition count of the topics keyed by dataset, read from the broker; fails with the reason when one is
     * missing or their counts differ (see CoPartitioning). The dataset inputs' gate needs it to tell a record on the
     * partition that owns its key from one a producer put elsewhere.
     */
    private static int datasetInputPartitions(Properties config) {
        Map<String, Object> adminConfig = new StreamsConfig(config).getAdminConfigs("tierflow-partition-check");
        try (Admin admin = Admin.create(adminConfig)) {
            Map<String, Integer> counts = new HashMap<>();
            for (String topic : CoPartitioning.TOPICS) {
                try {
                    TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                            .get(30, TimeUnit.SECONDS).get(topic);
                    counts.put(topic, description.partitions().size());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new IllegalStateException("could not read the partition count of " + topic + ": "
                                + e.getCause(), e.getCause());
                    }
                }
            }
            return CoPartitioning.partitionCount(counts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the partition counts of the input topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not say within 30 s how many partitions the input topics "
                    + "have (" + config.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG) + ")", e);
        }
    }

    public void start() {
        streams.start();
        metricsThread.execute(this::takeCensus);
    }

    private void takeCensus() {
        long started = System.nanoTime();
        try {
            census.run();
        } catch (RuntimeException e) {
            // A census is best effort; the next one retries. It must not kill the scheduler thread.
            log.warn("census of the local state failed", e);
        }
        try {
            metricsThread.schedule(this::takeCensus,
                    nextCensusDelayMs(metricsRefresh, (System.nanoTime() - started) / 1_000_000), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // close() shut the metrics thread down meanwhile: no next census
        }
    }

    /** The wait before the next census: the refresh interval, or longer after a long census. */
    static long nextCensusDelayMs(Duration refresh, long lastCensusMs) {
        return Math.max(refresh.toMillis(), CENSUS_IDLE_PER_BUSY * lastCensusMs);
    }

    /** The node's metrics in Prometheus format ({@code scrape()}), for the HTTP server's {@code /metrics}. */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** The running client, for interactive queries. */
    /** Whether a store partition here is complete enough to answer "no such key" (see LocalStateReadiness). */
    public LocalStateReadiness readiness() {
        return readiness;
    }

    /** The live figures of the models in force on this node's tasks, for the API's {@code /models}. */
    public ModelScoreboard modelScoreboard() {
        return modelScoreboard;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Blocks until the client stops; returns the process exit code (non-zero after an error). */
    public int awaitTermination() throws InterruptedException {
        stopped.await();
        return lastState == KafkaStreams.State.ERROR ? 1 : 0;
    }

    /**
     * Stops the node and leaves the consumer group. Kafka Streams' own default stays in the group, which only pays
     * off with static membership (not used here): a node with a dynamic member id comes back as a new member, so
     * every other node would wait out the session timeout (45 s) before taking over the partitions it held, and
     * its API would answer 503 for those keys meanwhile.
     */
    @Override
    public void close() {
        metricsThread.shutdownNow();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        kafkaMetrics.close();
        gcMetrics.close();
        if (ownsRegistry) {
            registry.close();
        }
    }
}
