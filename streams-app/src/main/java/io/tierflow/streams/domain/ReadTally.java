package io.tierflow.streams.domain;

import java.util.Arrays;
import java.util.Objects;

/**
 * Reads of one dataset not yet charged to the cost ledger: count and bytes per client region and serving site (as the
 * event named it), and how many were slower than the SLA while the dataset was hot. Counted raw on every read and
 * priced only when charged: between two charges the dataset's tier, sites and storage class do not change (every change
 * is charged first), so pricing the sum gives what pricing each read would have, while a read costs only a few
 * additions. The serving site is kept so that egress is priced from the copy that served the read.
 */
public final class ReadTally {
    private String[] regions;
    /** Serving site of each slot; null: not named (reads restored from a value written before sites were kept). */
    private String[] sites;
    private long[] reads;
    private long[] bytes;
    private int regionCount;
    private long slaMisses;

    public ReadTally() {
        regions = new String[4];
        sites = new String[4];
        reads = new long[4];
        bytes = new long[4];
    }

    /** An independent copy: changing either leaves the other as it was. */
    public ReadTally copy() {
        ReadTally copy = new ReadTally();
        copy.regions = regions.clone();
        copy.sites = sites.clone();
        copy.reads = reads.clone();
        copy.bytes = bytes.clone();
        copy.regionCount = regionCount;
        copy.slaMisses = slaMisses;
        return copy;
    }

    /** Counts one read from {@code region} of {@code readBytes}, serving site not named. */
    public void add(String region, long readBytes, boolean slaMiss) {
        add(region, null, readBytes, slaMiss);
    }

    /**
     * Counts one read from {@code region} of {@code readBytes} served by {@code servedFrom} (null: not named);
     * {@code slaMiss} if it was too slow for a hot dataset. Callers pass one instance per region and site name.
     */
    public void add(String region, String servedFrom, long readBytes, boolean slaMiss) {
        add(region, servedFrom, 1, readBytes);
        if (slaMiss) {
            slaMisses++;
        }
    }

    /** Adds {@code count} reads of {@code total} bytes from {@code region}, serving site not named. */
    public void add(String region, long count, long total) {
        add(region, null, count, total);
    }

    /** Adds {@code count} reads of {@code total} bytes from {@code region} served by {@code servedFrom} (also used to restore a saved tally). */
    public void add(String region, String servedFrom, long count, long total) {
        int i = indexOf(region, servedFrom);
        reads[i] += count;
        bytes[i] += total;
    }

    public void addSlaMisses(long count) {
        slaMisses += count;
    }

    /** Slots in use: one per client region and serving site. */
    public int regionCount() {
        return regionCount;
    }

    public String region(int i) {
        return regions[i];
    }

    /** The site that served the reads of slot {@code i}, or null if it was not named. */
    public String servedFrom(int i) {
        return sites[i];
    }

    public long reads(int i) {
        return reads[i];
    }

    public long bytes(int i) {
        return bytes[i];
    }

    public long slaMisses() {
        return slaMisses;
    }

    public long totalReads() {
        long total = 0;
        for (int i = 0; i < regionCount; i++) {
            total += reads[i];
        }
        return total;
    }

    public long totalBytes() {
        long total = 0;
        for (int i = 0; i < regionCount; i++) {
            total += bytes[i];
        }
        return total;
    }

    public boolean isEmpty() {
        return regionCount == 0 && slaMisses == 0;
    }

    /**
     * Forgets everything: the reads have been charged. The region names stay in their slots (there are a handful, one
     * instance each), so the next reads from the same regions store no reference into this long-lived object (see
     * {@link #indexOf}).
     */
    public void clear() {
        regionCount = 0;
        slaMisses = 0;
    }

    /**
     * Index of the slot of the region and site, added if new. Found by reference first, as {@link RegionSlots} finds a
     * region: callers pass canonical names, and a slot restored from storage is given them on its first match.
     */
    private int indexOf(String region, String site) {
        for (int i = 0; i < regionCount; i++) {
            if (regions[i] == region && sites[i] == site) {
                return i;
            }
        }
        for (int i = 0; i < regionCount; i++) {
            if (regions[i].equals(region) && Objects.equals(sites[i], site)) {
                regions[i] = region;
                sites[i] = site;
                return i;
            }
        }
        if (RegionSlots.foldsIntoOther(regionCount, region)) {
            // Serving sites are named by events too, so the folded reads keep no site: priced at the primary.
            return indexOf(RegionSlots.OTHER, null);
        }
        if (regionCount == regions.length) {
            regions = Arrays.copyOf(regions, regionCount * 2);
            sites = Arrays.copyOf(sites, regionCount * 2);
            reads = Arrays.copyOf(reads, regionCount * 2);
            bytes = Arrays.copyOf(bytes, regionCount * 2);
        }
        if (regions[regionCount] != region) {
            regions[regionCount] = region; // only if it changes: see WriteBehindStore.put on why
        }
        if (sites[regionCount] != site) {
            sites[regionCount] = site;
        }
        reads[regionCount] = 0;
        bytes[regionCount] = 0;
        return regionCount++;
    }
}
