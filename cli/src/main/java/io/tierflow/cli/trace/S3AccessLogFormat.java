package io.tierflow.cli.trace;

import io.tierflow.schemas.AccessOp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Amazon S3 server access logs: space-delimited fields, the time in {@code [06/Feb/2019:00:00:38 +0000]}
 * brackets, the request line, referer and user agent in double quotes, {@code -} for a missing value. Fields by
 * position: bucket owner, bucket, time, remote IP, requester, request id, operation, key (URL-encoded),
 * request-URI, HTTP status, error code, bytes sent, object size, total time, turn-around time, then referer, user
 * agent and more that are not needed here. AWS appends fields over time, so extra trailing fields are fine.
 *
 * <p>Only object reads and writes count; bucket operations, ACL and tagging calls, lifecycle transitions and
 * failed requests (status 4xx/5xx) are skipped, counted by operation.
 */
public final class S3AccessLogFormat extends LineTraceFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    /** Fields up to turn-around time must be there; the rest are optional for our purpose. */
    private static final int REQUIRED_FIELDS = 15;
    private static final Map<String, AccessOp> OBJECT_OPS = Map.ofEntries(
            Map.entry("REST.GET.OBJECT", AccessOp.GET),
            Map.entry("REST.HEAD.OBJECT", AccessOp.HEAD),
            Map.entry("REST.PUT.OBJECT", AccessOp.PUT),
            Map.entry("REST.POST.OBJECT", AccessOp.PUT),
            // a copy's destination is written; its source's read is a record of its own
            Map.entry("REST.COPY.OBJECT", AccessOp.PUT),
            Map.entry("REST.COPY.OBJECT_GET", AccessOp.GET),
            Map.entry("REST.POST.UPLOAD", AccessOp.PUT), // completing a multipart upload: the object exists now
            Map.entry("REST.DELETE.OBJECT", AccessOp.DELETE),
            Map.entry("BATCH.DELETE.OBJECT", AccessOp.DELETE), // one record per object of a multi-object delete
            Map.entry("WEBSITE.GET.OBJECT", AccessOp.GET),
            Map.entry("WEBSITE.HEAD.OBJECT", AccessOp.HEAD));

    @Override
    public boolean idsArePaths() {
        return true;
    }

    @Override
    void parse(String line, long number, TraceSink sink) throws BadLineException {
        List<String> fields = fields(line);
        if (fields.size() < REQUIRED_FIELDS) {
            throw new BadLineException("expected at least " + REQUIRED_FIELDS + " fields, found " + fields.size());
        }
        String operation = fields.get(6);
        AccessOp op = OBJECT_OPS.get(operation);
        if (op == null) {
            sink.skipped(operation);
            return;
        }
        String bucket = fields.get(1);
        String key = fields.get(7);
        if (bucket.equals("-") || key.equals("-")) {
            throw new BadLineException(operation + " without a " + (bucket.equals("-") ? "bucket" : "key"));
        }
        double time = time(fields.get(2));
        long status = optionalLong(fields.get(9), "HTTP status");
        if (status >= 400) {
            sink.skipped(operation + " failed");
            return;
        }
        long bytesSent = optionalLong(fields.get(11), "bytes sent");
        long objectSize = optionalLong(fields.get(12), "object size");
        long turnAround = optionalLong(fields.get(14), "turn-around time");
        long bytes = switch (op) {
            case GET -> Math.max(bytesSent, 0); // "-" means zero bytes sent
            case PUT -> objectSize;
            default -> 0;
        };
        sink.request(new TraceRequest(time, bucket + "/" + percentDecode(key), op, objectSize, bytes,
                turnAround < 0 ? Double.NaN : turnAround, number));
    }

    /** Splits on spaces, keeping {@code [...]} and {@code "..."} (with backslash escapes) as one field each. */
    static List<String> fields(String line) throws BadLineException {
        List<String> fields = new ArrayList<>(24);
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '[') {
                int end = line.indexOf(']', i);
                if (end < 0) {
                    throw new BadLineException("unclosed [ at column " + (i + 1));
                }
                fields.add(line.substring(i + 1, end));
                i = end + 1;
            } else if (c == '"') {
                StringBuilder field = new StringBuilder();
                int j = i + 1;
                while (j < n && line.charAt(j) != '"') {
                    if (line.charAt(j) == '\\' && j + 1 < n) {
                        j++;
                    }
                    field.append(line.charAt(j++));
                }
                if (j >= n) {
                    throw new BadLineException("unclosed \" at column " + (i + 1));
                }
                fields.add(field.toString());
                i = j + 1;
            } else {
                int end = line.indexOf(' ', i);
                end = end < 0 ? n : end;
                fields.add(line.substring(i, end));
                i = end;
            }
        }
        return fields;
    }

    private static double time(String text) throws BadLineException {
        try {
            return OffsetDateTime.parse(text, TIME).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw new BadLineException("time [" + text + "] is not like [06/Feb/2019:00:00:38 +0000]");
        }
    }

    private static long optionalLong(String text, String what) throws BadLineException {
        return text.equals("-") ? -1 : parseLong(text, what);
    }

    /**
     * Decodes %XX escapes as UTF-8. A '+' stays a '+': the log encodes keys as in a path, where '+' is literal,
     * unlike form encoding ({@link java.net.URLDecoder} would turn it into a space).
     */
    static String percentDecode(String text) throws BadLineException {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new BadLineException("key '" + text + "' has a truncated %-escape");
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new BadLineException("key '" + text + "' has a bad %-escape");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                int next = text.indexOf('%', i);
                int end = next < 0 ? text.length() : next;
                // whole runs, not chars: a surrogate pair stays together
                byte[] plain = text.substring(i, end).getBytes(StandardCharsets.UTF_8);
                bytes.write(plain, 0, plain.length);
                i = end - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
