package io.tierflow.cli.train;

import io.tierflow.streams.domain.Activity;
import io.tierflow.streams.domain.TieringPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * Builds the labelled table from recorded inventory and access events: it replays them in time order into one
 * {@link Activity} per dataset, as the topology keeps it (same half-life, op weights, duplicate and lateness rules), and
 * at each evaluation point takes the features the topology would score; then it labels every point by what followed.
 *
 * <p>Evaluation points are every counted access (the state right after it) and, at every multiple of {@code everyMs} of event time,
 * every dataset known by then, accessed or not, so datasets that are never read again are sampled too. When there
 * would be more than {@code maxPoints} points, each is kept with the same probability by a hash of its dataset and
 * time, so the table is the same on every run. A point is taken only if its horizon ends by the last event: a later
 * one's label would be cut short (censored), which would teach that recent datasets are not read again.
 *
 * <p>Every input is held in memory until {@link #build}, since a label needs what follows (about 150 bytes an event,
 * most of it the event id): tens of millions of events need a few GB of heap, or a shorter {@code --from}/{@code --to}.
 */
public final class LabelledTableBuilder {
    /**
     * @param horizonMs a point is positive when the dataset is read again within this long after it
     * @param everyMs event time between two periodic evaluations of every dataset
     * @param maxPoints bound on the points taken (sampled down evenly beyond it)
     * @param breakEvenMs the cold class's break-even idle time for an object of the given size (see
     *     {@link ColdBreakEven})
     */
    public record Settings(TieringPolicy policy, long horizonMs, long everyMs, long maxPoints,
            LongUnaryOperator breakEvenMs) {
        public Settings {
            if (horizonMs <= 0 || everyMs <= 0 || maxPoints <= 0) {
                throw new IllegalArgumentException("horizon, period and point bound must be positive");
            }
        }
    }

    /** Told how far the replay is, to draw a progress line. */
    public interface Progress {
        void update(long done, long total);
    }

    /** One recorded input: a dataset's size (from the inventory) or an access. */
    private record Observation(int object, long timeMs, boolean access, String op, long bytes, String region,
            String eventId) {
    }

    private record Unlabelled(int object, long timeMs, LabelledPoint.Kind kind, double[] features, long sizeBytes) {
    }

    private final Settings settings;
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> keys = new ArrayList<>();
    private final List<Observation> observations = new ArrayList<>();
    /** One instance per region name: every event brings its own copy, and the inputs are all held until built. */
    private final Map<String, String> regions = new HashMap<>();

    public LabelledTableBuilder(Settings settings) {
        this.settings = settings;
    }

    /** The dataset's size as its inventory record gave it at {@code timeMs}. */
    public void size(String key, long sizeBytes, long timeMs) {
        observations.add(new Observation(id(key), timeMs, false, null, sizeBytes, null, null));
    }

    /** One access, as the access event has it ({@code op} is the operation's name, e.g. GET). */
    public void access(String key, long timeMs, String op, long bytes, String region, String eventId) {
        String shared = region == null ? null : regions.computeIfAbsent(region, r -> r);
        observations.add(new Observation(id(key), timeMs, true, op, bytes, shared, eventId));
    }

    /** Number of inputs given so far. */
    public long inputs() {
        return observations.size();
    }

    private int id(String key) {
        return ids.computeIfAbsent(key, k -> {
            keys.add(k);
            return keys.size() - 1;
        });
    }

    /**
     * Replays what was given and labels the points.
     *
     * @throws IllegalArgumentException when the input has no access or is shorter than the horizon
     */
    public LabelledTable build(Progress progress) {
        observations.sort((a, b) -> Long.compare(a.timeMs(), b.timeMs())); // stable: equal times keep input order
        long start = -1;
        long end = -1;
        for (Observation o : observations) {
            if (o.access()) {
                start = start < 0 ? o.timeMs() : start;
                end = o.timeMs();
            }
        }
        if (start < 0) {
            throw new IllegalArgumentException("the input has no access events");
        }
        long lastPoint = end - settings.horizonMs();
        if (lastPoint < start) {
            throw new IllegalArgumentException("the input spans " + (end - start) / 1000 + " s of event time, less "
                    + "than the horizon of " + settings.horizonMs() / 1000 + " s: no point could be labelled");
        }
        double keepRate = keepRate(start, lastPoint);
        Replay replay = new Replay(start, lastPoint, keepRate);
        long done = 0;
        for (Observation o : observations) {
            replay.observe(o);
            if (++done % 10_000 == 0) {
                progress.update(done, observations.size());
            }
        }
        replay.ticksUntil(Long.MAX_VALUE);
        progress.update(done, observations.size());
        return label(replay, start, end);
    }

