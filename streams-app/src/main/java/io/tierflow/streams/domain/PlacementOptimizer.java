package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Chooses primary + replicas for one dataset by exhaustive search over the candidate sets (a handful of sites, so
 * enumeration is exact and cheap), minimising monthly storage + expected egress + amortised cost of moving, subject
 * to: primary p95 within the SLA for hot data, the tier's replication factor, replicas on distinct providers,
 * encrypted sites only when required, no site that is down or too small. Among hot placements with as many copies as
 * can be had, those whose copies serve more of the demand within the SLA, where the clients are, come first
 * ({@link SlaCoverage}); a placement that leaves some region unserved says so in its binding constraint.
 */
public final class PlacementOptimizer {
    public static final String LATENCY_SLA = "latency_sla";
    public static final String ENCRYPTED_ONLY = "encrypted_only";
    public static final String SITE_DOWN = "site_down";
    public static final String CAPACITY = "capacity";
    public static final String NO_STORAGE_CLASS = "no_storage_class";
    public static final String REPLICATION = "replication";
    public static final String NO_FEASIBLE_SITE = "no_feasible_site";

    private PlacementOptimizer() {
    }

    public static PlacementDecision optimize(PlacementRequest request, List<SiteOffer> sites) {
        // Runs at every evaluation (hundreds of thousands when an inventory arrives): arrays and loops rather than
        // streams and per-combination lists, and each site's costs computed once rather than once per candidate set.
        // ExhaustivePlacementSearch in the tests is the plain version this must agree with.
        SiteOffer[] ordered = sites.toArray(new SiteOffer[0]);
        Arrays.sort(ordered, BY_NAME);
        int n = ordered.length;
        SlaCoverage coverage = SlaCoverage.of(request, ordered);
        double moveEgressPerGb = 0.0;
        if (request.currentPrimary() != null) {
            for (SiteOffer site : ordered) {
                if (site.name().equals(request.currentPrimary())) {
                    moveEgressPerGb = site.egressPerGb();
                }
            }
        }

        List<PlacementDecision.SiteEvaluation> evaluations = new ArrayList<>(n);
        boolean[] replicaCandidate = new boolean[n];
        boolean[] primaryCandidate = new boolean[n];
        double[] copyCost = new double[n]; // storage + move, as any copy
        double[] primaryCost = new double[n]; // as the primary: plus the reads it serves
        SiteOffer.StorageClassOffer[] storageClass = new SiteOffer.StorageClassOffer[n];
        for (int i = 0; i < n; i++) {
            SiteOffer site = ordered[i];
            storageClass[i] = site.classFor(request.tier()).orElse(null);
            String rejected = rejectionAsCopyHolder(request, site);
            String rejectedAsPrimary = rejected != null ? rejected : rejectionAsPrimary(request, site);
            if (storageClass[i] == null) {
                evaluations.add(new PlacementDecision.SiteEvaluation(site.name(), Double.NaN, Double.NaN, Double.NaN,
                        false, NO_STORAGE_CLASS));
                continue;
            }
            double storage = storageCost(request, storageClass[i]);
            double move = moveCost(request, site, moveEgressPerGb);
            double egress = egressCost(request, site, storageClass[i]);
            evaluations.add(new PlacementDecision.SiteEvaluation(site.name(), storage, egress, move,
                    rejectedAsPrimary == null, rejectedAsPrimary));
            copyCost[i] = storage + move;
            primaryCost[i] = copyCost[i] + egress;
            replicaCandidate[i] = rejected == null;
            primaryCandidate[i] = rejectedAsPrimary == null;
        }

        int copies = Math.max(1, request.replicationFactor());
        int[] others = new int[n];
        int[] set = new int[n];
        int[] best = null;
        int bestPrimary = -1;
        double bestObjective = Double.NaN;
        double bestCovered = Double.NaN;
        for (int p = 0; p < n; p++) {
            if (!primaryCandidate[p]) {
                continue;
            }
            int otherCount = 0;
            for (int i = 0; i < n; i++) {
                if (replicaCandidate[i] && !ordered[i].name().equals(ordered[p].name())
                        && !ordered[i].provider().equals(ordered[p].provider())) {
                    others[otherCount++] = i;
                }
            }
            int replicas = Math.min(copies - 1, distinctProviders(ordered, others, otherCount));
            // Every replicas-sized subset of others, in lexicographic order of positions (as the reference does).
            for (int i = 0; i < replicas; i++) {
                set[i] = i;
            }
            while (true) {
                if (distinctProviders(ordered, others, set, replicas)) {
                    double objective = primaryCost[p];
                    for (int i = 0; i < replicas; i++) {
                        objective += copyCost[others[set[i]]];
                    }
                    double covered = coverage.coveredShare(p, others, set, replicas);
                    if (best == null || better(replicas, covered, objective, ordered, p, others, set, best.length,
                            bestCovered, bestObjective, bestPrimary, best)) {
                        best = new int[replicas];
                        for (int i = 0; i < replicas; i++) {
                            best[i] = others[set[i]];
                        }
                        bestPrimary = p;
                        bestObjective = objective;
                        bestCovered = covered;
                    }
                }
                if (!nextSubset(set, replicas, otherCount)) {
                    break;
                }
            }
        }
        if (best == null) {
            return new PlacementDecision(request.tier(), null, List.of(), null, Double.NaN, NO_FEASIBLE_SITE,
                    evaluations);
        }
        // A site refused for want of room is why the placement is not the one preferred: that comes first, then the
        // regions it leaves without a copy near enough, then whatever else refused a cheaper site.
        String rejected = bindingConstraint(evaluations, ordered[bestPrimary].name());
        String unserved = coverage.unservedConstraint(bestPrimary, best);
        String binding = CAPACITY.equals(rejected) || unserved == null ? rejected : unserved;
        if (binding == null && best.length < copies - 1) {
            binding = REPLICATION;
        }
        List<String> replicaNames = new ArrayList<>(best.length);
        for (int i : best) {
            replicaNames.add(ordered[i].name());
        }
        return new PlacementDecision(request.tier(), ordered[bestPrimary].name(), List.copyOf(replicaNames),
                storageClass[bestPrimary].name(), bestObjective, binding, evaluations);
    }

