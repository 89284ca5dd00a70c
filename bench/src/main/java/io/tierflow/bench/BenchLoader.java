package io.tierflow.bench;

import io.tierflow.cli.traffic.BurstSchedule;
import io.tierflow.cli.traffic.DatasetInventory;
import io.tierflow.cli.traffic.DatasetSpec;
import io.tierflow.cli.traffic.DiurnalCycle;
import io.tierflow.cli.traffic.TrafficConfig;
import io.tierflow.cli.traffic.TrafficGenerator;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import io.tierflow.topics.Topic;
import io.tierflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Loads the benchmark's input as fast as the broker takes it: one {@code Dataset} per dataset into {@code datasets},
 * then the access events, each a distinct record serialized with the real serde, into {@code access-events}.
 */
final class BenchLoader {
    /** Daily rhythm of the generated traffic: the peak is three times the trough. */
    static final double DIURNAL_AMPLITUDE = 0.5;
    /** Largest generated dataset; sizes are log-normal around 1 MiB. */
    static final long MAX_OBJECT_BYTES = 16L << 20;
    /** A few datasets of middling popularity burst now and then, so promotions and demotions happen too. */
    static final Duration BURST_EVERY = Duration.ofMinutes(30);
    static final Duration BURST_LENGTH = Duration.ofMinutes(5);
    static final double BURST_FACTOR = 20;

    /**
     * What to load.
     *
     * @param seed seed of the inventory and the traffic
     * @param datasets datasets in the inventory
     * @param events access events after the inventory
     * @param start event time of the first event; the inventory is stamped a minute before
     * @param eventRate mean events per second of event time
     * @param zipfExponent popularity skew
     */
    record Plan(long seed, int datasets, long events, Instant start, double eventRate, double zipfExponent) {
    }

    /** What was loaded. */
    record Loaded(int datasets, long events, Duration eventsElapsed, Instant firstEventTime, Instant lastEventTime) {
        double eventsPerSecond() {
            return events / (eventsElapsed.toNanos() / 1e9);
        }
    }

    private final String bootstrapServers;
    private final Topics topics;
    private final Plan plan;
    private final Progress progress;

    BenchLoader(String bootstrapServers, Topics topics, Plan plan, Progress progress) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.plan = plan;
        this.progress = progress;
    }

    Loaded load() {
        List<DatasetSpec> inventory = inventory(plan.seed(), plan.datasets());
        loadInventory(inventory);
        return loadEvents(inventory);
    }

    /**
     * The inventory, stamped just before the first event: Kafka Streams processes a task's inputs in timestamp
     * order, so the topology knows every dataset before the first access to it, as it would in production.
     */
    private void loadInventory(List<DatasetSpec> inventory) {
        Instant at = plan.start().minus(Duration.ofMinutes(1));
        long started = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, Dataset> producer = producer(topics.datasets)) {
            for (DatasetSpec spec : inventory) {
                Dataset dataset = spec.toRecord(placeholderSha256(spec), "\"bench-" + Long.toHexString(spec.contentSeed())
                        + "\"", at);
                producer.send(new ProducerRecord<>(Topics.DATASETS, null, at.toEpochMilli(), spec.key(), dataset),
                        failureTo(failure));
                throwIfFailed(failure);
            }
            producer.flush();
        }
        throwIfFailed(failure);
        progress.say("loaded %d datasets in %.1f s", inventory.size(), (System.nanoTime() - started) / 1e9);
    }

    private Loaded loadEvents(List<DatasetSpec> inventory) {
        TrafficConfig config = new TrafficConfig(plan.seed(), plan.start(), plan.eventRate(),
                plan.zipfExponent(), new DiurnalCycle(DIURNAL_AMPLITUDE), TrafficConfig.DEFAULT_REGIONS,
                new BurstSchedule(burstRanks(inventory.size()), BURST_EVERY, BURST_LENGTH, BURST_FACTOR));
        TrafficGenerator traffic = new TrafficGenerator(config, inventory);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback onFailure = failureTo(failure);
        long total = plan.events();
        progress.say("loading %s access events over %d datasets (Zipf s=%.2f, about %s events per second of event "
                + "time from %s)...", Progress.count(total), inventory.size(), plan.zipfExponent(),
                Progress.count(plan.eventRate()), plan.start());
        long started = System.nanoTime();
        long nextReport = started + Progress.EVERY_NANOS;
        Instant first = null;
        Instant last = null;
        try (KafkaProducer<String, AccessEvent> producer = producer(topics.accessEvents)) {
            for (long i = 0; i < total; i++) {
                AccessEvent event = traffic.next();
                last = event.getEventTime();
                if (first == null) {
                    first = last;
                }
                producer.send(new ProducerRecord<>(Topics.ACCESS_EVENTS, null, last.toEpochMilli(), event.getKey(),
                        event), onFailure);
                if ((i & 0xFFF) == 0) {
                    throwIfFailed(failure);
                    long now = System.nanoTime();
                    if (now >= nextReport) {
                        progress.say("  %s / %s events sent (%.0f%%), %s events/s", Progress.count(i),
                                Progress.count(total), 100.0 * i / total, Progress.count(i / ((now - started) / 1e9)));
                        nextReport = now + Progress.EVERY_NANOS;
                    }
                }
            }
            producer.flush();
        }
        throwIfFailed(failure);
        Loaded loaded = new Loaded(inventory.size(), total, Duration.ofNanos(System.nanoTime() - started), first, last);
        progress.say("loaded %s events in %.1f s: %s events/s; event time %s .. %s", Progress.count(total),
                loaded.eventsElapsed().toNanos() / 1e9, Progress.count(loaded.eventsPerSecond()), first, last);
        return loaded;
    }

    /** The generated datasets, rank 1 first, primaries spread evenly over the local stack's four sites. */
    static List<DatasetSpec> inventory(long seed, int datasets) {
        List<String> sites = new ArrayList<>(List.of(LocalStackConfig.S3_SITES));
        sites.add(LocalStackConfig.ONPREM_SITE);
        return DatasetInventory.generate(seed, datasets, sites, MAX_OBJECT_BYTES);
    }

    /** Ranks around the 0.1st, 1st and 10th percentile of popularity. */
    static Set<Integer> burstRanks(int datasets) {
        Set<Integer> ranks = new TreeSet<>();
        for (int divisor : new int[] {1000, 100, 10}) {
            ranks.add(Math.max(1, datasets / divisor));
        }
        return ranks;
    }

    /**
     * No object is uploaded and no migrator runs, so nothing verifies a copy against this: a hash of the spec stands
     * in for the content's SHA-256, which would mean reading ~160 GB of generated bytes for 100 k datasets.
     */
    static String placeholderSha256(DatasetSpec spec) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(spec.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM, which every JVM must have", e);
        }
    }

    private <V> KafkaProducer<String, V> producer(Topic<String, V> topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Big batches, lz4: the load is limited by this machine's two cores, not by the loopback network.
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-loader-" + topic.name());
        return new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private static Callback failureTo(AtomicReference<Exception> failure) {
        return (metadata, exception) -> {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            }
        };
    }

    private static void throwIfFailed(AtomicReference<Exception> failure) {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("loading failed: " + e, e);
        }
    }
}
