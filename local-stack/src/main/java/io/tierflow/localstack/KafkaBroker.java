package io.tierflow.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.metrics.KafkaYammerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka KRaft server (combined broker + controller) running inside this JVM.
 *
 * <p>Everything binds to 127.0.0.1. The log directory is formatted on the first start only; later
 * starts on the same directory reuse the cluster id in {@code meta.properties}, so data survives.
 * {@link #stop()} shuts down and waits, after which the same JVM may start a new instance on the
 * same directory.
 */
final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    public static final int NODE_ID = 1;
    public static final String CONTROLLER_LISTENER = "CONTROLLER";
    public static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String HOST = LocalStackConfig.HOST;

    /**
     * The broker's Yammer metrics (and their JMX beans) live in one JVM-wide registry whose names carry
     * no node id, so two brokers in one JVM would share gauges. Allow one running instance per JVM.
     */
    private static final AtomicReference<KafkaBroker> RUNNING = new AtomicReference<>();

    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;

    private KafkaRaftServer server;
    private String clusterId;

    public KafkaBroker(Path logDir, int brokerPort, int controllerPort) {
        this(logDir, brokerPort, controllerPort, Map.of());
    }

    /** @param overrides extra broker properties, applied last (they win over the defaults here). */
    public KafkaBroker(Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        this.logDir = logDir.toAbsolutePath().normalize();
        if (brokerPort <= 0 || controllerPort <= 0 || brokerPort == controllerPort) {
            throw new IllegalArgumentException("need two distinct fixed ports, got " + brokerPort + "/" + controllerPort);
        }
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.overrides = Map.copyOf(overrides);
    }

    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    public Path logDir() {
        return logDir;
    }

    /** The cluster id: read from meta.properties, or the one written when the directory was formatted. */
    public synchronized String clusterId() {
        return clusterId;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Formats the directory if needed, starts the server and blocks until a client can use it. */
    public synchronized KafkaBroker start(Duration timeout) throws Exception {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        if (!RUNNING.compareAndSet(null, this)) {
            throw new IllegalStateException("another KafkaBroker is running in this JVM: " + RUNNING.get().logDir);
        }
        try {
            doStart(timeout);
        } catch (Throwable t) {
            RUNNING.compareAndSet(this, null);
            throw t;
        }
        return this;
    }

    private void doStart(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        // A controller that cannot bind its port is a *fatal fault* in Kafka: ProcessTerminatingFaultHandler
        // calls Exit.halt(1) and the whole JVM dies. Fail here, with a plain exception, instead.
        checkPortFree(controllerPort, "controller");
        checkPortFree(brokerPort, "broker");
        Files.createDirectories(logDir);
        KafkaConfig config = new KafkaConfig(brokerProperties(), false);
        clusterId = formatIfNeeded(config);

        // The constructor reads meta.properties (and fails if the dir is not formatted); startup()
        // starts the controller and then the broker, and only returns once the broker has caught up
        // with the metadata log, been unfenced and opened its acceptors (BrokerServer.startup).
        KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            s.startup();
        } catch (Throwable t) {
            // BrokerServer/ControllerServer already call shutdown() on a startup failure; make sure.
            shutdownQuietly(s);
            throw t;
        }
        server = s;
        try {
            awaitReady(deadline);
        } catch (Exception e) {
            server = null;
            shutdownQuietly(s);
            throw e;
        }
    }

    public KafkaBroker start() throws Exception {
        return start(Duration.ofSeconds(60));
    }

    /** Shuts down (controlled shutdown of the broker, then the controller) and waits for it to finish. */
    public synchronized void stop() {
        KafkaRaftServer s = server;
        server = null;
        if (s != null) {
            shutdownQuietly(s);
            RUNNING.compareAndSet(this, null);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
        } catch (Throwable t) {
            LOG.warn("KafkaRaftServer.shutdown failed", t);
        }
        try {
            s.awaitShutdown();
        } catch (Throwable t) {
            LOG.warn("KafkaRaftServer.awaitShutdown failed", t);
        }
        clearYammerMetrics();
    }

    /**
     * Shutdown leaves ~90 broker gauges in the JVM-wide Yammer registry (and JMX). Yammer's newGauge
     * returns an existing metric of the same name, so a restarted broker would keep reporting the old
     * instance's values (e.g. BrokerState stays SHUTTING_DOWN) and pin the old objects in memory.
     * Same as Kafka's own TestUtils.clearYammerMetrics(); clients and Kafka Streams do not use this registry.
     */
    private static void clearYammerMetrics() {
        var registry = KafkaYammerMetrics.defaultRegistry();
        for (var name : List.copyOf(registry.allMetrics().keySet())) {
            registry.removeMetric(name);
        }
    }

    /** Binds the way Kafka's ServerSocketFactory does (ServerSocketChannel, 127.0.0.1), then releases the port. */
    private static void checkPortFree(int port, String what) throws IOException {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            ch.socket().bind(new InetSocketAddress(HOST, port));
        } catch (IOException e) {
            throw new IOException(what + " port " + HOST + ":" + port + " is not free: " + e.getMessage(), e);
        }
    }

    Properties brokerProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        // KRaft, combined mode, one static voter (kraft.version 0: no dynamic quorum to bootstrap).
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());

        // One node: every internal topic gets RF 1 / min ISR 1.
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");

        // Small footprint on a 2-core dev box.
        p.put("log.cleaner.dedupe.buffer.size", Long.toString(8L * 1024 * 1024)); // default 128 MiB on-heap
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));  // default 10 MiB mmap per segment

        p.putAll(overrides);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    /**
     * Formats the metadata/log directory unless it already holds a meta.properties. Mirrors what
     * {@code kafka-storage.sh format} (StorageTool.runFormatCommand) does for a static-quorum node.
     */
    private String formatIfNeeded(KafkaConfig config) throws Exception {
        String dir = config.metadataLogDir();
        MetaPropertiesEnsemble ensemble = new MetaPropertiesEnsemble.Loader()
                .addMetadataLogDir(dir)
                .addLogDirs(config.logDirs())
                .load();
        if (!ensemble.errorLogDirs().isEmpty()) {
            throw new IOException("unreadable meta.properties in " + ensemble.errorLogDirs());
        }
        if (ensemble.emptyLogDirs().isEmpty()) {
            // Already formatted: check it belongs to this node, and reuse its cluster id.
            ensemble.verify(Optional.empty(), OptionalInt.of(NODE_ID),
                    EnumSet.of(MetaPropertiesEnsemble.VerificationFlag.REQUIRE_METADATA_LOG_DIR));
            String existing = ensemble.clusterId().orElseThrow(() -> new IOException("no cluster.id in " + dir));
            LOG.info("Log dir {} already formatted, cluster id {}", dir, existing);
            return existing;
        }
        if (!ensemble.logDirProps().isEmpty()) {
            throw new IOException("some log dirs are formatted and some are not: " + ensemble);
        }
        String newId = Uuid.randomUuid().toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream(); // Formatter prints; send it to the log instead
        new Formatter()
                .setPrintStream(new PrintStream(out, true, StandardCharsets.UTF_8))
                .setNodeId(NODE_ID)
                .setClusterId(newId)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(dir)
                .setDirectories(config.logDirs())
                .addDirectory(dir)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setHasDynamicQuorum(false) // static controller.quorum.voters => kraft.version 0
                .run();
        LOG.info("Formatted {} with cluster id {}", dir, newId);
        LOG.debug("Formatter output: {}", out.toString(StandardCharsets.UTF_8).trim());
        return newId;
    }

    /** Waits until the broker answers describeCluster and lists itself: no fixed sleeps. */
    private void awaitReady(long deadlineNanos) throws Exception {
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        ap.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
        ap.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        ap.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(ap)) {
            Exception last = null;
            while (System.nanoTime() < deadlineNanos) {
                long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
                int callMs = (int) Math.min(leftMs, 10_000);
                try {
                    DescribeClusterResult r = admin.describeCluster(new DescribeClusterOptions().timeoutMs(callMs));
                    String id = r.clusterId().get(callMs, TimeUnit.MILLISECONDS);
                    boolean listed = r.nodes().get(callMs, TimeUnit.MILLISECONDS).stream()
                            .anyMatch(n -> n.id() == NODE_ID);
                    if (listed && Objects.equals(id, clusterId)) {
                        return;
                    }
                    last = new IllegalStateException("describeCluster: cluster " + id + ", node listed " + listed);
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(50); // retry back-off only; normally the first describeCluster succeeds
            }
            throw new TimeoutException("broker at " + bootstrapServers() + " not ready in time: " + last);
        }
    }
}