    private static final Comparator<SiteOffer> BY_NAME = Comparator.comparing(SiteOffer::name);

    /**
     * Advances {@code set} ({@code size} positions out of {@code from}, ascending) to the next subset; false after the
     * last.
     */
    private static boolean nextSubset(int[] set, int size, int from) {
        int i = size - 1;
        while (i >= 0 && set[i] == from - size + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        set[i]++;
        for (int j = i + 1; j < size; j++) {
            set[j] = set[j - 1] + 1;
        }
        return true;
    }

    /**
     * Whether the candidate (primary p, replicas others[set[..]]) beats the best so far: more copies first (as close
     * to the replication factor as possible), then serving more of the demand within the SLA, then cheaper, then by
     * the names "primary,replica,..." in order.
     */
    private static boolean better(int replicas, double covered, double objective, SiteOffer[] sites, int p,
            int[] others, int[] set, int bestReplicas, double bestCovered, double bestObjective, int bestPrimary,
            int[] best) {
        if (replicas != bestReplicas) {
            return replicas > bestReplicas;
        }
        if (SlaCoverage.servesMore(covered, bestCovered) || SlaCoverage.servesMore(bestCovered, covered)) {
            return covered > bestCovered;
        }
        if (Math.abs(objective - bestObjective) > 1e-12) {
            return objective < bestObjective;
        }
        StringBuilder key = new StringBuilder(sites[p].name());
        for (int i = 0; i < replicas; i++) {
            key.append(',').append(sites[others[set[i]]].name());
        }
        StringBuilder bestKey = new StringBuilder(sites[bestPrimary].name());
        for (int i : best) {
            bestKey.append(',').append(sites[i].name());
        }
        return key.toString().compareTo(bestKey.toString()) < 0;
    }

    /** Monthly cost of a given placement under this request; NaN if a site cannot hold the tier. */
    public static double objectiveOf(PlacementRequest request, List<SiteOffer> sites, String primary,
            List<String> replicas) {
        Map<String, SiteOffer> byName = new java.util.HashMap<>();
        sites.forEach(s -> byName.put(s.name(), s));
        SiteOffer primarySite = byName.get(primary);
        if (primarySite == null || primarySite.classFor(request.tier()).isEmpty()) {
            return Double.NaN;
        }
        double total = primaryCost(request, primarySite, 0.0);
        for (String replica : replicas) {
            SiteOffer site = byName.get(replica);
            if (site == null || site.classFor(request.tier()).isEmpty()) {
                return Double.NaN;
            }
            total += copyCost(request, site, 0.0);
        }
        return total;
    }

    /** Why the site may not hold any copy of this dataset, or null if it may. */
    public static String rejectionAsCopyHolder(PlacementRequest request, SiteOffer site) {
        if (!site.up()) {
            return SITE_DOWN;
        }
        if (request.encryptedOnly() && !site.encrypted()) {
            return ENCRYPTED_ONLY;
        }
        if (site.capacityBytes() < request.sizeBytes()) {
            return CAPACITY;
        }
        if (site.classFor(request.tier()).isEmpty()) {
            return NO_STORAGE_CLASS;
        }
        return null;
    }

    private static String rejectionAsPrimary(PlacementRequest request, SiteOffer site) {
        if (request.tier() == Tier.HOT && site.p95LatencyMs() > request.slaMs()) {
            return LATENCY_SLA;
        }
        return null;
    }

    private static double primaryCost(PlacementRequest request, SiteOffer site, double moveEgressPerGb) {
        return copyCost(request, site, moveEgressPerGb) + egressCost(request, site);
    }

    private static double copyCost(PlacementRequest request, SiteOffer site, double moveEgressPerGb) {
        return storageCost(request, site.classFor(request.tier()).orElseThrow())
                + moveCost(request, site, moveEgressPerGb);
    }

    private static double storageCost(PlacementRequest request, SiteOffer.StorageClassOffer storageClass) {
        return request.sizeGb() * storageClass.storagePerGbMonth();
    }

    /** Reads are served by the primary: egress to other regions, retrieval fees and request charges. */
    static double egressCost(PlacementRequest request, SiteOffer site) {
        return egressCost(request, site, site.classFor(request.tier()).orElseThrow());
    }

    private static double egressCost(PlacementRequest request, SiteOffer site,
            SiteOffer.StorageClassOffer storageClass) {
        double cost = 0.0;
        double totalGb = 0.0;
        for (Map.Entry<String, Double> demand : request.monthlyGbByRegion().entrySet()) {
            totalGb += demand.getValue();
            if (!demand.getKey().equals(site.region())) {
                cost += demand.getValue() * site.egressPerGb();
            }
        }
        return cost + totalGb * storageClass.retrievalPerGb()
                + request.monthlyRequests() / 1000.0 * storageClass.requestPer1000();
    }

    /** Copying there costs the source's egress once, spread over the horizon; nothing if it already holds a copy. */
    static double moveCost(PlacementRequest request, SiteOffer site, double moveEgressPerGb) {
        if (request.currentSites().contains(site.name()) || request.currentPrimary() == null) {
            return 0.0;
        }
        return request.sizeGb() * moveEgressPerGb / Math.max(request.horizonMonths(), 1e-9);
    }

    /** The rejection reason of the cheapest site that was cheaper than the chosen primary, if any. */
    private static String bindingConstraint(List<PlacementDecision.SiteEvaluation> evaluations, String primary) {
        double chosen = Double.NaN;
        for (PlacementDecision.SiteEvaluation e : evaluations) {
            if (e.site().equals(primary)) {
                chosen = e.total();
                break;
            }
        }
        PlacementDecision.SiteEvaluation cheapest = null;
        for (PlacementDecision.SiteEvaluation e : evaluations) {
            if (!e.feasible() && !Double.isNaN(e.total()) && e.total() < chosen - 1e-12 && (cheapest == null
                    || e.total() < cheapest.total()
                    || e.total() == cheapest.total() && e.site().compareTo(cheapest.site()) < 0)) {
                cheapest = e;
            }
        }
        return cheapest == null ? null : cheapest.rejectedBecause();
    }

    /** How many providers the first {@code count} sites of {@code sites[positions]} are on. */
    private static int distinctProviders(SiteOffer[] sites, int[] positions, int count) {
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            boolean seen = false;
            for (int j = 0; j < i && !seen; j++) {
                seen = sites[positions[j]].provider().equals(sites[positions[i]].provider());
            }
            distinct += seen ? 0 : 1;
        }
        return distinct;
    }

    /** Whether the replicas {@code sites[others[set[..size]]]} are on distinct providers (none is the primary's). */
    private static boolean distinctProviders(SiteOffer[] sites, int[] others, int[] set, int size) {
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < i; j++) {
                if (sites[others[set[i]]].provider().equals(sites[others[set[j]]].provider())) {
                    return false;
                }
            }
        }
        return true;
    }
}
