package io.tierflow.localstack;

import io.tierflow.schemas.Site;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.topics.TopicAdmin;
import io.tierflow.topics.TopicSpec;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Everything Tierflow needs on one machine, started in one call: a KRaft Kafka broker (in-process), Apicurio
 * Registry serving the Confluent API (child JVM), three S3-compatible sites aws, azure and gcp (S3Proxy over the
 * filesystem) and an on-prem {@code file://} site. All listen on 127.0.0.1 and keep their state under one data
 * directory, so a restart finds its topics, schemas and objects again. Integration tests use this same class.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    /** Bucket (or subdirectory of the on-prem site) that holds Tierflow's objects on every local site. */
    public static final String BUCKET = "tierflow";
    /** Partitions of every Tierflow topic on the local broker. */
    public static final int PARTITIONS = Topics.DEFAULT_PARTITIONS;
    /** A running stack the next {@link #start} in this JVM stops first: see {@link #yieldToNextStart()}. */
    private static final AtomicReference<LocalStack> YIELDING = new AtomicReference<>();

    private final LocalStackConfig config;
    private final KafkaBroker broker;
    private final ApicurioRegistry registry;
    private final Map<String, S3Site> s3Sites = new LinkedHashMap<>();
    private SiteChaos chaos; // guarded by this
    private final Thread shutdownHook = new Thread(this::closeQuietly, "tierflow-local-stack-shutdown");

    private LocalStack(LocalStackConfig config, KafkaBroker broker, ApicurioRegistry registry) {
        this.config = config;
        this.broker = broker;
        this.registry = registry;
    }

    /**
     * Starts every component, creates Tierflow's topics and publishes the local sites to the {@code sites}
     * topic; returns once all of them answer.
     */
    public static LocalStack start(LocalStackConfig config) throws Exception {
        LocalStack yielding = YIELDING.getAndSet(null);
        if (yielding != null) {
            log.info("stopping the stack kept for reuse in this JVM: a JVM runs one broker");
            yielding.close();
        }
        Path dataDir = Files.createDirectories(config.dataDir()).toAbsolutePath();
        long started = System.nanoTime();
        // The registry is a separate JVM that takes seconds to boot: launch it first, start the rest meanwhile.
        ApicurioRegistry registry = ApicurioRegistry.launch(Files.createDirectories(dataDir.resolve("registry")),
                config.registryPort());
        KafkaBroker broker = new KafkaBroker(dataDir.resolve("kafka"), config.kafkaPort(), config.controllerPort());
        LocalStack stack = new LocalStack(config.withDataDir(dataDir), broker, registry);
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook); // Jetty and Kafka threads would keep the JVM alive
        try {
            broker.start(Duration.ofSeconds(120));
            for (String site : LocalStackConfig.S3_SITES) {
                stack.startSite(site);
            }
            Files.createDirectories(stack.onPremDirectory());
            stack.createTopics(); // needs only the broker: done while the registry still boots
            registry.awaitReady();
            stack.publishSites();
            stack.followChaosRequests();
        } catch (Exception | Error e) {
            stack.closeQuietly();
            throw e;
        }
        log.info("local stack ready in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
        return stack;
    }

    /** From now on, {@code tierflow chaos} (a control command) may stop and restart this stack's sites. */
    private void followChaosRequests() throws InterruptedException {
        SiteChaos listener = new SiteChaos(bootstrapServers(), topics().control, new SiteChaos.Sites() {
            @Override
            public void stopSite(String name) throws Exception {
                LocalStack.this.stopSite(name);
            }

            @Override
            public void startSite(String name) throws Exception {
                LocalStack.this.startSite(name);
            }
        });
        synchronized (this) {
            chaos = listener;
        }
        listener.start(Duration.ofSeconds(60));
    }

    /**
     * Lets the next {@link #start} in this JVM stop this stack instead of failing because a broker runs already (one
     * per JVM). For a stack a test JVM keeps running between tests (the test jar's SharedLocalStack): a test that needs
     * a stack of its own still gets one.
     */
    public void yieldToNextStart() {
        YIELDING.set(this);
    }

    /** Whether the broker runs: false once the stack is closed. */
    public boolean isRunning() {
        return broker.isRunning();
    }

    /** Kafka bootstrap servers. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The registry's Confluent-compatible API, to use as {@code schema.registry.url}. */
    public String schemaRegistryUrl() {
        return registry.confluentApiUrl();
    }

    /** Client settings for Tierflow's serdes ({@code schema.registry.url}). */
    public Map<String, Object> serdeConfig() {
        return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl());
    }

    /** The topic catalogue with serdes pointed at this stack's registry. */
    public Topics topics() {
        return Topics.using(serdeConfig());
    }

    public LocalStackConfig config() {
        return config;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** Every site, S3-compatible ones first, then on-prem. */
    public List<SiteEndpoint> sites() {
        return config.sites();
    }

    public SiteEndpoint site(String name) {
        return config.site(name);
    }

    /** An S3 client for one of the S3-compatible sites, with the stack's credentials. */
    public S3Client s3Client(String siteName) {
        return site(siteName).s3Client(config.s3AccessKey(), config.s3SecretKey());
    }

    /** Directory holding the on-prem site's objects. */
    public Path onPremDirectory() {
        return config.onPremDirectory();
    }

    /** Stops one S3-compatible site, as a site outage would; its objects stay on disk. */
    public synchronized void stopSite(String name) throws Exception {
        S3Site site = s3Sites.remove(name);
        if (site != null) {
            site.close();
            log.info("site {} stopped", name);
        }
    }

    /** Starts (or restarts) one S3-compatible site on its configured port. */
    public synchronized void startSite(String name) throws Exception {
        if (s3Sites.containsKey(name)) {
            return;
        }
        Integer port = config.sitePorts().get(name);
        if (port == null) {
            throw new IllegalArgumentException("no S3-compatible local site named '" + name + "'");
        }
        Path baseDir = config.dataDir().resolve("sites").resolve(name);
        s3Sites.put(name, S3Site.start(name, port, baseDir, BUCKET, config.s3AccessKey(), config.s3SecretKey()));
    }

    public synchronized boolean isSiteRunning(String name) {
        S3Site site = s3Sites.get(name);
        return site != null && site.isRunning();
    }

    /** What a person needs to connect, one endpoint per line (never the secret key). */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("  %-16s %s%n", "kafka", bootstrapServers()));
        text.append(String.format("  %-16s %s%n", "schema registry", schemaRegistryUrl()));
        for (SiteEndpoint site : sites()) {
            text.append(String.format("  %-16s %s  (bucket %s)%n", "site " + site.name(), site.endpoint(),
                    site.bucket()));
        }
        text.append(String.format("  %-16s access key '%s', secret key from TIERFLOW_S3_SECRET_KEY "
                + "(default in README)%n", "s3 credentials", config.s3AccessKey()));
        text.append(String.format("  %-16s %s%n", "data directory", dataDir()));
        return text.toString();
    }

    /**
     * For a process that stops the stack itself from its own shutdown hook, after the applications that use it.
     * Without this, the stack's hook would stop the broker at the same time (the JVM runs shutdown hooks
     * concurrently), and an exactly-once streams app closing in the other hook would wait on a broker that is gone.
     */
    public void leaveStoppingToOwner() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running, as before this call
        }
    }

    /** Stops everything, sites first, and waits for each part to finish. State stays on disk. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is what called us
        }
        closeQuietly();
    }

    private void closeQuietly() {
        stopFollowingChaosRequests();
        closeParts();
    }

    private void stopFollowingChaosRequests() {
        SiteChaos listener;
        synchronized (this) {
            listener = chaos;
            chaos = null;
        }
        if (listener != null) {
            listener.close(); // outside the lock: it may be waiting for it to stop or start a site
        }
    }

    /** What deletes a used stack's topics, for {@link #renew}. */
    @FunctionalInterface
    interface TopicWipe {
        void deleteAllTopics() throws Exception;
    }

    /**
     * Makes a running stack look just started again, for a test JVM that reuses one (the test jar's SharedLocalStack):
     * with the chaos listener stopped (it follows topic control by its position), {@code wipe} deletes the topics;
     * then the topics are created and the sites published as {@link #start} does, and chaos requests followed again.
     */
    void renew(TopicWipe wipe) throws Exception {
        stopFollowingChaosRequests();
        wipe.deleteAllTopics();
        createTopics();
        publishSites();
        followChaosRequests();
    }

    private synchronized void closeParts() {
        for (String name : List.copyOf(s3Sites.keySet())) {
            try {
                stopSite(name);
            } catch (Exception e) {
                log.warn("could not stop site {}: {}", name, e.toString());
            }
        }
        registry.requestStop(); // it takes about as long to stop as the broker: both at once
        broker.stop();
        registry.close();
    }

    private void createTopics() throws Exception {
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(adminProps)) {
            List<String> created = TopicAdmin.ensureTopics(admin, Topics.SPECS, PARTITIONS, (short) 1);
            if (!created.isEmpty()) {
                log.info("created topics {}", created);
            }
            // A producer writing to a topic the broker does not lead yet backs off for up to a second per retry.
            List<String> names = Topics.SPECS.stream().map(TopicSpec::name).toList();
            Readiness.await("leaders for every partition of " + names, Duration.ofSeconds(60),
                    () -> admin.describeTopics(names).allTopicNames().get().values().stream()
                            .flatMap(topic -> topic.partitions().stream()).allMatch(p -> p.leader() != null),
                    () -> true);
        }
    }

    /** Writes the local sites to the {@code sites} topic; its serde registers the schema, so the registry must be up. */
    private void publishSites() throws Exception {
        Topics topics = topics();
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Site> producer = new KafkaProducer<>(producerProps,
                topics.sites.keySerde().serializer(), topics.sites.valueSerde().serializer())) {
            for (SiteEndpoint endpoint : sites()) {
                Site site = LocalSiteCatalogue.site(endpoint);
                producer.send(new ProducerRecord<>(topics.sites.name(), site.getName(), site));
            }
            producer.flush();
        } catch (RuntimeException e) {
            throw new IOException("could not publish the local sites to topic " + Topics.SITES + ": " + e, e);
        }
    }
}
