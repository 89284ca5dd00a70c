package io.tierflow.migrator;

import io.tierflow.catalogue.SitePlace;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The worker pool's own settings ({@code tierflow.migrator.*} keys in the layered config).
 *
 * @param workerId written into every status, to tell workers apart
 * @param concurrency commands executed at once
 * @param maxPending commands accepted but not finished before the worker stops fetching more
 * @param multipartThreshold objects this large or larger are written in parts
 * @param partSize bytes per part (S3 needs at least 5 MiB)
 * @param partsInFlight parts of one object uploading at once (each held in memory)
 * @param partMemory bytes all part buffers of the process may hold at once (at least one part)
 * @param requireEncryptedDestinations refuse unencrypted destination sites (policy_blocked)
 * @param serverSideEncryptionHeaders send x-amz-server-side-encryption to encrypted sites
 * @param retry retries of failed attempts
 * @param shutdownTimeout how long a graceful shutdown waits for running commands
 * @param breakerFailures consecutive failures of a site that open its circuit breaker
 * @param breakerOpen how long an open breaker keeps a site backed off before one probe is let through
 * @param trust which sites' catalogue entries are acted on (pins), and where check-then-delete RETIREs are accepted
 * @param metricsPort port of the process's {@code GET /metrics} on 127.0.0.1 (0: any free port); used by the
 *        {@code tierflow migrator} process, not by the worker itself
 */
