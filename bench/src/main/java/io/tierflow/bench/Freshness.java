package io.tierflow.bench;

import io.tierflow.cli.traffic.DatasetSpec;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.topics.Topic;
import io.tierflow.topics.Topics;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Freshness of the API: produces access events at a fixed rate and, for a sample of them, measures the time from
 * handing the event to the producer until {@code GET /datasets/{key}} shows its effect.
 *
 * <p>Sampled events ("probes") go to probe datasets that no other event touches, one probe per dataset at a time,
 * each stamped with the wall-clock millisecond it is sent at as its event time. Event times of one dataset only grow,
 * so {@code activity.lastAccess} reaching the probe's event time is exactly "this event has been processed", and
 * nothing else can cause it. Every other event is ordinary traffic (Zipf popularity over the other datasets, event
 * time = now), so the node does the work it would do in production while the probes are measured.
 */
final class Freshness {
    /**
     * How freshness is measured.
     *
     * @param eventsPerSecond rate of all events produced, probes included
     * @param duration how long events are produced
     * @param probeEvery one event in this many is a probe
     * @param probeDatasets how many datasets take probes, round-robin (each is reused every
     *     {@code probeDatasets × probeEvery} events, long after its last probe was seen)
     * @param pollInterval pause between two reads of a probe's dataset, or 5 % of the time the probe has waited if
     *     that is longer; bounds the resolution
     * @param timeout a probe not visible after this long fails the benchmark
     */
    record Settings(double eventsPerSecond, Duration duration, int probeEvery, int probeDatasets,
            Duration pollInterval, Duration timeout) {
        Settings {
            if (!(eventsPerSecond > 0) || duration.isNegative() || duration.isZero() || probeEvery < 1
                    || probeDatasets < 1 || pollInterval.isNegative() || pollInterval.isZero()
                    || timeout.compareTo(pollInterval) <= 0) {
                throw new IllegalArgumentException("freshness needs a positive rate, duration, probe spacing and "
                        + "probe datasets, and a timeout longer than the poll interval: " + this);
            }
        }

        long events() {
            return Math.round(eventsPerSecond * duration.toNanos() / 1e9);
        }
    }

    /**
     * What was measured.
     *
     * @param events events produced
     * @param produceSeconds how long producing them took (the achieved rate is events / this)
     * @param latenciesMs produce-to-visible time of every probe, in milliseconds
     * @param sentAtSeconds when each of those probes was sent, in seconds since producing began (same order)
     * @param skipped probes not sent because the dataset's previous probe was still not visible
     * @param polls GETs made to see the probes
     */
    record Result(long events, double produceSeconds, List<Double> latenciesMs, List<Double> sentAtSeconds,
            long skipped, long polls) {
        Result {
            latenciesMs = List.copyOf(latenciesMs);
            sentAtSeconds = List.copyOf(sentAtSeconds);
            if (latenciesMs.size() != sentAtSeconds.size()) {
                throw new IllegalArgumentException("one send time per latency");
            }
        }

        /**
         * Median and p99 of the probes sent in each window of {@code seconds}: growing from window to window, the
         * node processes more slowly than the events arrive and freshness is its lag, not the API's delay.
         */
        List<String> byWindow(int seconds) {
            java.util.TreeMap<Integer, List<Double>> windows = new java.util.TreeMap<>();
            for (int i = 0; i < latenciesMs.size(); i++) {
                windows.computeIfAbsent((int) (sentAtSeconds.get(i) / seconds), w -> new ArrayList<>())
                        .add(latenciesMs.get(i));
            }
            List<String> lines = new ArrayList<>();
            windows.forEach((window, values) -> lines.add(String.format(java.util.Locale.ROOT,
                    "sent %3d-%3d s: %4d probes, p50 %8.1f ms, p99 %8.1f ms", window * seconds, (window + 1) * seconds,
                    values.size(), ApiSummary.percentile(values, 50), ApiSummary.percentile(values, 99))));
            return lines;
        }

        double achievedRate() {
            return events / produceSeconds;
        }
    }

    private final String bootstrapServers;
    private final Topics topics;
    private final Settings settings;
    private final Progress progress;

