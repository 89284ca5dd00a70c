package io.tierflow.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.AccessOp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3AccessLogTraceTest {
    private static final String OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
    private static final String TAIL = " - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/"
            + "VLi31234= SigV4 "
            + "ECDHE-RSA-AES128-GCM-SHA256 AuthHeader photos.s3.us-west-1.amazonaws.com TLSV1.2 - - us-west-1";

    /** One log record in the documented layout; {@code key} and the numbers as the log writes them. */
    static String record(String time, String operation, String key, int status, String bytesSent, String objectSize,
            String turnAround, String userAgent) {
        return OWNER + " photos [" + time + "] 192.0.2.3 " + OWNER + " 3E57427F3EXAMPLE " + operation + " " + key
                + " \"GET /photos/" + key + " HTTP/1.1\" " + status + " " + (status >= 400 ? "NoSuchKey" : "-") + " "
                + bytesSent + " " + objectSize + " 70 " + turnAround + " \"-\" \"" + userAgent + "\"" + TAIL;
    }

    static final String LOG = String.join("\r\n",
            record("06/Feb/2019:00:00:38 +0000", "REST.GET.OBJECT", "2019/a%20b%2Bc%C3%A9.jpg", 200, "2662992",
                    "3462992", "10", "aws-cli/2.0 Python/3.8 \\\"quoted\\\" agent"),
            record("06/Feb/2019:00:00:40 +0000", "REST.PUT.OBJECT", "2019/new.jpg", 200, "-", "1024", "-",
                    "S3Console/0.4"),
            record("06/Feb/2019:00:01:38 +0100", "REST.HEAD.OBJECT", "2019/new.jpg", 200, "-", "1024", "5", "curl/8"),
            record("06/Feb/2019:00:02:00 +0000", "REST.GET.BUCKET", "-", 200, "512", "-", "3", "S3Console/0.4"),
            record("06/Feb/2019:00:02:01 +0000", "REST.GET.OBJECT", "2019/missing.jpg", 404, "300", "-", "2", "curl/8"),
            OWNER + " photos [06/Feb/2019:00:02:02 +0000] 192.0.2.3 truncated",
            record("06/Feb/2019 00:02:03", "REST.GET.OBJECT", "2019/x.jpg", 200, "10", "10", "1", "curl/8"),
            "",
            record("06/Feb/2019:00:02:04 +0000", "REST.GET.OBJECT", "2019/x.jpg", 200, "-", "10", "1", "curl/8"))
            + "\r\n";

    private static CollectingSink read(InputStream in) throws IOException {
        CollectingSink sink = new CollectingSink();
        new S3AccessLogFormat().read(in, "log", sink);
        return sink;
    }

    @Test
    void shouldReadObjectAccessesAndCountTheRest() throws Exception {
        CollectingSink sink = read(new ByteArrayInputStream(LOG.getBytes(StandardCharsets.UTF_8)));

        assertEquals(4, sink.requests.size(), sink.requests.toString());
        TraceRequest get = sink.requests.get(0);
        assertEquals("photos/2019/a b+cé.jpg", get.objectId(), "percent-decoded as UTF-8, '+' kept");
        assertEquals(AccessOp.GET, get.op());
        assertEquals(2662992, get.bytes());
        assertEquals(3462992, get.objectSize());
        assertEquals(10.0, get.latencyMs());
        assertEquals(Instant.parse("2019-02-06T00:00:38Z").getEpochSecond(), get.timeSeconds());
        assertEquals(1, get.line());

        TraceRequest put = sink.requests.get(1);
        assertEquals(AccessOp.PUT, put.op());
        assertEquals(1024, put.bytes(), "a PUT transfers the object");
        assertTrue(Double.isNaN(put.latencyMs()), "'-' turn-around time is unknown");

        TraceRequest head = sink.requests.get(2);
        assertEquals(AccessOp.HEAD, head.op());
        assertEquals(0, head.bytes());
        assertEquals(Instant.parse("2019-02-05T23:01:38Z").getEpochSecond(), head.timeSeconds(), "offset applied");

        TraceRequest lastGet = sink.requests.get(3);
        assertEquals(0, lastGet.bytes(), "'-' bytes sent is zero");
        assertEquals(9, lastGet.line(), "line numbers count the blank line");

        assertEquals(List.of("REST.GET.BUCKET", "REST.GET.OBJECT failed"), sink.skipped);
        assertEquals(2, sink.bad.size(), sink.bad.toString());
        assertEquals(6, sink.bad.get(0).line());
        assertTrue(sink.bad.get(0).reason().contains("fields"), sink.bad.get(0).reason());
        assertEquals(7, sink.bad.get(1).line());
        assertTrue(sink.bad.get(1).reason().contains("time"), sink.bad.get(1).reason());
    }

    @Test
    void shouldReadGzipFilesAndDirectoriesInNameOrder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("2019-02-06-00-00-00-A"), LOG);
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("2019-02-06-01-00-00-B.gz")))) {
            gz.write(record("06/Feb/2019:01:00:00 +0000", "REST.GET.OBJECT", "later.jpg", 200, "5", "5", "1", "x")
                    .getBytes(StandardCharsets.UTF_8));
        }
        List<Path> files = TraceFiles.list(List.of(dir));
        assertEquals(2, files.size());

        CollectingSink sink = new CollectingSink();
        long[] consumed = new long[1];
        for (Path file : files) {
            try (InputStream in = TraceFiles.open(file, n -> consumed[0] += n)) {
                new S3AccessLogFormat().read(in, file.toString(), sink);
            }
        }
        assertEquals(5, sink.requests.size());
        assertEquals("photos/later.jpg", sink.requests.get(4).objectId(), "the gzip file, decompressed, read last");
        assertEquals(Files.size(files.get(0)) + Files.size(files.get(1)), consumed[0], "progress counts file bytes");
        assertTrue(sink.bad.get(0).source().endsWith("-A"), sink.bad.toString());
    }

    @Test
    void shouldSplitBracketedAndQuotedFields() throws Exception {
        List<String> fields = S3AccessLogFormat.fields("a [06/Feb/2019:00:00:38 +0000] \"GET /k HTTP/1.1\" "
                + "\"agent \\\"q\\\" x\" -");
        assertEquals(List.of("a", "06/Feb/2019:00:00:38 +0000", "GET /k HTTP/1.1", "agent \"q\" x", "-"), fields);
    }
}
