package io.tierflow.bench;

import java.io.InputStream;
import java.util.SplittableRandom;

/** {@code size} pseudo-random bytes from a seed: incompressible, reproducible, never all in memory. */
final class RandomBytes extends InputStream {
    private final SplittableRandom random;
    private long left;

    RandomBytes(long seed, long size) {
        this.random = new SplittableRandom(seed);
        this.left = size;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (left == 0) {
            return -1;
        }
        int n = (int) Math.min(length, left);
        for (int i = 0; i < n; i += 8) {
            long bits = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                buffer[offset + i + j] = (byte) (bits >>> (8 * j));
            }
        }
        left -= n;
        return n;
    }
}
