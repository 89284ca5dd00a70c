package io.tierflow.cli.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A text format with one request per line. Lines end in LF or CRLF; blank lines are skipped silently. Bytes that
 * are not UTF-8 become replacement characters rather than ending the read.
 */
abstract class LineTraceFormat implements TraceFormat {

    @Override
    public final void read(InputStream in, String source, TraceSink sink) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        String line;
        long number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                parse(line, number, sink);
            } catch (BadLineException e) {
                sink.bad(source, number, e.getMessage());
            }
        }
    }

    /** Parses one non-blank line into the sink: a request, a skip, or a {@link BadLineException}. */
    abstract void parse(String line, long number, TraceSink sink) throws BadLineException;

    static long parseLong(String text, String what) throws BadLineException {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new BadLineException(what + " '" + text + "' is not a whole number");
        }
    }

    static double parseDouble(String text, String what) throws BadLineException {
        try {
            double value = Double.parseDouble(text.strip());
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BadLineException(what + " '" + text + "' is not a number");
        }
    }
}
