package io.tierflow.cli.traffic;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.streams.domain.ReadRouting.ServingCopy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates access events over a set of datasets, one {@link #next()} at a time, in event-time order:
 * <ul>
 * <li>which dataset: Zipf popularity by rank; during a burst the burst datasets get {@code factor} times their
 *     usual rate (the others keep theirs, so the total rate rises by the burst datasets' extra traffic);
 * <li>when: a Poisson process whose rate is {@code rate × diurnal(hour of day) × burst boost}, drawn exactly by
 *     thinning (Lewis–Shedler), so a run of any length has the configured mean rate;
 * <li>what: mostly GETs of the whole object or a range, some HEAD, LIST and PUT;
 * <li>from where: each dataset has a home region where 70% of its clients are, the rest come from anywhere;
 *     a read is served from the copy nearest the client among the dataset's copies where they are now
 *     ({@link CurrentPlacements}; the dataset's starting site while nothing else is known of it), with a latency that
 *     depends on that site and on the client's distance to it.
 * </ul>
 * Plain Java with no Kafka types: the produce command sends what this returns, tests call it directly.
 * Not thread-safe (the placements it reads may change on another thread).
 */
public final class TrafficGenerator {
    /** Share of a dataset's accesses that come from its home region. */
    static final double HOME_REGION_SHARE = 0.7;
    /** Share of GETs that read the whole object; the others read a range. */
    static final double WHOLE_OBJECT_GET_SHARE = 0.6;
    private static final AccessOp[] OPS = {AccessOp.GET, AccessOp.HEAD, AccessOp.PUT, AccessOp.LIST};
    private static final double[] OP_CUMULATIVE = {0.80, 0.90, 0.95, 1.0};

    private final TrafficConfig config;
    private final List<DatasetSpec> datasets;
    private final ZipfSampler popularity;
    private final LatencyModel latency = new LatencyModel();
    private final CurrentPlacements placements;
    private final SplittableRandom random;
    private final int[] homeRegion;
    private final boolean[] bursting;
    private final int[] burstRanks;
    private final double[] burstCumulative;
    /** Total rate multiplier while a burst is on. */
    private final double burstBoost;
    /** Probability that an event during a burst is for one of the burst datasets. */
    private final double burstShare;
    private final long startMillis;
    private final String runId;

    private long offsetNanos;
    private long sequence;

    /**
     * Traffic whose reads all come from each dataset's starting site.
     *
     * @param datasets the datasets, rank 1 first (as {@link DatasetInventory#generate} returns them)
     */
    public TrafficGenerator(TrafficConfig config, List<DatasetSpec> datasets) {
        this(config, datasets, new CurrentPlacements());
    }

    /**
     * Traffic whose reads come from where {@code placements} says the datasets are at the time of each read.
     *
     * @param datasets the datasets, rank 1 first (as {@link DatasetInventory#generate} returns them)
     */
    public TrafficGenerator(TrafficConfig config, List<DatasetSpec> datasets, CurrentPlacements placements) {
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("need at least one dataset");
        }
        for (int i = 0; i < datasets.size(); i++) {
            if (datasets.get(i).rank() != i + 1) {
                throw new IllegalArgumentException("datasets must be in rank order 1..N; position " + i
                        + " holds rank " + datasets.get(i).rank());
            }
        }
        this.config = config;
        this.datasets = List.copyOf(datasets);
        this.placements = placements;
        this.popularity = new ZipfSampler(datasets.size(), config.zipfExponent());
        this.random = new SplittableRandom(Seeds.mix(config.seed(), -2));
        this.startMillis = config.start().toEpochMilli();

        SplittableRandom homes = new SplittableRandom(Seeds.mix(config.seed(), -1));
        this.homeRegion = new int[datasets.size() + 1];
        for (int rank = 1; rank <= datasets.size(); rank++) {
            homeRegion[rank] = homes.nextInt(config.regions().size());
        }

        this.bursting = new boolean[datasets.size() + 1];
        this.burstRanks = config.bursts().ranks().stream().mapToInt(Integer::intValue).sorted().toArray();
        this.burstCumulative = new double[burstRanks.length];
        double burstProbability = 0;
        for (int i = 0; i < burstRanks.length; i++) {
            int rank = burstRanks[i];
            if (rank > datasets.size()) {
                throw new IllegalArgumentException("burst rank " + rank + " is beyond the " + datasets.size()
                        + " datasets");
            }
            bursting[rank] = true;
            burstProbability += popularity.probability(rank);
            burstCumulative[i] = burstProbability;
        }
        double factor = config.bursts().factor();
        this.burstBoost = 1 + (factor - 1) * burstProbability;
        this.burstShare = burstRanks.length == 0 ? 0 : factor * burstProbability / burstBoost;
        this.runId = runId(config, this.datasets);
    }

    /** The next event, later than (or at the same millisecond as) the previous one. */
    public AccessEvent next() {
        advanceTime();
        boolean burst = config.bursts().isActive(offsetNanos);
        int rank = burst && random.nextDouble() < burstShare ? burstRank() : ordinaryRank(burst);
        DatasetSpec dataset = datasets.get(rank - 1);
        AccessOp op = op();
        List<String> regions = config.regions();
        String clientRegion = random.nextDouble() < HOME_REGION_SHARE
                ? regions.get(homeRegion[rank])
                : regions.get(random.nextInt(regions.size()));
        ServingCopy servedFrom = placements.servingCopy(dataset.key(), dataset.primarySite(), clientRegion);
        double latencyMs = latency.latencyMs(servedFrom, clientRegion, random);
        String eventId = runId + "-" + sequence;
        sequence++;
        return new AccessEvent(dataset.key(), op, bytes(op, dataset.sizeBytes()), servedFrom.site(), clientRegion,
                latencyMs, eventTime(), eventId);
    }

    /** Event time of the latest event (the start before the first). */
    public Instant eventTime() {
        return Instant.ofEpochMilli(startMillis + offsetNanos / 1_000_000);
    }

    /** How far event time has advanced from the start, in nanoseconds. */
    public long offsetNanos() {
        return offsetNanos;
    }

    /** Events generated so far. */
    public long sequence() {
        return sequence;
    }

    /**
     * Identifies this run's configuration and datasets; event ids are {@code runId-sequence}, so they are the
     * same when the same run is generated again and differ between runs that are not the same.
     */
    public String runId() {
        return runId;
    }

    /** Probability that an event during a burst window is for one of the burst datasets. */
    public double burstShare() {
        return burstShare;
    }

    /** Share of events outside bursts that are for the burst datasets: their plain popularity. */
    public double burstDatasetsPopularity() {
        return burstRanks.length == 0 ? 0 : burstCumulative[burstCumulative.length - 1];
    }

    /** Expected events per second of event time at this offset from the start. */
    public double rateAt(long offset) {
        double multiplier = config.bursts().isActive(offset) ? burstBoost : 1;
        return config.rate() * config.diurnal().multiplier(Instant.ofEpochMilli(startMillis + offset / 1_000_000))
                * multiplier;
    }

    // Thinning: candidate gaps at the peak rate of the current burst state, each kept with probability
    // rate(t)/peak. A burst starting or ending changes the peak, so a candidate past that change is dropped and
    // the draw restarts there; exponential gaps are memoryless, so this is still exact.
    private void advanceTime() {
        while (true) {
            double burstMultiplier = config.bursts().isActive(offsetNanos) ? burstBoost : 1;
            double peakRate = config.rate() * config.diurnal().peak() * burstMultiplier;
            double gapSeconds = -Math.log(1 - random.nextDouble()) / peakRate;
            long gapNanos = (long) Math.min(Long.MAX_VALUE / 4.0, Math.max(1, Math.ceil(gapSeconds * 1e9)));
            long candidate = offsetNanos + gapNanos;
            long change = config.bursts().nextChange(offsetNanos);
            if (candidate >= change) {
                offsetNanos = change;
                continue;
            }
            offsetNanos = candidate;
            if (random.nextDouble() * peakRate < rateAt(offsetNanos)) {
                return;
            }
        }
    }

    private int burstRank() {
        double u = random.nextDouble() * burstCumulative[burstCumulative.length - 1];
        for (int i = 0; i < burstRanks.length; i++) {
            if (u < burstCumulative[i]) {
                return burstRanks[i];
            }
        }
        return burstRanks[burstRanks.length - 1];
    }

    // During a burst the non-burst share is Zipf restricted to the other datasets: redraw on a burst dataset.
    private int ordinaryRank(boolean burst) {
        int rank = popularity.sample(random);
        boolean othersExist = burstRanks.length < datasets.size();
        while (burst && bursting[rank] && othersExist) {
            rank = popularity.sample(random);
        }
        return rank;
    }

    private AccessOp op() {
        double u = random.nextDouble();
        for (int i = 0; i < OPS.length; i++) {
            if (u < OP_CUMULATIVE[i]) {
                return OPS[i];
            }
        }
        return AccessOp.GET;
    }

    private long bytes(AccessOp op, long size) {
        return switch (op) {
            case GET -> random.nextDouble() < WHOLE_OBJECT_GET_SHARE
                    ? size
                    : Math.max(1, (long) Math.ceil(size * (1 - random.nextDouble())));
            case PUT -> size;
            default -> 0;
        };
    }

    private static String runId(TrafficConfig config, List<DatasetSpec> datasets) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(config.toString().getBytes(StandardCharsets.UTF_8));
            for (DatasetSpec dataset : datasets) {
                digest.update(dataset.toString().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM, which every JVM must have", e);
        }
    }
}
