package io.tierflow.cli.traffic;

/** Derives independent seeds from one run seed, so each part of a run has its own reproducible random stream. */
final class Seeds {
    private Seeds() {
    }

    /**
     * A well-scrambled seed for stream {@code index} of {@code seed}. Plain {@code seed + index} would not do:
     * {@link java.util.SplittableRandom} seeded with neighbouring values yields shifted copies of one sequence.
     */
    static long mix(long seed, long index) {
        return splitMix64(seed ^ splitMix64(index + 0x9E3779B97F4A7C15L));
    }

    // The SplitMix64 finaliser (Steele, Lea, Flood 2014): every input bit affects every output bit.
    private static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
