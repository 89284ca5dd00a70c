package io.tierflow.streams.domain;

import java.util.HashMap;
import java.util.Map;

/**
 * Activity of one dataset in event time: 1 h and 24 h sliding counts (5-minute and 1-hour buckets), decayed heat,
 * decayed read demand per client region ({@link RegionReadVolumes}), a Holt forecast of the hourly rate, hashes of the
 * recent event ids that make a redelivered event count once ({@link RecentEventIds}), and the dataset's lifetime
 * history ({@link LifetimeHistory}).
 *
 * <p>Updated on every access event, so it is laid out for that: primitive arrays, no boxing, no per-event
 * allocation (regions are a handful, searched linearly).
 */
public final class Activity {
    public static final long FINE_BUCKET_MS = 5 * 60_000L;
    public static final int FINE_BUCKETS = 12;
    public static final long COARSE_BUCKET_MS = 3_600_000L;
    public static final int COARSE_BUCKETS = 24;
    /** Enough to catch a producer retry or a replayed batch; bounded so the state stays small. */
    public static final int REMEMBERED_EVENT_IDS = 16;
    private static final long NEVER_ACCESSED_RECENCY_S = 30L * 24 * 3600;
    private static final double MONTH_MS = 30.0 * 24 * 3_600_000;

    /** What happened to an event. */
    public enum Outcome { COUNTED, DUPLICATE, TOO_LATE }

    final BucketedCounts fine;
    final BucketedCounts coarse;
    double heat;
    long heatAt;
    long lastAccess;
    final RegionReadVolumes regionBytes;
    double decayedRequests;
    /**
     * The forecast's state as numbers rather than a {@link HoltForecast}: it changes every hour for every dataset, and
     * a new object each time, referenced from this long-lived one, is work for the garbage collector (see
     * WriteBehindStore.put).
     */
    double holtLevel;
    double holtTrend;
    long holtObservations;
    long holtHour;
    final RecentEventIds recentIds;
    long totalEvents;
    final LifetimeHistory history;

    public Activity() {
        this(new BucketedCounts(FINE_BUCKET_MS, FINE_BUCKETS), new BucketedCounts(COARSE_BUCKET_MS, COARSE_BUCKETS),
                0, 0, 0, Map.of(), 0, HoltForecast.EMPTY, -1, new long[0], 0);
    }

    /**
     * Restores a saved activity.
     *
     * @param recentIdHashes {@link #eventIdHash hashes} of the remembered event ids, oldest first
     */
    public Activity(BucketedCounts fine, BucketedCounts coarse, double heat, long heatAt, long lastAccess,
            Map<String, Double> regionBytes, double decayedRequests, HoltForecast holt, long holtHour,
            long[] recentIdHashes, long totalEvents) {
        this.fine = fine;
        this.coarse = coarse;
        this.heat = heat;
        this.heatAt = heatAt;
        this.lastAccess = lastAccess;
        this.regionBytes = new RegionReadVolumes(regionBytes);
        this.decayedRequests = decayedRequests;
        setHolt(holt);
        this.holtHour = holtHour;
        this.recentIds = new RecentEventIds(REMEMBERED_EVENT_IDS, recentIdHashes);
        this.totalEvents = totalEvents;
        // State saved before the history was kept tells no more than its last access: restoreHistory sets the rest.
        this.history = LifetimeHistory.assumedFrom(totalEvents, lastAccess);
    }

    /**
     * Restores the history a saved activity kept (see {@link #totalReads()}, {@link #firstAccess()},
     * {@link #previousAccess()}, {@link #activeDays()}).
     */
    public void restoreHistory(long totalReads, long firstAccess, long previousAccess, long activeDays) {
        history.totalReads = totalReads;
        history.firstAccess = firstAccess;
        history.previousAccess = previousAccess;
        history.activeDays = activeDays;
    }

    private Activity(Activity original) {
        this.fine = original.fine.copy();
        this.coarse = original.coarse.copy();
        this.heat = original.heat;
        this.heatAt = original.heatAt;
        this.lastAccess = original.lastAccess;
        this.regionBytes = original.regionBytes.copy();
        this.decayedRequests = original.decayedRequests;
        this.holtLevel = original.holtLevel;
        this.holtTrend = original.holtTrend;
        this.holtObservations = original.holtObservations;
        this.holtHour = original.holtHour;
        this.recentIds = original.recentIds.copy();
        this.totalEvents = original.totalEvents;
        this.history = original.history.copy();
    }

    /** An independent copy: changing either leaves the other as it was. */
    public Activity copy() {
        return new Activity(this);
    }

    /** The 64-bit hash an event id is remembered by (see {@link RecentEventIds#hash}). */
    public static long eventIdHash(String eventId) {
        return RecentEventIds.hash(eventId);
    }

