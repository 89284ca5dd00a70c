package io.tierflow.migrator;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The next {@code limit} bytes of a longer stream, for one multipart part. Closing it does not close the
 * underlying stream, because the HTTP client closes each part's body and the next part reads on.
 */
final class BoundedInputStream extends FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = super.read();
        if (b >= 0) {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int n = super.read(buffer, offset, (int) Math.min(length, remaining));
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skipping would leave bytes unhashed");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // the underlying stream belongs to the caller
    }
}
