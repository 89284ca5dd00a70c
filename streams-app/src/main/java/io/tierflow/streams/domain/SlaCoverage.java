package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether a hot placement's copies can serve its clients within the latency SLA, where the clients are: a read from a
 * region goes to the copy expected to answer first ({@link ReadRouting}), which takes that site's p95 plus the round
 * trip from the region ({@link RegionRoundTrips}). A placement serves a region when one of its copies answers it within
 * the SLA; its coverage is the share of the expected demand (GB read, by region) it serves. A site's own p95 within the
 * SLA says nothing about clients an ocean away. Only hot data has an SLA, and a dataset nobody reads yet is served
 * wherever it is: both count as fully covered.
 *
 * <p>Built once per search over the sites in the search's order, then asked about each candidate set by positions, so
 * the search's inner loop only reads arrays.
 */
public final class SlaCoverage {
    /** The binding constraint of a placement that leaves some demand unserved: this, then the regions. */
    public static final String UNSERVED_PREFIX = PlacementOptimizer.LATENCY_SLA + ":";
    private static final double TOLERANCE = 1e-12;
    /** No demand the SLA applies to (not hot, or not read): every placement serves it all. */
    private static final SlaCoverage EVERYTHING = new SlaCoverage(new String[0], new double[0], 0, new boolean[0][]);

    private final String[] regions;
    private final double[] demandGb;
    private final double totalGb;
    /** Whether the site at a position serves the region at a position within the SLA. */
    private final boolean[][] serves;

    private SlaCoverage(String[] regions, double[] demandGb, double totalGb, boolean[][] serves) {
        this.regions = regions;
        this.demandGb = demandGb;
        this.totalGb = totalGb;
        this.serves = serves;
    }

    /** The coverage of placements of {@code request} on {@code sites} (positions as in the array). */
    public static SlaCoverage of(PlacementRequest request, SiteOffer[] sites) {
        if (request.tier() != Tier.HOT || request.monthlyGbByRegion().isEmpty()) {
            return EVERYTHING;
        }
        Map<String, Double> demand = new TreeMap<>(); // by name, so unserved regions are listed in one order
        for (Map.Entry<String, Double> region : request.monthlyGbByRegion().entrySet()) {
            if (region.getValue() != null && region.getValue() > 0) {
                demand.put(region.getKey(), region.getValue());
            }
        }
        String[] regions = demand.keySet().toArray(new String[0]);
        double[] demandGb = new double[regions.length];
        double total = 0;
        boolean[][] serves = new boolean[sites.length][regions.length];
        for (int r = 0; r < regions.length; r++) {
            demandGb[r] = demand.get(regions[r]);
            total += demandGb[r];
            for (int s = 0; s < sites.length; s++) {
                serves[s][r] = RegionRoundTrips.expectedLatencyMs(sites[s], regions[r]) <= request.slaMs();
            }
        }
        return new SlaCoverage(regions, demandGb, total, serves);
    }

    /**
     * The share of demand (0 to 1) the copies at {@code primary} and {@code others[set[0..replicas)]} serve within the
     * SLA: 1 with no demand.
     */
    public double coveredShare(int primary, int[] others, int[] set, int replicas) {
        if (regions.length == 0) {
            return 1.0;
        }
        double covered = 0;
        for (int r = 0; r < regions.length; r++) {
            if (served(r, primary, others, set, replicas)) {
                covered += demandGb[r];
            }
        }
        return covered >= totalGb - TOLERANCE * totalGb ? 1.0 : covered / totalGb;
    }

    /**
     * The share of the demand (0 to 1) that copies on the sites named serve within the SLA: 1 when the SLA does not
     * apply; sites not in {@code sites} serve nothing.
     */
    public static double shareOf(PlacementRequest request, List<SiteOffer> sites, String primary,
            List<String> replicas) {
        SiteOffer[] positions = sites.toArray(new SiteOffer[0]);
        SlaCoverage coverage = of(request, positions);
        int p = indexOf(positions, primary);
        if (coverage.regions.length == 0 || p < 0) {
            return coverage.regions.length == 0 ? 1.0 : 0.0;
        }
        int[] others = new int[replicas.size()];
        int count = 0;
        for (String replica : replicas) {
            int r = indexOf(positions, replica);
            if (r >= 0) {
                others[count++] = r;
            }
        }
        int[] set = new int[count];
        for (int i = 0; i < count; i++) {
            set[i] = i;
        }
        return coverage.coveredShare(p, others, set, count);
    }

    private static int indexOf(SiteOffer[] sites, String name) {
        for (int i = 0; i < sites.length; i++) {
            if (sites[i].name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the first share serves more of the demand than the second (beyond rounding). */
    public static boolean servesMore(double share, double otherShare) {
        return share > otherShare + TOLERANCE;
    }

    /**
     * The binding constraint of the placement at {@code primary} and {@code replicas} (positions): {@code
     * latency_sla:} and the regions with demand none of its copies serves within the SLA, comma-separated by name;
     * null when it serves them all.
     */
    public String unservedConstraint(int primary, int[] replicas) {
        List<String> unserved = new ArrayList<>();
        int[] identity = new int[replicas.length];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        for (int r = 0; r < regions.length; r++) {
            if (!served(r, primary, replicas, identity, replicas.length)) {
                unserved.add(regions[r]);
            }
        }
        return unserved.isEmpty() ? null : UNSERVED_PREFIX + String.join(",", unserved);
    }

    private boolean served(int region, int primary, int[] others, int[] set, int replicas) {
        if (serves[primary][region]) {
            return true;
        }
        for (int i = 0; i < replicas; i++) {
            if (serves[others[set[i]]][region]) {
                return true;
            }
        }
        return false;
    }
}
