package io.tierflow.cli.trace;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Dataset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns trace requests into inventory records and access events: keys under the import's name (or grouped into
 * extents), event time mapped from trace time, one inventory record before each dataset's first event and again
 * whenever a larger size is seen (the datasets topic is compacted, so the last, largest, stands), and event ids
 * made from the import's name and the request's position, so importing the same trace again yields the same ids.
 */
public final class TraceImporter implements TraceSink {
    /** Where traces whose clock is not a wall clock (block traces count from boot) start, unless --start says. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");
    /** Times at or after this many epoch seconds (2000-01-01) are taken as wall-clock time. */
    private static final double WALL_CLOCK_FROM = 946_684_800;
    static final String CONTENT_TYPE = "application/octet-stream";
    private static final long BLOCK_BYTES = 512;

    /**
     * What to import and how.
     *
     * @param name the import's name: prefix of keys that are bare ids, owner of the datasets, part of event ids
     * @param start event time of the first request; null for the trace's own time if it is a wall clock, else
     *     {@link #DEFAULT_START}
     * @param timeScale event seconds per trace second
     * @param extentBytes group block numbers (512-byte blocks) into objects of this size; 0 for none
     * @param latestEventTime no event may be later (the broker rejects timestamps far ahead of its clock); null for
     *     no limit
     * @param strict stop at the first bad line
     * @param badLinesShown how many bad lines to keep for the report
     */
    public record Settings(String name, TraceSite site, Instant start, double timeScale, long extentBytes,
            boolean idsArePaths, Instant latestEventTime, boolean strict, int badLinesShown) {
        public Settings {
            if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
                throw new IllegalArgumentException("the time scale must be a positive number");
            }
            if (extentBytes < 0 || extentBytes % BLOCK_BYTES != 0) {
                throw new IllegalArgumentException("the extent size must be a multiple of " + BLOCK_BYTES + " bytes");
            }
        }
    }

    /** A bad line, where it is and why. */
    public record BadLine(String source, long line, String reason) {
        @Override
        public String toString() {
            return source + ":" + line + ": " + reason;
        }
    }

    private final Settings settings;
    private final ImportOutput output;
    private final Map<String, Long> sizes = new HashMap<>();
    private final Map<String, Long> skipped = new TreeMap<>();
    private final List<BadLine> badLines = new ArrayList<>();
    private long badLineCount;
    private long events;
    private long bytes;
    private double firstTraceTime = Double.NaN;
    private long startMs;
    private long firstEventMs = Long.MAX_VALUE;
    private long lastEventMs = Long.MIN_VALUE;
    private String source = "";

    public TraceImporter(Settings settings, ImportOutput output) {
        this.settings = settings;
        this.output = output;
    }

    /** Names the file being read, for the bad lines the format reports through {@link #request}. */
    public void source(String source) {
        this.source = source;
    }

    @Override
    public void request(TraceRequest request) {
        String key;
        long size;
        if (settings.extentBytes() > 0) {
            long block;
            try {
                block = Long.parseLong(request.objectId());
            } catch (NumberFormatException e) {
                bad(source, request.line(), "--extent-bytes needs block numbers, not '" + request.objectId() + "'");
                return;
            }
            if (block < 0 || block > Long.MAX_VALUE / BLOCK_BYTES) {
                bad(source, request.line(), "block number " + request.objectId() + " is out of range");
                return;
            }
            // A request is counted once, in the extent its first block is in, even if it runs into the next:
            // block requests (at most tens of KiB) are small next to an extent, so the error is at the edges only.
            key = settings.name() + "/extent-" + block * BLOCK_BYTES / settings.extentBytes();
            size = settings.extentBytes();
        } else {
            key = settings.idsArePaths() ? request.objectId() : settings.name() + "/" + request.objectId();
            size = Math.max(request.objectSize(), 0);
        }
        long eventMs = eventTimeMs(request.timeSeconds());
        if (settings.latestEventTime() != null && eventMs > settings.latestEventTime().toEpochMilli()) {
            throw new TraceImportException("event time " + Instant.ofEpochMilli(eventMs) + " (" + source + ":"
                    + request.line() + ") is later than " + settings.latestEventTime() + ", which the broker would "
                    + "reject: use an earlier --start or a smaller --time-scale");
        }
        Long known = sizes.get(key);
        if (known == null || size > known) {
            sizes.put(key, size);
            // Stamped a millisecond before the event: a replay in event time then sees the inventory first.
            output.dataset(dataset(key, size, eventMs), eventMs - 1);
        }
        long transferred = request.bytes() >= 0 ? request.bytes()
                : request.op() == AccessOp.GET || request.op() == AccessOp.PUT ? size : 0;
        events++;
        bytes += transferred;
        firstEventMs = Math.min(firstEventMs, eventMs);
        lastEventMs = Math.max(lastEventMs, eventMs);
        TraceSite site = settings.site();
        output.event(new AccessEvent(key, request.op(), transferred, site.name(), site.region(),
                Double.isNaN(request.latencyMs()) ? site.p95LatencyMs() : request.latencyMs(),
                Instant.ofEpochMilli(eventMs), "trace:" + settings.name() + ":" + events));
    }

    @Override
    public void skipped(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    @Override
    public void bad(String source, long line, String reason) {
        badLineCount++;
        BadLine bad = new BadLine(source, line, reason);
        if (settings.strict()) {
            throw new TraceImportException("bad line (--strict) " + bad);
        }
        if (badLines.size() < settings.badLinesShown()) {
            badLines.add(bad);
        }
    }

    private long eventTimeMs(double traceSeconds) {
        if (Double.isNaN(firstTraceTime)) {
            firstTraceTime = traceSeconds;
            Instant start = settings.start() != null ? settings.start()
                    : traceSeconds >= WALL_CLOCK_FROM ? Instant.ofEpochMilli(Math.round(traceSeconds * 1000))
                    : DEFAULT_START;
            startMs = start.toEpochMilli();
        }
        return startMs + Math.round((traceSeconds - firstTraceTime) * settings.timeScale() * 1000);
    }

    private Dataset dataset(String key, long size, long eventMs) {
        TraceSite site = settings.site();
        // A trace has no object bytes: no checksum or version token to give, so both are empty.
        return new Dataset(key, size, CONTENT_TYPE, "trace:" + settings.name(), null, "", "", site.name(), List.of(),
                site.storageClass(), Instant.ofEpochMilli(eventMs));
    }

    /** Events written so far. */
    public long events() {
        return events;
    }

    /** What was imported so far. */
    public Summary summary() {
        return new Summary(events, bytes, sizes.size(), badLineCount, List.copyOf(badLines), Map.copyOf(skipped),
                events == 0 ? null : Instant.ofEpochMilli(firstEventMs),
                events == 0 ? null : Instant.ofEpochMilli(lastEventMs));
    }

    /**
     * The counts of an import.
     *
     * @param events access events written, one per request that counts
     * @param datasets distinct datasets
     * @param badLineCount every bad line; {@code badLines} holds the first few
     * @param skipped well-formed requests that are not object accesses, by operation
     */
    public record Summary(long events, long bytes, int datasets, long badLineCount, List<BadLine> badLines,
            Map<String, Long> skipped, Instant firstEventTime, Instant lastEventTime) {
        public long skippedCount() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