public record MigratorSettings(String workerId, int concurrency, int maxPending, long multipartThreshold,
        long partSize, int partsInFlight, long partMemory, boolean requireEncryptedDestinations, boolean serverSideEncryptionHeaders, RetryPolicy retry,
        Duration shutdownTimeout, int breakerFailures, Duration breakerOpen, SiteTrust trust, int metricsPort) {
    public static final String PREFIX = "tierflow.migrator.";
    public static final String CONCURRENCY = PREFIX + "concurrency";
    public static final String MAX_PENDING = PREFIX + "max-pending";
    public static final String MULTIPART_THRESHOLD = PREFIX + "multipart-threshold";
    public static final String PART_SIZE = PREFIX + "part-size";
    public static final String PARTS_IN_FLIGHT = PREFIX + "parts-in-flight";
    public static final String PART_MEMORY = PREFIX + "part-memory";
    public static final String REQUIRE_ENCRYPTED = PREFIX + "require-encrypted-destinations";
    public static final String SSE_HEADERS = PREFIX + "server-side-encryption-headers";
    public static final String MAX_ATTEMPTS = PREFIX + "max-attempts";
    public static final String RETRY_BASE_MS = PREFIX + "retry-base-ms";
    public static final String RETRY_MAX_MS = PREFIX + "retry-max-ms";
    public static final String WORKER_ID = PREFIX + "worker-id";
    public static final String SHUTDOWN_TIMEOUT_MS = PREFIX + "shutdown-timeout-ms";
    public static final String BREAKER_FAILURES = PREFIX + "breaker-failures";
    public static final String BREAKER_OPEN_MS = PREFIX + "breaker-open-ms";
    public static final String METRICS_PORT = PREFIX + "metrics-port";
    /** {@code tierflow.migrator.site.<name>.endpoint} and {@code .bucket}: where site {@code <name>} may be. */
    public static final String SITE_PIN_PREFIX = PREFIX + "site.";
    /** Whether a site without a pin is refused (default true); false trusts it where this process first sees it. */
    public static final String REQUIRE_PINNED_SITES = PREFIX + "require-pinned-sites";
    /** Comma-separated sites (or {@code *}) where RETIRE may check and then delete without a store condition. */
    public static final String ACCEPT_UNCONDITIONAL_DELETE = PREFIX + "accept-unconditional-delete";

    public static final long DEFAULT_PART_SIZE = 64L << 20;
    /**
     * One PUT up to 1 GiB (S3 allows 5 GiB). A single PUT streams from the GET with no buffer and carries the whole
     * object's SHA-256 ({@code x-amz-checksum-sha256}), which S3 verifies on receipt and keeps as a full-object
     * checksum; a multipart object can only have a composite one, and our parts carry none. It is also one request,
     * and nothing for the store to assemble (S3Proxy's filesystem store copies every part once more on completion).
     * What parts buy is parallelism within one object and a smaller unit to resend after a failure: the pool already
     * copies {@code concurrency} objects at once, and resending up to 1 GiB after a rare failure costs seconds. So
     * parts only for objects large enough to dominate a batch. (rclone's cutoff is 200 MiB; the AWS CLI's 8 MiB.)
     */
    public static final long DEFAULT_MULTIPART_THRESHOLD = 1L << 30;

    public MigratorSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException(CONCURRENCY + " must be at least 1");
        }
        if (partSize < S3SiteStore.MIN_PART_SIZE || partSize > S3SiteStore.MAX_PART_SIZE) {
            throw new IllegalArgumentException(PART_SIZE + " must be 5 MiB (S3's minimum part size) to 1 GiB "
                    + "(parts are held in memory)");
        }
    }

    /** Settings from config properties, with defaults for what is not set. */
    public static MigratorSettings from(Properties config) {
        return new MigratorSettings(
                config.getProperty(WORKER_ID, defaultWorkerId()),
                Integer.parseInt(config.getProperty(CONCURRENCY, "4")),
                Integer.parseInt(config.getProperty(MAX_PENDING, "1000")),
                Long.parseLong(config.getProperty(MULTIPART_THRESHOLD, String.valueOf(DEFAULT_MULTIPART_THRESHOLD))),
                Long.parseLong(config.getProperty(PART_SIZE, String.valueOf(DEFAULT_PART_SIZE))),
                Integer.parseInt(config.getProperty(PARTS_IN_FLIGHT, "3")),
                Long.parseLong(config.getProperty(PART_MEMORY, String.valueOf(PartMemory.DEFAULT_BYTES))),
                Boolean.parseBoolean(config.getProperty(REQUIRE_ENCRYPTED, "false")),
                Boolean.parseBoolean(config.getProperty(SSE_HEADERS, "false")),
                new RetryPolicy(Integer.parseInt(config.getProperty(MAX_ATTEMPTS, "5")),
                        Duration.ofMillis(Long.parseLong(config.getProperty(RETRY_BASE_MS, "1000"))),
                        Duration.ofMillis(Long.parseLong(config.getProperty(RETRY_MAX_MS, "120000")))),
                Duration.ofMillis(Long.parseLong(config.getProperty(SHUTDOWN_TIMEOUT_MS, "30000"))),
                Integer.parseInt(config.getProperty(BREAKER_FAILURES, "3")),
                Duration.ofMillis(Long.parseLong(config.getProperty(BREAKER_OPEN_MS, "30000"))),
                trust(config),
                Integer.parseInt(config.getProperty(METRICS_PORT, "18090")));
    }

    private static SiteTrust trust(Properties config) {
        Map<String, SitePlace> pins = SitePlace.pins(config, SITE_PIN_PREFIX);
        Set<String> accept = new HashSet<>();
        for (String site : config.getProperty(ACCEPT_UNCONDITIONAL_DELETE, "").split(",")) {
            if (!site.isBlank()) {
                accept.add(site.trim());
            }
        }
        return new SiteTrust(pins, Boolean.parseBoolean(config.getProperty(REQUIRE_PINNED_SITES, "true")), accept);
    }

    /** The config entries that pin each site at its place (what {@code tierflow local} gives its own worker). */
    public static Map<String, String> pinning(Map<String, SitePlace> places) {
        Map<String, String> config = new java.util.LinkedHashMap<>();
        places.forEach((site, place) -> config.putAll(place.asConfig(SITE_PIN_PREFIX, site)));
        return config;
    }

    /** host name and process id, e.g. {@code 4711@worker-3}. */
    static String defaultWorkerId() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }
}
