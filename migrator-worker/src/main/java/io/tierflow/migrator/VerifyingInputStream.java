package io.tierflow.migrator;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hashes (SHA-256) and counts the bytes flowing through it and refuses to hand out the last byte unless the whole
 * stream has the expected size and checksum. A writer reading from it therefore fails before sending its final
 * bytes, so the store never commits an object with the wrong content: nothing corrupt is ever visible.
 */
final class VerifyingInputStream extends FilterInputStream {
    /** Thrown from {@code read} when the bytes are not the expected ones; carries the error code. */
    static final class ChecksumMismatchException extends IOException {
        ChecksumMismatchException(String message) {
            super(message);
        }
    }

    private final long expectedSize;
    private final String expectedSha256;
    private final MessageDigest sha256;
    private long count;
    private String actualSha256;
    private ChecksumMismatchException failure;

    VerifyingInputStream(InputStream in, long expectedSize, String expectedSha256) {
        super(in);
        this.expectedSize = expectedSize;
        this.expectedSha256 = expectedSha256;
        this.sha256 = newDigest("SHA-256");
        if (expectedSize == 0) {
            actualSha256 = HexFormat.of().formatHex(sha256.digest());
        }
    }

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            if (count != expectedSize) {
                throw fail("source ended after " + count + " bytes, expected " + expectedSize);
            }
            return n;
        }
        sha256.update(buffer, offset, n);
        count += n;
        if (count > expectedSize) {
            throw fail("source is longer than the expected " + expectedSize + " bytes");
        }
        if (count == expectedSize) {
            actualSha256 = HexFormat.of().formatHex(sha256.digest());
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(actualSha256)) {
                throw fail("bytes hash to " + actualSha256 + ", expected " + expectedSha256);
            }
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

    private ChecksumMismatchException fail(String message) {
        failure = new ChecksumMismatchException(message);
        return failure;
    }

    /**
     * The mismatch this stream refused to pass on, or null. Kept because an HTTP client may hide the exception
     * behind its own (e.g. a failed attempt to rewind and retry the body).
     */
    ChecksumMismatchException failure() {
        return failure;
    }

    long count() {
        return count;
    }

    /** The SHA-256 of all the bytes, once all were read; null before. */
    String actualSha256() {
        return actualSha256;
    }
}
