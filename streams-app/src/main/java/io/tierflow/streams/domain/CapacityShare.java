package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One task's share of every site's capacity, and the bytes the task's datasets hold or are copying there. A site's
 * usable capacity (its capacity less the headroom) is split evenly over the partitions of the dataset inputs, so the
 * shares add up to it wherever the tasks run, with no coordination (ADR 19, as the migration budget: ADR 16). A
 * dataset counts on every site it holds a copy on and, while a COPY of it is in flight, on the copy's destination:
 * bytes in flight count from the moment the command is issued. A failed copy stops counting when its status ends the
 * command; a retired copy when the RETIRE completes.
 *
 * <p>Placement sees the share through {@link #offersFor}: a site that would take new bytes of a dataset beyond its
 * share is offered with only the room left, which the optimizer rejects as {@link PlacementOptimizer#CAPACITY}, so
 * the next-best feasible placement is chosen and the explanation names capacity as the binding constraint. A site the
 * dataset already holds (or is copying to) is offered as it is: staying adds no bytes.
 *
 * <p>The counts are derived from the dataset records (which are logged) by the same scan and the same one path of
 * record changes as the cost ledger's holdings: {@link #clear}, {@link #add} for each record when a task starts, then
 * {@link #move} for every record saved or deleted.
 */
public final class CapacityShare {
    /** A site without a limit (the catalogue's {@code Long.MAX_VALUE}, or anything that large). */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    /**
     * Where one dataset's bytes are: on its primary and replicas, and on the destination of its COPY in flight (null
     * if none). A site is counted once however many of these name it.
     */
    public record Holding(long bytes, String primary, List<String> replicas, String copyDestination) {
        public Holding {
            replicas = replicas == null ? List.of() : replicas;
        }

        /** Whether a copy of the dataset is on {@code site}, or being copied there. */
        public boolean holds(String site) {
            return site.equals(primary) || site.equals(copyDestination) || replicas.contains(site);
        }
    }

    private final double headroom;
    private final int partitions;
    /** Bytes per site; a mutable cell per site so a change allocates nothing once the site is known. */
    private final Map<String, long[]> bytesBySite = new HashMap<>();

    /**
     * @param headroom the fraction of each site's capacity kept free, in [0, 1)
     * @param partitions how many tasks share each site (the partitions of the dataset inputs)
     */
    public CapacityShare(double headroom, int partitions) {
        if (!(headroom >= 0 && headroom < 1)) {
            throw new IllegalArgumentException("capacity headroom must be in [0, 1), got " + headroom);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive, got " + partitions);
        }
        this.headroom = headroom;
        this.partitions = partitions;
    }

    /** This task's share of a site of {@code capacityBytes}: the usable capacity over the partitions, rounded down. */
    public long shareOf(long capacityBytes) {
        if (capacityBytes >= UNBOUNDED / 2) {
            return UNBOUNDED;
        }
        return (long) Math.floor(Math.max(capacityBytes, 0) * (1 - headroom)) / partitions;
    }

    /** The bytes this task's datasets hold or are copying on {@code site}. */
    public long bytesOn(String site) {
        long[] bytes = bytesBySite.get(site);
        return bytes == null ? 0L : bytes[0];
    }

    /** Forgets every count (before they are rebuilt from the records). */
    public void clear() {
        bytesBySite.clear();
    }

    /** Counts a dataset's holding (a task rebuilding its counts from its records). */
    public void add(Holding holding) {
        count(holding, 1);
    }

    /** A dataset record changed what it holds from {@code before} to {@code after} (either null: none). */
    public void move(Holding before, Holding after) {
        if (before != null && before.equals(after)) {
            return;
        }
        count(before, -1);
        count(after, 1);
    }

    /**
     * The sites as a dataset of {@code sizeBytes} that holds {@code held} (null: nothing yet) may use them: the same
     * list when every site it does not hold has room for it within this task's share (no allocation: the common
     * case), else a copy where each such site without room offers only the room it has left.
     */
    public List<SiteOffer> offersFor(List<SiteOffer> sites, Holding held, long sizeBytes) {
        List<SiteOffer> offers = null;
        for (int i = 0; i < sites.size(); i++) {
            SiteOffer site = sites.get(i);
            if (held != null && held.holds(site.name())) {
                continue;
            }
            long room = roomOn(site);
            if (room >= sizeBytes || room >= site.capacityBytes()) {
                continue; // room enough, or the catalogue's own capacity is the tighter limit
            }
            if (offers == null) {
                offers = new ArrayList<>(sites);
            }
            offers.set(i, new SiteOffer(site.name(), site.provider(), site.region(), site.p95LatencyMs(),
                    site.egressPerGb(), site.encrypted(), site.up(), room, site.classes()));
        }
        return offers == null ? sites : offers;
    }

    /** The bytes this task may still place on {@code site} (never negative). */
    public long roomOn(SiteOffer site) {
        long share = shareOf(site.capacityBytes());
        return share == UNBOUNDED ? UNBOUNDED : Math.max(0L, share - bytesOn(site.name()));
    }

    private void count(Holding holding, int sign) {
        if (holding == null || holding.bytes() == 0) {
            return;
        }
        long bytes = sign * holding.bytes();
        if (holding.primary() != null) {
            adjust(holding.primary(), bytes);
        }
        List<String> replicas = holding.replicas();
        for (int i = 0; i < replicas.size(); i++) {
            String replica = replicas.get(i);
            if (!replica.equals(holding.primary()) && replicas.indexOf(replica) == i) {
                adjust(replica, bytes);
            }
        }
        String destination = holding.copyDestination();
        if (destination != null && !destination.equals(holding.primary()) && !replicas.contains(destination)) {
            adjust(destination, bytes);
        }
    }

    private void adjust(String site, long bytes) {
        long[] cell = bytesBySite.get(site);
        if (cell == null) {
            cell = new long[1];
            bytesBySite.put(site, cell);
        }
        cell[0] += bytes;
    }
}
