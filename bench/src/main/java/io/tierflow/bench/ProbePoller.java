package io.tierflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Reads probe datasets through the API until each shows its probe, on one scheduler thread. */
final class ProbePoller {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A probe in flight. */
    record Probe(String key, long eventTimeMs, long sentNanos) {
    }

    /** A probe seen. */
    record Seen(double sentAtSeconds, double latencyMs) {
    }

    private final Freshness.Settings settings;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final String baseUrl;
    private final Map<String, Probe> inFlight;
    private final ConcurrentLinkedQueue<Seen> latencies;
    private final long started;
    private final AtomicReference<String> failure;
    private final AtomicLong polls;

    ProbePoller(Freshness.Settings settings, HttpClient http, ScheduledExecutorService scheduler, String baseUrl,
            Map<String, Probe> inFlight, ConcurrentLinkedQueue<Seen> latencies, AtomicReference<String> failure,
            AtomicLong polls, long started) {
        this.settings = settings;
        this.http = http;
        this.scheduler = scheduler;
        this.baseUrl = baseUrl;
        this.inFlight = inFlight;
        this.latencies = latencies;
        this.failure = failure;
        this.polls = polls;
        this.started = started;
    }

    void watch(Probe probe) {
        scheduler.execute(() -> poll(probe));
    }

    private void poll(Probe probe) {
        polls.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + QueryApiClient.datasetPath(probe.key())))
                .timeout(settings.timeout()).GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
            long now = System.nanoTime();
            if (error != null) {
                failure.compareAndSet(null, "reading " + probe.key() + " failed: " + error);
                return;
            }
            int status = response.statusCode();
            if (status == 200 && visible(response.body(), probe)) {
                latencies.add(new Seen((probe.sentNanos() - started) / 1e9, (now - probe.sentNanos()) / 1e6));
                inFlight.remove(probe.key(), probe);
                return;
            }
            if (status != 200 && status != 503) { // 503: ownership is moving; the answer comes once it settles
                failure.compareAndSet(null, "GET " + request.uri() + " answered " + status + ": "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
                return;
            }
            if (now - probe.sentNanos() > settings.timeout().toNanos()) {
                failure.compareAndSet(null, "the probe of " + probe.key() + " at event time "
                        + Instant.ofEpochMilli(probe.eventTimeMs()) + " was not visible after "
                        + settings.timeout());
                return;
            }
            if (!scheduler.isShutdown()) {
                scheduler.schedule(() -> poll(probe), nextPollDelayNanos(settings.pollInterval(),
                        now - probe.sentNanos()), TimeUnit.NANOSECONDS);
            }
        });
    }

    private boolean visible(byte[] body, Probe probe) {
        try {
            JsonNode lastAccess = JSON.readTree(body).path("activity").path("lastAccess");
            return lastAccess.isTextual()
                    && Instant.parse(lastAccess.asText()).toEpochMilli() >= probe.eventTimeMs();
        } catch (IOException | DateTimeParseException e) {
            failure.compareAndSet(null, "unreadable answer for " + probe.key() + ": " + e);
            return false;
        }
    }

    /**
     * The poll interval, or 5 % of the time a probe has waited if that is longer: the resolution stays within 5 % of
     * what is measured, and when the node lags far behind, the probes waiting for it do not flood the API it serves
     * (a thousand probes polled every 10 ms would be 100 k requests per second).
     */
    static long nextPollDelayNanos(Duration pollInterval, long waitedNanos) {
        return Math.max(pollInterval.toNanos(), waitedNanos / 20);
    }
}
