package io.tierflow.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportTraceCommandTest {
    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine root = new CommandLine(new ImportTraceCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        int exit = root.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldCountRequestsAndShowBadLinesWithTheirNumbersInADryRun(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("ibm.trace");
        Files.writeString(trace, "1000 REST.GET.OBJECT a 10\r\nnonsense\r\n2000 REST.PUT.OBJECT b 20\r\n"
                + "3000 REST.GET.BUCKET x\r\n4000 REST.GET.OBJECT a 10 0 4\r\n");

        Run run = run("--format", "object-store", "--dry-run", trace.toString());

        assertEquals(0, run.exit, run.toString());
        assertTrue(run.out.contains("3 requests from 1 file as 3 events over 2 datasets"), run.out);
        assertTrue(run.out.contains("1 bad lines:"), run.out);
        assertTrue(run.out.contains(trace + ":2: "), "the bad line's number: " + run.out);
        assertTrue(run.out.contains("{REST.GET.BUCKET=1}"), run.out);
    }

    @Test
    void shouldNameTheImportAfterTheDirectoryGiven(@TempDir Path dir) throws Exception {
        Path logs = dir.resolve("Bucket Logs.2019");
        Files.createDirectories(logs);
        Files.writeString(logs.resolve("2019-02-06-00-00-00-ABC"), "1000 REST.GET.OBJECT a 10\n");

        Run run = run("--format", "object-store", "--dry-run", logs.toString());

        assertEquals(0, run.exit, run.toString());
        assertTrue(run.out.contains("would write to topics whatif-bucket-logs-datasets and "
                + "whatif-bucket-logs-access-events"), run.out);
    }

    @Test
    void shouldStopAtTheFirstBadLineWhenStrict(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("ibm.trace");
        Files.writeString(trace, "1000 REST.GET.OBJECT a 10\nnonsense\n2000 REST.PUT.OBJECT b 20\n");

        Run run = run("--format", "object-store", "--dry-run", "--strict", trace.toString());

        assertEquals(1, run.exit, run.toString());
        assertTrue(run.err.contains("bad line (--strict) " + trace + ":2:"), run.err);
        assertTrue(run.out.contains("1 requests"), "what was read before is reported: " + run.out);
    }

    @Test
    void shouldRefuseTheLiveTopicsUnlessAskedExplicitly(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t.csv");
        Files.writeString(trace, "1,a\n");
        Run run = run("--format", "libcachesim-csv", "--time-col", "1", "--obj-col", "2", "--size-col", "0",
                "--op-col", "0", "--events-topic", "access-events", trace.toString());
        assertEquals(2, run.exit, run.toString());
        assertTrue(run.err.contains("--into-live-topics"), run.err);
    }

    @Test
    void shouldKeepTheTopicNamesApartAndUsableAsNames(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("ibm.trace");
        Files.writeString(trace, "1000 REST.GET.OBJECT a 10\n");

        Run live = run("--format", "object-store", "--dry-run", "--into-live-topics", "--datasets-topic", "datasets",
                "--events-topic", "access-events", trace.toString());
        Run same = run("--format", "object-store", "--dry-run", "--datasets-topic", "t", "--events-topic", "t",
                trace.toString());
        Run badName = run("--format", "object-store", "--dry-run", "--name", "a/b", trace.toString());

        assertEquals(0, live.exit, live.toString());
        assertTrue(live.out.contains("would write to topics datasets and access-events"), live.out);
        assertEquals(2, same.exit, same.toString());
        assertTrue(same.err.contains("the datasets and events topics must differ"), same.err);
        assertEquals(2, badName.exit, badName.toString());
        assertTrue(badName.err.contains("--name 'a/b' must be letters, digits"), badName.err);
    }

    @Test
    void shouldExplainUsageErrors(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t.csv");
        Files.writeString(trace, "1,a\n");
        assertTrue(run("--format", "csv", trace.toString()).err.contains("--format csv needs --columns"));
        assertTrue(run("--format", "parquet", trace.toString()).err.contains("is not a format"));
        assertTrue(run("--format", "object-store", "--extent-bytes", "1000", trace.toString()).err
                .contains("multiple of 512"));
        assertTrue(run("--format", "object-store", dir.resolve("missing").toString()).err
                .contains("no such file"));
    }

    @Test
    void shouldReportWhatTheBrokerAcknowledgedAndWhereTheObjectsAre() {
        TraceImporter.Summary summary = new TraceImporter.Summary(2_500, 3L << 20, 40, 12,
                List.of(new TraceImporter.BadLine("t.log", 7, "no time")), Map.of("REST.GET.BUCKET", 3L),
                Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-02T00:00:00Z"));
        StringWriter out = new StringWriter();

        new ImportReport(summary, 2, 2_000_000_000L, "whatif-t-datasets", "whatif-t-access-events", 2_540L,
                new TraceSite("aws", "us-east", "STANDARD", 30), 60).printTo(new PrintWriter(out));

        String report = out.toString();
        assertTrue(report.startsWith("tierflow import-trace: 2,500 requests from 2 files as 2,500 events over 40 "
                + "datasets (3.0 MiB) in 2.0 s (1,250 requests/s)"), report);
        assertTrue(report.contains("topics whatif-t-datasets and whatif-t-access-events, 2,540 records acknowledged; "
                + "objects on aws (us-east, STANDARD)"), report);
        assertTrue(report.contains("(time scale 60.0)"), report);
        assertTrue(report.contains("skipped 3 requests"), report);
        assertTrue(report.contains("12 bad lines, the first 1:"), report);
        assertTrue(report.contains("    t.log:7: no time"), report);
    }

    @Test
    void shouldDrawAProgressLineWithRateAndTimeLeft() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err), "import:", 1000, 1_000_000_000L, 0);
        bar.update(100, 10, 500_000_000L); // not due yet
        assertEquals("", err.toString());
        bar.update(250, 500, 2_000_000_000L); // a quarter in 2 s: 6 s to go
        assertEquals("\rimport: [########                      ]  25% 500 requests, 250/s, ETA 0:06", err.toString());
        bar.finish(1000, 2000, 8_000_000_000L);
        assertTrue(err.toString().endsWith("100% 2,000 requests, 250/s, ETA 0:00" + System.lineSeparator()),
                err.toString());
    }
}
