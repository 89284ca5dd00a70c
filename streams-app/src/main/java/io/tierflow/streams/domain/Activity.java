package io.tierflow.streams.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Activity of one dataset in event time: 1 h and 24 h sliding counts (5-minute and 1-hour buckets), decayed heat,
 * decayed read demand per client region, a Holt forecast of the hourly rate, and the recent event ids that make a
 * redelivered event count once.
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
    final Map<String, Double> regionBytes;
    double decayedRequests;
    HoltForecast holt;
    long holtHour;
    final Deque<String> recentEventIds;
    long totalEvents;

    public Activity() {
        this(new BucketedCounts(FINE_BUCKET_MS, FINE_BUCKETS), new BucketedCounts(COARSE_BUCKET_MS, COARSE_BUCKETS),
                0, 0, 0, new HashMap<>(), 0, HoltForecast.EMPTY, -1, new ArrayDeque<>(), 0);
    }

    public Activity(BucketedCounts fine, BucketedCounts coarse, double heat, long heatAt, long lastAccess,
            Map<String, Double> regionBytes, double decayedRequests, HoltForecast holt, long holtHour,
            Deque<String> recentEventIds, long totalEvents) {
        this.fine = fine;
        this.coarse = coarse;
        this.heat = heat;
        this.heatAt = heatAt;
        this.lastAccess = lastAccess;
        this.regionBytes = new HashMap<>(regionBytes);
        this.decayedRequests = decayedRequests;
        this.holt = holt;
        this.holtHour = holtHour;
        this.recentEventIds = recentEventIds;
        this.totalEvents = totalEvents;
    }

    /**
     * Counts one access.
     *
     * @param streamTimeMs the newest event time seen so far; events more than the policy's lateness older are dropped
     */
    public Outcome record(long eventTimeMs, String op, long bytes, String region, String eventId, TieringPolicy policy,
            long streamTimeMs) {
        if (eventId != null && recentEventIds.contains(eventId)) {
            return Outcome.DUPLICATE;
        }
        if (streamTimeMs > 0 && eventTimeMs < streamTimeMs - policy.latenessMs()) {
            return Outcome.TOO_LATE;
        }
        if (eventId != null) {
            recentEventIds.addLast(eventId);
            if (recentEventIds.size() > REMEMBERED_EVENT_IDS) {
                recentEventIds.removeFirst();
            }
        }
        fine.add(eventTimeMs, 1);
        long previousNewestHour = coarse.newestBucket();
        coarse.add(eventTimeMs, 1);
        feedForecast(previousNewestHour);

        long halfLife = policy.halfLifeMs();
        double weight = policy.weightOf(op, bytes);
        boolean read = "GET".equals(op);
        if (eventTimeMs >= heatAt) {
            heat = DecayedHeat.decay(heat, heatAt, eventTimeMs, halfLife) + weight;
            regionBytes.replaceAll((r, v) -> DecayedHeat.decay(v, heatAt, eventTimeMs, halfLife));
            decayedRequests = DecayedHeat.decay(decayedRequests, heatAt, eventTimeMs, halfLife);
            heatAt = eventTimeMs;
            if (read) {
                regionBytes.merge(region, (double) bytes, Double::sum);
                decayedRequests += 1;
            }
        } else {
            // Out of order: add the late access as it has decayed by the time the state refers to.
            double factor = DecayedHeat.decay(1.0, eventTimeMs, heatAt, halfLife);
            heat += weight * factor;
            if (read) {
                regionBytes.merge(region, bytes * factor, Double::sum);
                decayedRequests += factor;
            }
        }
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
        for (long hour = from; hour < newestHour; hour++) {
            holt = holt.observe(coarse.countOf(hour));
        }
        holtHour = newestHour - 1;
    }

    public double heatAt(long nowMs, long halfLifeMs) {
        return DecayedHeat.decay(heat, heatAt, nowMs, halfLifeMs);
    }

    /** Expected GB read per month per region, extrapolated from the decayed read volume. */
    public Map<String, Double> monthlyGbByRegion(long nowMs, long halfLifeMs) {
        Map<String, Double> monthly = new HashMap<>();
        regionBytes.forEach((region, bytes) -> monthly.put(region,
                DecayedHeat.ratePerMs(DecayedHeat.decay(bytes, heatAt, nowMs, halfLifeMs), halfLifeMs) * MONTH_MS / 1e9));
        return monthly;
    }

    public double monthlyRequests(long nowMs, long halfLifeMs) {
        return DecayedHeat.ratePerMs(DecayedHeat.decay(decayedRequests, heatAt, nowMs, halfLifeMs), halfLifeMs)
                * MONTH_MS;
    }

    public Features features(long nowMs, long sizeBytes, long halfLifeMs) {
        ZonedDateTime now = Instant.ofEpochMilli(nowMs).atZone(ZoneOffset.UTC);
        double recency = lastAccess == 0 ? NEVER_ACCESSED_RECENCY_S : Math.max(0, (nowMs - lastAccess) / 1000.0);
        return new Features(fine.total(nowMs), coarse.total(nowMs), recency, Math.log10(sizeBytes + 1.0),
                now.getHour(), now.getDayOfWeek().getValue(), heatAt(nowMs, halfLifeMs), holt.nextHour());
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

    public Map<String, Double> rawRegionBytes() {
        return regionBytes;
    }

    public double rawDecayedRequests() {
        return decayedRequests;
    }

    public HoltForecast holt() {
        return holt;
    }

    public long holtHour() {
        return holtHour;
    }

    public Deque<String> recentEventIds() {
        return recentEventIds;
    }
}
