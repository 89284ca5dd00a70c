package io.tierflow.cli.traffic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfSamplerTest {
    private static final int SAMPLES = 200_000;

    @Test
    void shouldDrawRankOneTenToTheSTimesAsOftenAsRankTen() {
        ZipfSampler sampler = new ZipfSampler(1000, 1.1);
        int[] counts = counts(sampler, new SplittableRandom(7), SAMPLES);

        double ratio = (double) counts[1] / counts[10];
        double expected = Math.pow(10, 1.1); // 12.6
        assertEquals(expected, ratio, expected * 0.10, "rank 1 / rank 10 frequency");
        // And rank 1's share is its probability (about 17% for N = 1000, s = 1.1).
        assertEquals(sampler.probability(1), (double) counts[1] / SAMPLES, 0.005);
    }

    @Test
    void shouldOnlyDrawRanksInRangeAndReachTheTail() {
        ZipfSampler sampler = new ZipfSampler(50, 0.8);
        int[] counts = counts(sampler, new SplittableRandom(1), SAMPLES);

        assertEquals(0, counts[0], "rank 0 drawn");
        for (int rank = 1; rank <= 50; rank++) {
            assertTrue(counts[rank] > 0, "rank " + rank + " never drawn");
        }
    }

    @Test
    void shouldDrawTheSameRanksFromTheSameSeed() {
        ZipfSampler sampler = new ZipfSampler(10_000, 1.1);
        assertArrayEquals(draws(sampler, 42), draws(sampler, 42));
        assertTrue(!java.util.Arrays.equals(draws(sampler, 42), draws(sampler, 43)), "another seed, other draws");
    }

    @Test
    void shouldHaveProbabilitiesThatSumToOne() {
        ZipfSampler sampler = new ZipfSampler(1234, 1.1);
        double sum = 0;
        for (int rank = 1; rank <= 1234; rank++) {
            sum += sampler.probability(rank);
        }
        assertEquals(1.0, sum, 1e-9);
        assertEquals(1.0, new ZipfSampler(1, 1.1).probability(1));
        assertEquals(1, new ZipfSampler(1, 1.1).sample(new SplittableRandom(3)));
    }

    @Test
    void shouldRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(0, 1.1));
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(10, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(10, 1.1).probability(11));
    }

    private static int[] counts(ZipfSampler sampler, SplittableRandom random, int samples) {
        int[] counts = new int[sampler.ranks() + 1];
        for (int i = 0; i < samples; i++) {
            counts[sampler.sample(random)]++;
        }
        return counts;
    }

    private static int[] draws(ZipfSampler sampler, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] draws = new int[1000];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = sampler.sample(random);
        }
        return draws;
    }
}