    /**
     * Counts one access.
     *
     * @param streamTimeMs the newest event time seen so far; events more than the policy's lateness older are dropped
     */
    public Outcome record(long eventTimeMs, String op, long bytes, String region, String eventId, TieringPolicy policy,
            long streamTimeMs) {
        long idHash = eventId == null ? 0 : eventIdHash(eventId);
        if (eventId != null && recentIds.contains(idHash)) {
            return Outcome.DUPLICATE;
        }
        if (streamTimeMs > 0 && eventTimeMs < streamTimeMs - policy.latenessMs()) {
            return Outcome.TOO_LATE;
        }
        if (eventId != null) {
            recentIds.add(idHash);
        }
        fine.add(eventTimeMs, 1);
        long previousNewestHour = coarse.newestBucket();
        coarse.add(eventTimeMs, 1);
        feedForecast(previousNewestHour);

        long halfLife = policy.halfLifeMs();
        double weight = policy.weightOf(op, bytes);
        boolean read = "GET".equals(op);
        if (eventTimeMs >= heatAt) {
            // One decay factor for every decayed sum: they all refer to heatAt.
            double factor = DecayedHeat.decay(1.0, heatAt, eventTimeMs, halfLife);
            heat = heat * factor + weight;
            regionBytes.scale(factor);
            decayedRequests *= factor;
            heatAt = eventTimeMs;
            if (read) {
                regionBytes.add(region, bytes);
                decayedRequests += 1;
            }
        } else {
            // Out of order: add the late access as it has decayed by the time the state refers to.
            double factor = DecayedHeat.decay(1.0, eventTimeMs, heatAt, halfLife);
            heat += weight * factor;
            if (read) {
                regionBytes.add(region, bytes * factor);
                decayedRequests += factor;
            }
        }
        history.record(eventTimeMs, read, lastAccess);
        lastAccess = Math.max(lastAccess, eventTimeMs);
        totalEvents++;
        return Outcome.COUNTED;
    }

    /** Feeds every hour that completed since the last feed (at most a day of them) into the forecast. */
    private void feedForecast(long previousNewestHour) {
        long newestHour = coarse.newestBucket();
        if (previousNewestHour < 0 || newestHour <= previousNewestHour) {
            return;
        }
        long from = Math.max(holtHour + 1, Math.max(previousNewestHour, newestHour - COARSE_BUCKETS + 1));
        HoltForecast holt = holt();
        for (long hour = from; hour < newestHour; hour++) {
            holt = holt.observe(coarse.countOf(hour));
        }
        setHolt(holt);
        holtHour = newestHour - 1;
    }

    public double heatAt(long nowMs, long halfLifeMs) {
        return DecayedHeat.decay(heat, heatAt, nowMs, halfLifeMs);
    }

    /** Expected GB read per month per region, extrapolated from the decayed read volume. */
    public Map<String, Double> monthlyGbByRegion(long nowMs, long halfLifeMs) {
        Map<String, Double> monthly = new HashMap<>();
        for (int i = 0; i < regionBytes.count(); i++) {
            monthly.put(regionBytes.region(i), DecayedHeat.ratePerMs(DecayedHeat.decay(regionBytes.bytes(i), heatAt,
                    nowMs, halfLifeMs), halfLifeMs) * MONTH_MS / 1e9);
        }
        return monthly;
    }

    public double monthlyRequests(long nowMs, long halfLifeMs) {
        return DecayedHeat.ratePerMs(DecayedHeat.decay(decayedRequests, heatAt, nowMs, halfLifeMs), halfLifeMs)
                * MONTH_MS;
    }

    /**
     * The reads expected in the next {@code horizonMs} if the decayed past goes on decaying at the same half-life: a
     * decayed sum D implies a rate of D·ln 2 / HL now, which integrates over the horizon to D·(1 − 2^(−H/HL)). A
     * short half-life says activity does not last, so a recent burst predicts at most as many reads again.
     */
    public double expectedReads(long nowMs, long halfLifeMs, long horizonMs) {
        return DecayedHeat.decay(decayedRequests, heatAt, nowMs, halfLifeMs) * horizonShare(halfLifeMs, horizonMs);
    }

    /** The GB expected to be read in the next {@code horizonMs}, by client region, on the same assumption. */
    public Map<String, Double> expectedGbByRegion(long nowMs, long halfLifeMs, long horizonMs) {
        Map<String, Double> expected = new HashMap<>();
        double share = horizonShare(halfLifeMs, horizonMs);
        for (int i = 0; i < regionBytes.count(); i++) {
            expected.put(regionBytes.region(i),
                    DecayedHeat.decay(regionBytes.bytes(i), heatAt, nowMs, halfLifeMs) * share / 1e9);
        }
        return expected;
    }

    /** The GB expected to be read in the next {@code horizonMs}, all regions together. */
    public double expectedGb(long nowMs, long halfLifeMs, long horizonMs) {
        return DecayedHeat.decay(regionBytes.total(), heatAt, nowMs, halfLifeMs) * horizonShare(halfLifeMs, horizonMs) / 1e9;
    }

    private static double horizonShare(long halfLifeMs, long horizonMs) {
        return 1.0 - Math.pow(2.0, -(double) horizonMs / halfLifeMs);
    }

