package io.tierflow.cli.traffic;

import java.util.random.RandomGenerator;

/**
 * Draws ranks 1..N with probability proportional to {@code 1 / rank^s} (Zipf's law, the usual shape of object
 * popularity). The cumulative distribution is computed once, so a draw is one uniform number and a binary
 * search: O(log N) time, 8 bytes of memory per rank. The caller passes the (seeded) random source, so the
 * sampler itself is immutable and one seed reproduces a run.
 */
public final class ZipfSampler {
    /** Popularity exponent used when none is given; measured web and storage workloads are usually near 1. */
    public static final double DEFAULT_EXPONENT = 1.1;

    private final double exponent;
    private final double[] cdf;

    public ZipfSampler(int ranks, double exponent) {
        if (ranks < 1) {
            throw new IllegalArgumentException("need at least one rank, got " + ranks);
        }
        if (!(exponent > 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("the Zipf exponent must be a positive number, got " + exponent);
        }
        this.exponent = exponent;
        this.cdf = new double[ranks];
        double sum = 0;
        for (int rank = 1; rank <= ranks; rank++) {
            sum += Math.pow(rank, -exponent);
            cdf[rank - 1] = sum;
        }
        for (int i = 0; i < ranks; i++) {
            cdf[i] /= sum;
        }
        cdf[ranks - 1] = 1.0; // rounding must not leave a gap above the last rank
    }

    public int ranks() {
        return cdf.length;
    }

    public double exponent() {
        return exponent;
    }

    /** Probability of drawing {@code rank} (1-based). */
    public double probability(int rank) {
        checkRank(rank);
        return rank == 1 ? cdf[0] : cdf[rank - 1] - cdf[rank - 2];
    }

    /** One draw: a rank in 1..N. */
    public int sample(RandomGenerator random) {
        double u = random.nextDouble(); // in [0, 1)
        // The smallest index whose cumulative probability exceeds u.
        int low = 0;
        int high = cdf.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cdf[mid] > u) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low + 1;
    }

    private void checkRank(int rank) {
        if (rank < 1 || rank > cdf.length) {
            throw new IllegalArgumentException("rank " + rank + " is outside 1.." + cdf.length);
        }
    }
}
