package io.tierflow.cli.traffic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When chosen datasets burst: for {@code length} at the start of every {@code every} of simulated time (counted
 * from the run's start), the burst datasets are accessed {@code factor} times as often as their popularity
 * alone would give; every other dataset keeps its own rate. Outside the windows nothing special happens.
 *
 * @param ranks popularity ranks of the datasets that burst (empty: no bursts)
 */
public record BurstSchedule(Set<Integer> ranks, Duration every, Duration length, double factor) {

    public BurstSchedule {
        // Sorted, so the schedule prints (and identifies a run) the same way in every JVM.
        ranks = Collections.unmodifiableSortedSet(new TreeSet<>(ranks));
        if (!ranks.isEmpty()) {
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("the burst period must be positive, got " + every);
            }
            if (length.isNegative() || length.isZero() || length.compareTo(every) > 0) {
                throw new IllegalArgumentException("the burst length must be positive and at most the period ("
                        + every + "), got " + length);
            }
            if (!(factor >= 1) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("the burst factor must be a number ≥ 1, got " + factor);
            }
        }
    }

    /** No bursts at all. */
    public static BurstSchedule none() {
        return new BurstSchedule(Set.of(), Duration.ofMinutes(10), Duration.ofMinutes(2), 1);
    }

    public boolean isEmpty() {
        return ranks.isEmpty();
    }

    /** Whether a burst is on at this offset from the start of the run. */
    public boolean isActive(long offsetNanos) {
        return !ranks.isEmpty() && Math.floorMod(offsetNanos, every.toNanos()) < length.toNanos();
    }

    /** The next offset after {@code offsetNanos} at which a burst starts or ends ({@code Long.MAX_VALUE} if never). */
    public long nextChange(long offsetNanos) {
        if (ranks.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long period = every.toNanos();
        long windowStart = offsetNanos - Math.floorMod(offsetNanos, period);
        long burstEnd = windowStart + length.toNanos();
        return offsetNanos < burstEnd ? burstEnd : windowStart + period;
    }

    private static final Pattern RANK = Pattern.compile("\\d+");

    /**
     * Reads burst keys given as popularity ranks ({@code 3}) or dataset keys ({@code datasets/d000003}) into
     * ranks, checking each names one of the {@code datasetCount} datasets.
     */
    public static Set<Integer> parseRanks(List<String> keys, int datasetCount) {
        Set<Integer> ranks = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String raw : keys) {
            String key = raw.strip();
            if (key.isEmpty()) {
                continue;
            }
            Matcher rank = RANK.matcher(key);
            int parsed = rank.matches() ? parseOrZero(key) : DatasetInventory.rankOf(key);
            if (parsed < 1 || parsed > datasetCount) {
                unknown.add(key);
            } else {
                ranks.add(parsed);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("burst keys " + unknown + " name no dataset: give ranks 1.."
                    + datasetCount + " or keys " + DatasetInventory.key(1) + ".." + DatasetInventory.key(datasetCount));
        }
        return ranks;
    }

    private static int parseOrZero(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
