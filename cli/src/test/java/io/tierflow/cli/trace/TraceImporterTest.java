package io.tierflow.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Dataset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TraceImporterTest {
    static final TraceSite SITE = new TraceSite("aws", "us-east", "STANDARD", 42.0);

    /** Everything an import wrote, in order; datasets as (record, timestamp). */
    static final class Recorded implements ImportOutput {
        final List<Object> inOrder = new ArrayList<>();
        final List<Dataset> datasets = new ArrayList<>();
        final List<Long> datasetTimestamps = new ArrayList<>();
        final List<AccessEvent> events = new ArrayList<>();

        @Override
        public void dataset(Dataset dataset, long timestampMs) {
            datasets.add(dataset);
            datasetTimestamps.add(timestampMs);
            inOrder.add(dataset);
        }

        @Override
        public void event(AccessEvent event) {
            events.add(event);
            inOrder.add(event);
        }
    }

    private static TraceImporter.Settings settings(Instant start, double scale, long extent, boolean paths,
            Instant latest, boolean strict) {
        return new TraceImporter.Settings("t1", SITE, start, scale, extent, paths, latest, strict, 2);
    }

    private static TraceRequest request(double time, String id, AccessOp op, long size, long bytes, long line) {
        return new TraceRequest(time, id, op, size, bytes, Double.NaN, line);
    }

    @Test
    void shouldWriteEachDatasetBeforeItsFirstEventAndAgainWhenItGrows() {
        Recorded out = new Recorded();
        TraceImporter importer = new TraceImporter(settings(Instant.parse("2026-01-01T00:00:00Z"), 60, 0, false, null,
                false), out);

        importer.request(request(100, "a", AccessOp.GET, 1000, 500, 1));
        importer.request(request(101, "b", AccessOp.PUT, 10, -1, 2));
        importer.request(request(102.5, "a", AccessOp.GET, 800, 800, 3)); // smaller: no new inventory
        importer.request(request(103, "a", AccessOp.GET, 5000, 100, 4)); // larger: inventory again, first

        List<String> order = out.inOrder.stream().map(r -> r instanceof Dataset d ? "D:" + d.getKey() + "@"
                + d.getSizeBytes() : "E:" + ((AccessEvent) r).getKey()).toList();
        assertEquals(List.of("D:t1/a@1000", "E:t1/a", "D:t1/b@10", "E:t1/b", "E:t1/a", "D:t1/a@5000", "E:t1/a"), order);

        AccessEvent first = out.events.get(0);
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), first.getEventTime(), "the first request is --start");
        assertEquals(Instant.parse("2026-01-01T00:02:30Z"), out.events.get(2).getEventTime(), "2.5 s x 60");
        assertEquals(10, out.events.get(1).getBytes(), "unknown bytes of a PUT: the object");
        assertEquals("aws", first.getServedFrom());
        assertEquals("us-east", first.getClientRegion());
        assertEquals(42.0, first.getLatencyMs(), "no latency in the trace: the site's p95");
        assertEquals(List.of("trace:t1:1", "trace:t1:2", "trace:t1:3", "trace:t1:4"),
                out.events.stream().map(AccessEvent::getEventId).toList());

        Dataset a = out.datasets.get(0);
        assertEquals("aws", a.getPrimarySite());
        assertEquals("STANDARD", a.getStorageClass());
        assertEquals("trace:t1", a.getOwner());
        assertEquals(first.getEventTime().toEpochMilli() - 1, out.datasetTimestamps.get(0),
                "the inventory is stamped before its first event");

        TraceImporter.Summary summary = importer.summary();
        assertEquals(4, summary.events());
        assertEquals(2, summary.datasets());
        assertEquals(500 + 10 + 800 + 100, summary.bytes());
    }

    @Test
    void shouldGroupBlocksIntoExtentsSizedByTheExtent() {
        Recorded out = new Recorded();
        TraceImporter importer = new TraceImporter(settings(null, 1, 1 << 20, false, null, false), out);
        // 2048 blocks of 512 bytes make one MiB: blocks 0 and 2047 share extent 0, 2048 starts extent 1.
        importer.request(request(5, "0", AccessOp.GET, 512, 512, 1));
        importer.request(request(6, "2047", AccessOp.GET, 4096, 4096, 2));
        importer.request(request(7, "2048", AccessOp.PUT, 512, 512, 3));
        importer.request(request(8, "lbn-x", AccessOp.PUT, 512, 512, 4));

        assertEquals(List.of("t1/extent-0", "t1/extent-0", "t1/extent-1"),
                out.events.stream().map(AccessEvent::getKey).toList());
        assertEquals(List.of(1L << 20, 1L << 20), out.datasets.stream().map(Dataset::getSizeBytes).toList());
        assertEquals(TraceImporter.DEFAULT_START, out.events.get(0).getEventTime(),
                "a boot clock starts at the default");
        assertEquals(1, importer.summary().badLineCount());
        assertTrue(importer.summary().badLines().get(0).reason().contains("block numbers"));
    }

    @Test
    void shouldKeepPathKeysAndAWallClockTraceItsOwnTime() {
        Recorded out = new Recorded();
        TraceImporter importer = new TraceImporter(settings(null, 1, 0, true, null, false), out);
        importer.request(request(1549411238, "photos/a.jpg", AccessOp.GET, 5, 5, 1));
        assertEquals("photos/a.jpg", out.events.get(0).getKey());
        assertEquals(Instant.parse("2019-02-06T00:00:38Z"), out.events.get(0).getEventTime());
    }

    @Test
    void shouldCountBadLinesKeepTheFirstFewAndStopOnlyWhenStrict() {
        TraceImporter lenient = new TraceImporter(settings(null, 1, 0, false, null, false), new Recorded());
        for (int line = 1; line <= 5; line++) {
            lenient.bad("f", line, "broken");
        }
        lenient.skipped("REST.GET.BUCKET");
        lenient.skipped("REST.GET.BUCKET");
        assertEquals(5, lenient.summary().badLineCount());
        assertEquals(List.of("f:1: broken", "f:2: broken"),
                lenient.summary().badLines().stream().map(Object::toString).toList());
        assertEquals(Map.of("REST.GET.BUCKET", 2L), lenient.summary().skipped());

        TraceImporter strict = new TraceImporter(settings(null, 1, 0, false, null, true), new Recorded());
        TraceImportException stop = assertThrows(TraceImportException.class, () -> strict.bad("f", 7, "broken"));
        assertTrue(stop.getMessage().contains("f:7: broken"), stop.getMessage());
    }

    @Test
    void shouldStopBeforeSendingAnEventTheBrokerWouldReject() {
        Recorded out = new Recorded();
        TraceImporter importer = new TraceImporter(settings(Instant.parse("2026-01-01T00:00:00Z"), 86_400, 0, false,
                Instant.parse("2026-01-03T00:00:00Z"), false), out);
        importer.request(request(0, "a", AccessOp.GET, 1, 1, 1));
        importer.request(request(1, "a", AccessOp.GET, 1, 1, 2)); // one trace second is a day
        TraceImportException e = assertThrows(TraceImportException.class,
                () -> importer.request(request(3, "a", AccessOp.GET, 1, 1, 3)));
        assertTrue(e.getMessage().contains("--time-scale"), e.getMessage());
        assertEquals(2, out.events.size(), "nothing of the rejected request was written");
    }

    @Test
    void shouldGiveTheSameRecordsOnEveryImport() {
        List<TraceRequest> trace = List.of(request(3, "x", AccessOp.GET, 7, 7, 1), request(4, "y", AccessOp.HEAD,
                -1, 0, 2), request(4, "x", AccessOp.PUT, 9, 9, 3));
        List<List<Object>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Recorded out = new Recorded();
            TraceImporter importer = new TraceImporter(settings(null, 3, 0, false, null, false), out);
            trace.forEach(importer::request);
            runs.add(out.inOrder);
        }
        assertEquals(runs.get(0), runs.get(1), "same ids, times and inventory: a re-import is idempotent");
        assertEquals(2, runs.get(0).stream().filter(Dataset.class::isInstance).map(d -> ((Dataset) d).getKey())
                .collect(Collectors.toSet()).size());
    }
}
