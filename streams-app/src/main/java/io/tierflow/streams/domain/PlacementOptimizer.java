package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses primary + replicas for one dataset by exhaustive search over the candidate sets (a handful of sites, so
 * enumeration is exact and cheap), minimising monthly storage + expected egress + amortised cost of moving, subject
 * to: primary p95 within the SLA for hot data, the tier's replication factor, replicas on distinct providers,
 * encrypted sites only when required, no site that is down or too small.
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
        List<SiteOffer> ordered = sites.stream().sorted(Comparator.comparing(SiteOffer::name)).toList();
        Map<String, SiteOffer> byName = new java.util.HashMap<>();
        ordered.forEach(s -> byName.put(s.name(), s));
        double moveEgressPerGb = Optional.ofNullable(request.currentPrimary()).map(byName::get)
                .map(SiteOffer::egressPerGb).orElse(0.0);

        List<PlacementDecision.SiteEvaluation> evaluations = new ArrayList<>();
        List<SiteOffer> replicaCandidates = new ArrayList<>();
        List<SiteOffer> primaryCandidates = new ArrayList<>();
        for (SiteOffer site : ordered) {
            String rejected = rejectionAsCopyHolder(request, site);
            String rejectedAsPrimary = rejected != null ? rejected : rejectionAsPrimary(request, site);
            evaluations.add(evaluate(request, site, moveEgressPerGb, rejectedAsPrimary));
            if (rejected == null) {
                replicaCandidates.add(site);
                if (rejectedAsPrimary == null) {
                    primaryCandidates.add(site);
                }
            }
        }

        Candidate best = null;
        int copies = Math.max(1, request.replicationFactor());
        for (SiteOffer primary : primaryCandidates) {
            List<SiteOffer> others = replicaCandidates.stream()
                    .filter(s -> !s.name().equals(primary.name()) && !s.provider().equals(primary.provider()))
                    .toList();
            int replicas = Math.min(copies - 1, distinctProviders(others));
            for (List<SiteOffer> set : combinations(others, replicas)) {
                if (!distinctProviders(set, primary)) {
                    continue;
                }
                double objective = primaryCost(request, primary, moveEgressPerGb);
                for (SiteOffer replica : set) {
                    objective += copyCost(request, replica, moveEgressPerGb);
                }
                Candidate candidate = new Candidate(primary, set, objective, replicas);
                if (best == null || candidate.betterThan(best)) {
                    best = candidate;
                }
            }
        }
        if (best == null) {
            return new PlacementDecision(request.tier(), null, List.of(), null, Double.NaN, NO_FEASIBLE_SITE,
                    evaluations);
        }
        String binding = bindingConstraint(evaluations, best);
        if (binding == null && best.replicas.size() < copies - 1) {
            binding = REPLICATION;
        }
        return new PlacementDecision(request.tier(), best.primary.name(),
                best.replicas.stream().map(SiteOffer::name).toList(),
                best.primary.classFor(request.tier()).orElseThrow().name(), best.objective, binding, evaluations);
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

    private static PlacementDecision.SiteEvaluation evaluate(PlacementRequest request, SiteOffer site,
            double moveEgressPerGb, String rejected) {
        Optional<SiteOffer.StorageClassOffer> storageClass = site.classFor(request.tier());
        if (storageClass.isEmpty()) {
            return new PlacementDecision.SiteEvaluation(site.name(), Double.NaN, Double.NaN, Double.NaN, false,
                    NO_STORAGE_CLASS);
        }
        double storage = request.sizeGb() * storageClass.get().storagePerGbMonth();
        return new PlacementDecision.SiteEvaluation(site.name(), storage, egressCost(request, site),
                moveCost(request, site, moveEgressPerGb), rejected == null, rejected);
    }

    private static double primaryCost(PlacementRequest request, SiteOffer site, double moveEgressPerGb) {
        return copyCost(request, site, moveEgressPerGb) + egressCost(request, site);
    }

    private static double copyCost(PlacementRequest request, SiteOffer site, double moveEgressPerGb) {
        double storage = request.sizeGb() * site.classFor(request.tier()).orElseThrow().storagePerGbMonth();
        return storage + moveCost(request, site, moveEgressPerGb);
    }

    /** Reads are served by the primary: egress to other regions, retrieval fees and request charges. */
    static double egressCost(PlacementRequest request, SiteOffer site) {
        SiteOffer.StorageClassOffer storageClass = site.classFor(request.tier()).orElseThrow();
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
    private static String bindingConstraint(List<PlacementDecision.SiteEvaluation> evaluations, Candidate best) {
        double chosen = evaluations.stream().filter(e -> e.site().equals(best.primary.name())).findFirst()
                .orElseThrow().total();
        return evaluations.stream()
                .filter(e -> !e.feasible() && !Double.isNaN(e.total()) && e.total() < chosen - 1e-12)
                .min(Comparator.comparingDouble(PlacementDecision.SiteEvaluation::total)
                        .thenComparing(PlacementDecision.SiteEvaluation::site))
                .map(PlacementDecision.SiteEvaluation::rejectedBecause).orElse(null);
    }

    private static int distinctProviders(List<SiteOffer> sites) {
        Set<String> providers = new HashSet<>();
        sites.forEach(s -> providers.add(s.provider()));
        return providers.size();
    }

    private static boolean distinctProviders(List<SiteOffer> replicas, SiteOffer primary) {
        Set<String> providers = new HashSet<>();
        providers.add(primary.provider());
        for (SiteOffer replica : replicas) {
            if (!providers.add(replica.provider())) {
                return false;
            }
        }
        return true;
    }

    private static List<List<SiteOffer>> combinations(List<SiteOffer> from, int size) {
        List<List<SiteOffer>> result = new ArrayList<>();
        combine(from, size, 0, new ArrayList<>(), result);
        return result;
    }

    private static void combine(List<SiteOffer> from, int size, int start, List<SiteOffer> current,
            List<List<SiteOffer>> result) {
        if (current.size() == size) {
            result.add(List.copyOf(current));
            return;
        }
        for (int i = start; i < from.size(); i++) {
            current.add(from.get(i));
            combine(from, size, i + 1, current, result);
            current.remove(current.size() - 1);
        }
    }

    private record Candidate(SiteOffer primary, List<SiteOffer> replicas, double objective, int replicaCount) {
        /** More copies first (as close to the replication factor as possible), then cheaper, then by name. */
        boolean betterThan(Candidate other) {
            if (replicaCount != other.replicaCount) {
                return replicaCount > other.replicaCount;
            }
            if (Math.abs(objective - other.objective) > 1e-12) {
                return objective < other.objective;
            }
            return key().compareTo(other.key()) < 0;
        }

        private String key() {
            StringBuilder key = new StringBuilder(primary.name());
            replicas.forEach(r -> key.append(',').append(r.name()));
            return key.toString();
        }
    }
}
