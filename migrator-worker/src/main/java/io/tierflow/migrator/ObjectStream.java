package io.tierflow.migrator;

import java.io.IOException;
import java.io.InputStream;

/**
 * An object being read: its bytes, and what the store said about them in the same answer (size, version token,
 * stored checksum), so that one GET both checks the version and delivers the bytes of that version.
 *
 * @param info the object as the read answered for it
 * @param bytes the object's bytes; closing this closes them
 */
public record ObjectStream(ObjectInfo info, InputStream bytes) implements AutoCloseable {
    @Override
    public void close() throws IOException {
        bytes.close();
    }
}
