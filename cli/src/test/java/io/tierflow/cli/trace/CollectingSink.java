package io.tierflow.cli.trace;

import java.util.ArrayList;
import java.util.List;

/** Keeps everything a format reports, for assertions. */
final class CollectingSink implements TraceSink {
    final List<TraceRequest> requests = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final List<TraceImporter.BadLine> bad = new ArrayList<>();

    @Override
    public void request(TraceRequest request) {
        requests.add(request);
    }

    @Override
    public void skipped(String reason) {
        skipped.add(reason);
    }

    @Override
    public void bad(String source, long line, String reason) {
        bad.add(new TraceImporter.BadLine(source, line, reason));
    }
}
