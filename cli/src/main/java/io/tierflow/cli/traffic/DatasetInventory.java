package io.tierflow.cli.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates the datasets traffic is about. Each dataset's attributes come from its own seeded random stream,
 * so dataset 42 is the same whether 100 or 100,000 datasets are generated with the same seed.
 *
 * <p>Sizes are log-normal, the usual shape of object sizes: median 1 MiB with σ = 1 (so about 5% are above
 * 5 MiB), cut off at a maximum.
 */
public final class DatasetInventory {
    /** Median object size. */
    public static final long MEDIAN_BYTES = 1L << 20;
    /** Spread of log(size). */
    static final double SIGMA = 1.0;

    private static final String KEY_PREFIX = "datasets/d";
    private static final Pattern KEY = Pattern.compile(Pattern.quote(KEY_PREFIX) + "(\\d+)");

    // Shares of content types, roughly those of a data lake that also holds some media.
    private static final String[] CONTENT_TYPES = {
        "application/vnd.apache.parquet", "application/vnd.apache.parquet", "application/vnd.apache.parquet",
        "application/json", "text/csv", "text/csv", "application/gzip", "image/jpeg", "video/mp4",
        "application/octet-stream"};
    private static final String[] OWNERS = {
        "team-analytics", "team-ml", "team-media", "team-search", "team-finance", "team-platform"};

    private DatasetInventory() {
    }

    /**
     * Generates {@code count} datasets, rank 1 first.
     *
     * @param sites sites the datasets' primary copies are spread over, evenly at random
     * @param maxObjectBytes sizes above this are cut to it
     */
    public static List<DatasetSpec> generate(long seed, int count, List<String> sites, long maxObjectBytes) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one dataset, got " + count);
        }
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("need at least one site to place datasets on");
        }
        if (maxObjectBytes < 1) {
            throw new IllegalArgumentException("the maximum object size must be at least 1 byte, got " + maxObjectBytes);
        }
        List<DatasetSpec> datasets = new ArrayList<>(count);
        for (int rank = 1; rank <= count; rank++) {
            SplittableRandom random = new SplittableRandom(Seeds.mix(seed, rank));
            long size = Math.max(1, Math.min(maxObjectBytes,
                    Math.round(MEDIAN_BYTES * Math.exp(SIGMA * random.nextGaussian()))));
            datasets.add(new DatasetSpec(rank, key(rank), size,
                    CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)],
                    OWNERS[random.nextInt(OWNERS.length)],
                    sites.get(random.nextInt(sites.size())),
                    random.nextLong()));
        }
        return datasets;
    }

    /** The key of the dataset with this rank, e.g. {@code datasets/d000042}. */
    public static String key(int rank) {
        return String.format("%s%06d", KEY_PREFIX, rank);
    }

    /** The rank a generated key stands for, or 0 if it is not a generated key. */
    public static int rankOf(String key) {
        Matcher matcher = KEY.matcher(key);
        if (!matcher.matches() || matcher.group(1).length() > 9) {
            return 0;
        }
        return Integer.parseInt(matcher.group(1));
    }
}
