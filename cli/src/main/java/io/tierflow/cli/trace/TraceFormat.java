package io.tierflow.cli.trace;

import java.io.IOException;
import java.io.InputStream;

/** A trace file format: reads one file's requests into a sink. Plain Java, tested on fixtures directly. */
public interface TraceFormat {
    /**
     * Reads every request in {@code in} (already decompressed) into {@code sink}. A bad line goes to
     * {@link TraceSink#bad} and reading goes on; only an I/O error ends it.
     *
     * @param source the file's name, for messages
     */
    void read(InputStream in, String source, TraceSink sink) throws IOException;

    /**
     * Whether the object ids are already object paths ({@code bucket/key}); otherwise they are bare ids (block
     * numbers, hashes) and the importer puts them under the import's name.
     */
    default boolean idsArePaths() {
        return false;
    }
}