    /** The probability each candidate point is kept with, so that about {@code maxPoints} are. */
    private double keepRate(long start, long lastPoint) {
        long accesses = 0;
        long[] firstSeen = new long[keys.size()];
        Arrays.fill(firstSeen, Long.MAX_VALUE);
        for (Observation o : observations) {
            if (o.access() && o.timeMs() <= lastPoint) {
                accesses++;
            }
            firstSeen[o.object()] = Math.min(firstSeen[o.object()], o.timeMs());
        }
        long every = settings.everyMs();
        long periodic = 0;
        for (long first : firstSeen) {
            // ticks at the multiples of every after the start, from the first sight of the dataset to the last point
            long firstTick = Math.max(Math.floorDiv(start, every) + 1, ceilDiv(first, every));
            long lastTick = Math.floorDiv(lastPoint, every);
            periodic += Math.max(0, lastTick - firstTick + 1);
        }
        long candidates = accesses + periodic;
        return candidates <= settings.maxPoints() ? 1.0 : settings.maxPoints() / (double) candidates;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** The replay's state: each dataset's activity and size, the points taken and the reads that label them. */
    private final class Replay {
        private final long lastPoint;
        private final double keepRate;
        private final Activity[] activities = new Activity[keys.size()];
        private final long[] sizes = new long[keys.size()];
        private final boolean[] known = new boolean[keys.size()];
        private final List<Integer> knownOrder = new ArrayList<>();
        private final long[][] readTimes = new long[keys.size()][];
        private final long[][] readBytes = new long[keys.size()][];
        private final int[] readCount = new int[keys.size()];
        private final List<Unlabelled> points = new ArrayList<>();
        private List<String> featureNames;
        private long streamTime;
        private long nextTick;

        Replay(long start, long lastPoint, double keepRate) {
            this.lastPoint = lastPoint;
            this.keepRate = keepRate;
            // On multiples of the period (whole hours, days), so the hour and weekday features repeat.
            this.nextTick = (Math.floorDiv(start, settings.everyMs()) + 1) * settings.everyMs();
        }

        void observe(Observation o) {
            // Events at a tick's time are part of the state the tick sees.
            ticksUntil(o.timeMs() - 1);
            int id = o.object();
            if (!known[id]) {
                known[id] = true;
                knownOrder.add(id);
            }
            if (!o.access()) {
                sizes[id] = o.bytes();
                return;
            }
            if (activities[id] == null) {
                activities[id] = new Activity();
            }
            Activity.Outcome outcome = activities[id].record(o.timeMs(), o.op(), o.bytes(), o.region(), o.eventId(),
                    settings.policy(), streamTime);
            streamTime = Math.max(streamTime, o.timeMs());
            if (outcome != Activity.Outcome.COUNTED) {
                return; // the topology ignores it: so do the features and the labels
            }
            if (sizes[id] < o.bytes()) {
                sizes[id] = o.bytes(); // no inventory size: the largest transfer is the best lower bound known
            }
            if ("GET".equals(o.op())) {
                addRead(id, o.timeMs(), o.bytes());
            }
            if (o.timeMs() <= lastPoint && kept(id, o.timeMs())) {
                points.add(new Unlabelled(id, o.timeMs(), LabelledPoint.Kind.ACCESS, features(id, o.timeMs()),
                        sizes[id]));
            }
        }

        /** Takes the periodic points due at or before {@code timeMs}. */
        void ticksUntil(long timeMs) {
            while (nextTick <= timeMs && nextTick <= lastPoint) {
                long tick = nextTick;
                for (int id : knownOrder) {
                    if (kept(id, tick)) {
                        points.add(new Unlabelled(id, tick, LabelledPoint.Kind.PERIODIC, features(id, tick),
                                sizes[id]));
                    }
                }
                nextTick += settings.everyMs();
            }
        }

        private boolean kept(int id, long timeMs) {
            if (keepRate >= 1.0) {
                return true;
            }
            long h = Activity.eventIdHash(keys.get(id)) ^ (timeMs * 0x9E3779B97F4A7C15L);
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            return (h >>> 11) * 0x1.0p-53 < keepRate;
        }

        private double[] features(int id, long timeMs) {
            Activity activity = activities[id] == null ? new Activity() : activities[id];
            Map<String, Double> byName = activity.features(timeMs, sizes[id], settings.policy().halfLifeMs())
                    .byName();
            if (featureNames == null) {
                featureNames = List.copyOf(byName.keySet());
            }
            double[] values = new double[featureNames.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = byName.get(featureNames.get(i));
            }
            return values;
        }

        private void addRead(int id, long timeMs, long bytes) {
            int n = readCount[id];
            if (readTimes[id] == null) {
                readTimes[id] = new long[4];
                readBytes[id] = new long[4];
            } else if (n == readTimes[id].length) {
                readTimes[id] = Arrays.copyOf(readTimes[id], n * 2);
                readBytes[id] = Arrays.copyOf(readBytes[id], n * 2);
            }
            // Counted reads arrive in time order, but a late one (within the lateness) may be older than the last.
            int at = n;
            while (at > 0 && readTimes[id][at - 1] > timeMs) {
                readTimes[id][at] = readTimes[id][at - 1];
                readBytes[id][at] = readBytes[id][at - 1];
                at--;
            }
            readTimes[id][at] = timeMs;
            readBytes[id][at] = bytes;
            readCount[id] = n + 1;
        }
    }

    private LabelledTable label(Replay replay, long start, long end) {
        long horizon = settings.horizonMs();
        // Prefix sums of read bytes per dataset, so the bytes in a window are a difference.
        long[][] bytesBefore = new long[keys.size()][];
        for (int id = 0; id < keys.size(); id++) {
            int n = replay.readCount[id];
            bytesBefore[id] = new long[n + 1];
            for (int i = 0; i < n; i++) {
                bytesBefore[id][i + 1] = bytesBefore[id][i] + replay.readBytes[id][i];
            }
        }
        List<LabelledPoint> points = new ArrayList<>(replay.points.size());
        for (Unlabelled u : replay.points) {
            int id = u.object();
            long[] times = replay.readTimes[id];
            int n = replay.readCount[id];
            int next = times == null ? 0 : upperBound(times, n, u.timeMs());
            int pastHorizon = times == null ? 0 : upperBound(times, n, u.timeMs() + horizon);
            long nextRead = next < n ? times[next] : Long.MAX_VALUE;
            long breakEven = settings.breakEvenMs().applyAsLong(u.sizeBytes());
            Boolean beforeBreakEven = breakEven > end - u.timeMs() ? null : nextRead - u.timeMs() <= breakEven;
            points.add(new LabelledPoint(keys.get(id), u.timeMs(), u.kind(), u.features(),
                    nextRead - u.timeMs() <= horizon, pastHorizon - next,
                    bytesBefore[id][pastHorizon] - bytesBefore[id][next], beforeBreakEven));
        }
        points.sort((a, b) -> Long.compare(a.timeMs(), b.timeMs()));
        long censored = 0;
        for (Observation o : observations) {
            if (o.access() && o.timeMs() > end - horizon) {
                censored++;
            }
        }
        List<String> names = replay.featureNames == null ? List.of() : replay.featureNames;
        return new LabelledTable(names, points, horizon, start, end, censored);
    }

    /** Index of the first of the {@code n} sorted {@code times} after {@code timeMs}. */
    private static int upperBound(long[] times, int n, long timeMs) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= timeMs) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