    public Features features(long nowMs, long sizeBytes, long halfLifeMs) {
        double recency = lastAccess == 0 ? NEVER_ACCESSED_RECENCY_S : Math.max(0, (nowMs - lastAccess) / 1000.0);
        // UTC hour and ISO day of week by arithmetic (1970-01-01 was a Thursday): this runs on hot paths.
        long hours = Math.floorDiv(nowMs, COARSE_BUCKET_MS);
        int hourOfDay = (int) Math.floorMod(hours, 24L);
        int dayOfWeek = (int) Math.floorMod(Math.floorDiv(hours, 24L) + 3, 7L) + 1;
        double bytesRead = regionBytes.total();
        // Bytes and reads decay alike, so their ratio needs no decay; a sum decayed to nothing means no reads.
        double readFraction = decayedRequests > 0 && sizeBytes > 0 ? bytesRead / decayedRequests / sizeBytes : 0;
        double readsPerSecond = DecayedHeat.ratePerMs(DecayedHeat.decay(decayedRequests, heatAt, nowMs, halfLifeMs),
                halfLifeMs) * 1000;
        double interarrival = readsPerSecond > 1 / Features.NO_READS_INTERARRIVAL_S ? 1 / readsPerSecond
                : Features.NO_READS_INTERARRIVAL_S;
        double age = lastAccess == 0 ? 0 : Math.max(0, (nowMs - history.firstAccess) / 1000.0);
        // A dataset younger than a day has its reads so far as its daily rate: a day is the least it is measured on.
        double readsPerDay = history.totalReads / Math.max(1.0, age / 86_400);
        // With no access before the last, as if there had been one 30 days before it, as recency does for none.
        double previousRecency = history.previousAccess == 0 ? recency + NEVER_ACCESSED_RECENCY_S
                : Math.max(0, (nowMs - history.previousAccess) / 1000.0);
        double lifetimeInterarrival = totalEvents > 1 ? (lastAccess - history.firstAccess) / 1000.0 / (totalEvents - 1)
                : Features.NO_READS_INTERARRIVAL_S;
        return new Features(fine.total(nowMs), coarse.total(nowMs), recency, Math.log10(sizeBytes + 1.0),
                hourOfDay, dayOfWeek, heatAt(nowMs, halfLifeMs), holt().nextHour(),
                DecayedHeat.decay(bytesRead, heatAt, nowMs, halfLifeMs) / 1e9, readFraction, regionBytes.count(),
                interarrival, history.totalReads, age, readsPerDay, previousRecency, lifetimeInterarrival,
                history.activeDays);
    }

    public long count1h(long nowMs) {
        return fine.total(nowMs);
    }

    public long count24h(long nowMs) {
        return coarse.total(nowMs);
    }

    public long lastAccess() {
        return lastAccess;
    }

    public long totalEvents() {
        return totalEvents;
    }

    /** Reads (GETs) counted since the dataset was first seen. */
    public long totalReads() {
        return history.totalReads;
    }

    /** Event time (epoch ms) of the first counted access; 0 if never accessed. */
    public long firstAccess() {
        return history.firstAccess;
    }

    /** The newest access time before {@link #lastAccess()}; 0 if there is none. */
    public long previousAccess() {
        return history.previousAccess;
    }

    /** UTC days on which the dataset was accessed, counted as its newest access moves to a later day. */
    public long activeDays() {
        return history.activeDays;
    }

    public BucketedCounts fine() {
        return fine;
    }

    public BucketedCounts coarse() {
        return coarse;
    }

    public double rawHeat() {
        return heat;
    }

    public long rawHeatAt() {
        return heatAt;
    }

    /** Decayed bytes read per client region as of {@link #rawHeatAt()}, in the order regions were first seen. */
    public Map<String, Double> rawRegionBytes() {
        return regionBytes.asMap();
    }

    /** Number of client regions read from. */
    public int regionCount() {
        return regionBytes.count();
    }

    /** The {@code i}-th region read from, in the order first seen. */
    public String region(int i) {
        return regionBytes.region(i);
    }

    /** Decayed bytes read from the {@code i}-th region as of {@link #rawHeatAt()}. */
    public double regionBytes(int i) {
        return regionBytes.bytes(i);
    }

    /** The share of the bytes read that came from {@code region}: 0 if none did, or nothing was read. */
    public double shareOfBytesFrom(String region) {
        double total = regionBytes.total();
        for (int i = 0; i < regionBytes.count() && total > 0; i++) {
            if (regionBytes.region(i).equals(region)) {
                return regionBytes.bytes(i) / total;
            }
        }
        return 0.0;
    }

    /** Restores one region's decayed bytes (the inverse of {@link #region} and {@link #regionBytes}). */
    public void restoreRegion(String region, double bytes) {
        regionBytes.restore(region, bytes);
    }

    public double rawDecayedRequests() {
        return decayedRequests;
    }

    public HoltForecast holt() {
        return new HoltForecast(holtLevel, holtTrend, holtObservations);
    }

    private void setHolt(HoltForecast holt) {
        holtLevel = holt.level();
        holtTrend = holt.trend();
        holtObservations = holt.observations();
    }

    public long holtHour() {
        return holtHour;
    }

    /** Hashes of the remembered event ids, oldest first. */
    public long[] recentIdHashes() {
        return recentIds.oldestFirst();
    }
}
