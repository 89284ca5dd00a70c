package io.tierflow.cli.traffic;

import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * A stream of {@code size} pseudo-random bytes determined by a seed. Random rather than repeated bytes so that
 * no store or transport can compress or deduplicate them and transfer sizes stay honest.
 */
final class SyntheticContent extends InputStream {
    private final SplittableRandom random;
    private long remaining;
    private long word;
    private int bytesLeftInWord;

    SyntheticContent(long seed, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
        this.random = new SplittableRandom(seed);
        this.remaining = size;
    }

    @Override
    public int read() {
        if (remaining == 0) {
            return -1;
        }
        remaining--;
        return nextByte() & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(length, remaining);
        for (int i = 0; i < n; i++) {
            buffer[offset + i] = nextByte();
        }
        remaining -= n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    // Byte by byte from 64-bit words, so the bytes depend only on their position, never on how reads are split.
    private byte nextByte() {
        if (bytesLeftInWord == 0) {
            word = random.nextLong();
            bytesLeftInWord = 8;
        }
        byte b = (byte) word;
        word >>>= 8;
        bytesLeftInWord--;
        return b;
    }
}
