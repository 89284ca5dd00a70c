package io.tierflow.cli.trace;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** The files of a trace: a file, or every file under a directory in name order; gzip detected by its magic bytes. */
public final class TraceFiles {
    private TraceFiles() {
    }

    /** The files to read, in a stable order (so event ids are the same on every import). */
    public static List<Path> list(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted()
                            .forEach(files::add);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new IOException("no such file or directory: " + path);
            }
        }
        return files;
    }

    /**
     * Opens a file for reading, decompressed if it is gzip; {@code consumed} hears how many of the file's own bytes
     * (compressed, if so) have been read, for progress.
     */
    public static InputStream open(Path file, LongConsumer consumed) throws IOException {
        InputStream raw = new BufferedInputStream(new Counting(Files.newInputStream(file), consumed), 1 << 16);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
    }

    private static final class Counting extends FilterInputStream {
        private final LongConsumer consumed;

        Counting(InputStream in, LongConsumer consumed) {
            super(in);
            this.consumed = consumed;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                consumed.accept(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                consumed.accept(n);
            }
            return n;
        }
    }
}
