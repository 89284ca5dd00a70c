package io.tierflow.cli.traffic;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.streams.domain.ReadRouting.ServingCopy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Bursts an operator asks for while traffic runs ({@code POST /control/burst}): extra GETs of whole objects on the
 * named datasets at a given rate for a given time, on top of the generated traffic. Added from the thread that
 * follows the control topic; drained by the traffic loop, which calls {@link #due} before each event it sends. Each
 * read is served, like the generated ones, from the dataset's copy nearest the client where it is now.
 */
public final class OperatorBursts {
    /** Most events one burst may emit in one call, so a stalled loop does not catch up with a flood. */
    private static final int MAX_CATCH_UP = 10_000;
    private final ConcurrentLinkedQueue<Burst> added = new ConcurrentLinkedQueue<>();
    private final List<Burst> active = new ArrayList<>();
    private final Map<String, DatasetSpec> datasets;
    private final CurrentPlacements placements;
    private final LatencyModel latency = new LatencyModel();
    private final SplittableRandom random = new SplittableRandom();
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private long sequence;

    /** Bursts whose reads come from each dataset's starting site. */
    public OperatorBursts(List<DatasetSpec> datasets) {
        this(datasets, new CurrentPlacements());
    }

    /** Bursts whose reads come from where {@code placements} says the datasets are. */
    public OperatorBursts(List<DatasetSpec> datasets, CurrentPlacements placements) {
        this.datasets = datasets.stream().collect(Collectors.toMap(DatasetSpec::key, Function.identity()));
        this.placements = placements;
    }

    /**
     * Starts a burst now. Keys this traffic does not know are left out (their size and site are unknown); a rate that
     * is not a positive finite number starts nothing.
     *
     * @return the keys that will burst
     */
    public List<String> add(List<String> keys, double eventsPerSecond, Duration length, long nowNanos) {
        List<DatasetSpec> known = keys.stream().map(datasets::get).filter(java.util.Objects::nonNull).toList();
        if (!known.isEmpty() && eventsPerSecond > 0 && Double.isFinite(eventsPerSecond)) {
            added.add(new Burst(known, eventsPerSecond, nowNanos, length.toNanos()));
        }
        return known.stream().map(DatasetSpec::key).toList();
    }

    /** The burst events due by {@code nowNanos} (System.nanoTime), stamped with the traffic's event time. */
    public List<AccessEvent> due(long nowNanos, Instant eventTime) {
        for (Burst burst; (burst = added.poll()) != null; ) {
            active.add(burst);
        }
        if (active.isEmpty()) {
            return List.of();
        }
        List<AccessEvent> events = new ArrayList<>();
        for (Iterator<Burst> it = active.iterator(); it.hasNext(); ) {
            Burst burst = it.next();
            int emitted = 0;
            while (burst.count < burst.total && burst.dueNanos() <= nowNanos && emitted < MAX_CATCH_UP) {
                DatasetSpec dataset = burst.datasets.get((int) (burst.count % burst.datasets.size()));
                String clientRegion = TrafficConfig.DEFAULT_REGIONS.get(0);
                ServingCopy servedFrom = placements.servingCopy(dataset.key(), dataset.primarySite(), clientRegion);
                events.add(new AccessEvent(dataset.key(), AccessOp.GET, dataset.sizeBytes(), servedFrom.site(),
                        clientRegion, latency.latencyMs(servedFrom, clientRegion, random), eventTime,
                        "burst-" + runId + "-" + sequence++));
                burst.count++;
                emitted++;
            }
            if (burst.count >= burst.total) {
                it.remove();
            }
        }
        return events;
    }

    /**
     * One event every interval from the start, the last one before the end: {@code rate × length} events, as the
     * generated bursts count their window ({@link BurstSchedule}: start included, end not). Each event's time is
     * reckoned from the start, so a rate whose interval is not a whole number of nanoseconds does not drift.
     */
    private static final class Burst {
        final List<DatasetSpec> datasets;
        final long startNanos;
        final double intervalNanos;
        final long total;
        long count;

        Burst(List<DatasetSpec> datasets, double eventsPerSecond, long startNanos, long lengthNanos) {
            this.datasets = datasets;
            this.startNanos = startNanos;
            this.intervalNanos = 1e9 / eventsPerSecond;
            // Less a rounding error: 0.3 events/s × 10 s is 3 events, even where the product comes out a hair above.
            this.total = (long) Math.ceil(lengthNanos / intervalNanos - 1e-9);
        }

        long dueNanos() {
            return startNanos + (long) (count * intervalNanos);
        }
    }
}
