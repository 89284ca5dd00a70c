package io.tierflow.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Dataset;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Imports the real traces kept beside the project ({@code ../shared/traces}, described in its SOURCES.md) and checks
 * the request counts stated there. Skipped, saying so, where the folder is absent.
 */
class RealTraceTest {
    static final Path TRACES = locate();

    private static Path locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/traces");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            candidate = dir.resolveSibling("shared").resolve("traces");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static Path trace(String name) {
        assumeTrue(TRACES != null && Files.isRegularFile(TRACES.resolve(name)),
                "real trace " + name + " not found in ../shared/traces: skipped");
        return TRACES.resolve(name);
    }

    /** Counts per dataset and op, the first request's time. */
    private static final class Tally implements ImportOutput {
        final Map<String, Long> sizes = new HashMap<>();
        final Map<AccessOp, Long> ops = new HashMap<>();
        long events;

        @Override
        public void dataset(Dataset dataset, long timestampMs) {
            sizes.put(dataset.getKey(), dataset.getSizeBytes());
        }

        @Override
        public void event(AccessEvent event) {
            events++;
            ops.merge(event.getOp(), 1L, Long::sum);
        }
    }

    private static TraceImporter.Summary importAll(Path file, TraceFormat format, long extentBytes, Tally tally)
            throws Exception {
        TraceImporter importer = new TraceImporter(new TraceImporter.Settings("real", TraceImporterTest.SITE, null, 1,
                extentBytes, format.idsArePaths(), null, true, 10), tally);
        importer.source(file.toString());
        try (InputStream in = TraceFiles.open(file, n -> { })) {
            format.read(in, file.toString(), importer);
        }
        return importer.summary();
    }

    @Test
    void shouldImportEveryCloudPhysicsRequestFromTheCsv() throws Exception {
        Tally tally = new Tally();
        TraceImporter.Summary summary = importAll(trace("libcachesim_cloudPhysicsIO.csv"),
                CsvTraceFormat.libCacheSim(2, 5, 4, 3, CsvTraceFormat.Header.AUTO, 1), 0, tally);

        assertEquals(113_872, summary.events());
        assertEquals(0, summary.badLineCount());
        assertEquals(48_974, summary.datasets(), "distinct lbn");
        assertEquals(46_974L, tally.ops.get(AccessOp.GET), "READ(10)");
        assertEquals(66_898L, tally.ops.get(AccessOp.PUT), "WRITE(10)");
    }

    @Test
    void shouldImportEveryCloudPhysicsRequestFromTheOracleGeneralBinary() throws Exception {
        Tally tally = new Tally();
        TraceImporter.Summary summary = importAll(trace("libcachesim_cloudPhysicsIO.oracleGeneral.bin"),
                new OracleGeneralFormat(), 1 << 20, tally);

        assertEquals(113_872, summary.events());
        assertEquals(0, summary.badLineCount());
        assertEquals(summary.datasets(), tally.sizes.size());
        assertEquals(1L << 20, tally.sizes.values().iterator().next(), "extents are the extent size");
    }

    @Test
    void shouldImportEveryCdnRequestWithKnownSizes() throws Exception {
        Tally tally = new Tally();
        TraceImporter.Summary summary = importAll(trace("cachelib_cdn_first_half.csv"), new CsvTraceFormat(
                CsvTraceFormat.parseColumns("time=timestamp,key=cacheKey,size=objectSize,range-start=rangeStart,"
                        + "range-end=rangeEnd,op=OpType,response-size=responseSize,"
                        + "response-header-size=responseHeaderSize"), CsvTraceFormat.Header.AUTO, 1, ','), 0, tally);

        assertEquals(4_999, summary.events());
        assertEquals(0, summary.badLineCount());
        assertEquals(4_999L, tally.ops.get(AccessOp.GET));
        // The SOURCES.md rule, computed the obvious way: an object's size is the largest of its known sizes and,
        // for unknown ones, of the response body and range end + 1 of each request.
        Map<String, Long> expected = new HashMap<>();
        for (String line : Files.readAllLines(trace("cachelib_cdn_first_half.csv")).subList(1, 5_000)) {
            String[] f = line.split(",");
            long size = Long.parseLong(f[3]);
            if (size < 0) {
                size = Math.max(Math.max(Long.parseLong(f[4]) - Long.parseLong(f[5]), 0), Long.parseLong(f[7]) + 1);
            }
            expected.merge("real/" + f[1], Math.max(size, 0), Math::max);
        }
        assertEquals(expected, tally.sizes);
    }
}