    Freshness(String bootstrapServers, Topics topics, Settings settings, Progress progress) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Produces the events and watches the probes through {@code apiBaseUrl}; returns once every probe has been seen.
     *
     * @param inventory every dataset, rank 1 first
     * @param seed seed of the ordinary traffic
     */
    Result run(List<DatasetSpec> inventory, long seed, String apiBaseUrl) throws InterruptedException {
        FreshnessEvents events = new FreshnessEvents(inventory, seed, settings);

        Map<String, ProbePoller.Probe> inFlight = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<ProbePoller.Seen> latencies = new ConcurrentLinkedQueue<>();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong polls = new AtomicLong();
        // HTTP/1.1 with keep-alive, as a client of the API would; the JDK client would otherwise try an h2c upgrade.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-freshness-poller");
            thread.setDaemon(true);
            return thread;
        });

        long total = settings.events();
        long skipped = 0;
        long probesSent = 0;
        double intervalNanos = 1e9 / settings.eventsPerSecond();
        progress.say("freshness: %s events at %s events/s for %d s, one in %d a probe over %d datasets, polled "
                + "every %d ms through %s", Progress.count(total), Progress.count(settings.eventsPerSecond()),
                settings.duration().toSeconds(), settings.probeEvery(), events.probeDatasetCount(),
                settings.pollInterval().toMillis(), apiBaseUrl);
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        long started;
        long produced;
        try {
            try (KafkaProducer<String, AccessEvent> producer = producer(topics.accessEvents)) {
                started = System.nanoTime();
                progress.say("freshness: sending from %s (probe send times count from here)", Instant.now());
                ProbePoller poller = new ProbePoller(settings, http, scheduler, apiBaseUrl, inFlight, latencies,
                        failure, polls, started);
                long nextReport = started + Progress.EVERY_NANOS;
                // A fixed schedule (event i is due at start + i / rate) rather than a token bucket: it needs no
                // library, does not drift, and catches up after a stall instead of lowering the rate.
                for (produced = 0; produced < total; produced++) {
                    long due = started + (long) (produced * intervalNanos);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (produced % settings.probeEvery() == 0) {
                        DatasetSpec spec = events.probeDataset(probesSent++);
                        if (inFlight.containsKey(spec.key())) {
                            skipped++;
                        } else {
                            long eventTime = System.currentTimeMillis();
                            AccessEvent probe = events.probe(spec, eventTime, probesSent);
                            ProbePoller.Probe inflight = new ProbePoller.Probe(spec.key(), eventTime,
                                    System.nanoTime());
                            inFlight.put(spec.key(), inflight);
                            send(producer, probe, sendFailure);
                            poller.watch(inflight);
                            continue;
                        }
                    }
                    send(producer, events.ordinary(), sendFailure);
                    if ((produced & 0x3FF) == 0) {
                        throwIfFailed(sendFailure, failure);
                        long now = System.nanoTime();
                        if (now >= nextReport) {
                            progress.say("  %s / %s events sent, %s events/s, %d probes seen, %d in flight",
                                    Progress.count(produced), Progress.count(total),
                                    Progress.count(produced / ((now - started) / 1e9)), latencies.size(),
                                inFlight.size());
                            nextReport = now + Progress.EVERY_NANOS;
                        }
                    }
                }
                producer.flush();
            }
            double produceSeconds = (System.nanoTime() - started) / 1e9;
            throwIfFailed(sendFailure, failure);
            progress.say("freshness: %s events sent in %.1f s (%s events/s); waiting for the last %d probes",
                    Progress.count(produced), produceSeconds, Progress.count(produced / produceSeconds),
                    inFlight.size());
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            while (!inFlight.isEmpty() && failure.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(settings.pollInterval().toMillis()); // polling a condition: the probes still in flight
            }
            throwIfFailed(sendFailure, failure);
            if (!inFlight.isEmpty()) {
                throw new IllegalStateException(inFlight.size() + " probe events were still not visible through the "
                        + "API " + settings.timeout() + " after producing ended, e.g. "
                        + inFlight.values().iterator().next());
            }
            List<ProbePoller.Seen> seen = new ArrayList<>(latencies);
            return new Result(produced, produceSeconds, seen.stream().map(ProbePoller.Seen::latencyMs).toList(),
                    seen.stream().map(ProbePoller.Seen::sentAtSeconds).toList(), skipped, polls.get());
        } finally {
            scheduler.shutdownNow(); // also when producing or a probe failed: no poll outlives the measurement
        }
    }

    private static void send(KafkaProducer<String, AccessEvent> producer, AccessEvent event,
            AtomicReference<Exception> failure) {
        producer.send(new ProducerRecord<>(Topics.ACCESS_EVENTS, null, event.getEventTime().toEpochMilli(),
                event.getKey(), event), (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    }
                });
    }

    private static void throwIfFailed(AtomicReference<Exception> sendFailure, AtomicReference<String> failure) {
        if (sendFailure.get() != null) {
            throw new IllegalStateException("producing failed: " + sendFailure.get(), sendFailure.get());
        }
        if (failure.get() != null) {
            throw new IllegalStateException("freshness: " + failure.get());
        }
    }

    /** A producer as an application would run one: Kafka's defaults (acks=all, idempotent, linger.ms=5). */
    private <V> KafkaProducer<String, V> producer(Topic<String, V> topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-freshness");
        return new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }
}
