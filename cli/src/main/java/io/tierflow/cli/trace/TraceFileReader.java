package io.tierflow.cli.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Reads trace files through a format into the importer, with a progress bar on stderr, and stops between two lines
 * when asked to (Ctrl-C), so what was read so far can still be flushed and reported.
 */
public final class TraceFileReader {
    private TraceFileReader() {
    }

    /**
     * @param stopRequested checked at every line; true ends the read with a {@link TraceImportException}
     * @throws TraceImportException when stopped, or when the importer gives up (a bad line with --strict)
     */
    static void read(TraceFormat format, List<Path> files, TraceImporter importer, PrintWriter err,
            BooleanSupplier stopRequested) throws IOException {
        read(format, files, importer, err, stopRequested, "tierflow import-trace:");
    }

    /** As {@link #read(TraceFormat, List, TraceImporter, PrintWriter, BooleanSupplier)}, the bar labelled {@code label}. */
    public static void read(TraceFormat format, List<Path> files, TraceImporter importer, PrintWriter err,
            BooleanSupplier stopRequested, String label) throws IOException {
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        AtomicLong read = new AtomicLong();
        ProgressBar bar = new ProgressBar(err, label, total, 500_000_000L, System.nanoTime());
        TraceSink sink = new TraceSink() {
            private long seen;

            @Override
            public void request(TraceRequest request) {
                importer.request(request);
                tick();
            }

            @Override
            public void skipped(String reason) {
                importer.skipped(reason);
                tick();
            }

            @Override
            public void bad(String source, long line, String reason) {
                importer.bad(source, line, reason);
                tick();
            }

            // The clock is read once per 1024 lines: cheap next to parsing them, and often enough for a bar.
            private void tick() {
                if (stopRequested.getAsBoolean()) {
                    throw new TraceImportException("stopped (Ctrl-C) after " + importer.events() + " requests; "
                            + "those were written, and an import of the same trace again repeats their ids");
                }
                if ((++seen & 1023) == 0) {
                    bar.update(read.get(), importer.events(), System.nanoTime());
                }
            }
        };
        try {
            for (Path file : files) {
                importer.source(file.toString());
                try (InputStream in = TraceFiles.open(file, read::addAndGet)) {
                    format.read(in, file.toString(), sink);
                }
            }
        } finally {
            bar.finish(read.get(), importer.events(), System.nanoTime());
        }
    }
}
