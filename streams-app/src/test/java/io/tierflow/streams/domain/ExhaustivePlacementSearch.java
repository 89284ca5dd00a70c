package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The placement search as first written, with lists, streams and a record per candidate set: slow, but it follows the
 * rules in the order they are stated. {@link PlacementOptimizer#optimize} computes each site's costs once and walks
 * the candidate sets with index arrays; {@code PlacementSearchAgreementTest} checks it decides exactly as this does.
 */
final class ExhaustivePlacementSearch {
    private ExhaustivePlacementSearch() {
    }

    static PlacementDecision optimize(PlacementRequest request, List<SiteOffer> sites) {
        List<SiteOffer> ordered = sites.stream().sorted(Comparator.comparing(SiteOffer::name)).toList();
        Map<String, SiteOffer> byName = new java.util.HashMap<>();
        ordered.forEach(s -> byName.put(s.name(), s));
        double moveEgressPerGb = Optional.ofNullable(request.currentPrimary()).map(byName::get)
                .map(SiteOffer::egressPerGb).orElse(0.0);

        List<PlacementDecision.SiteEvaluation> evaluations = new ArrayList<>();
        List<SiteOffer> replicaCandidates = new ArrayList<>();
        List<SiteOffer> primaryCandidates = new ArrayList<>();
        for (SiteOffer site : ordered) {
            String rejected = PlacementOptimizer.rejectionAsCopyHolder(request, site);
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
                List<SiteOffer> copiesOf = new ArrayList<>(set);
                copiesOf.add(primary);
                List<String> unserved = unserved(request, copiesOf);
                Candidate candidate = new Candidate(primary, set, objective, replicas,
                        coveredShare(request, unserved), unserved);
                if (best == null || candidate.betterThan(best)) {
                    best = candidate;
                }
            }
        }
        if (best == null) {
            return new PlacementDecision(request.tier(), null, List.of(), null, Double.NaN, PlacementOptimizer.NO_FEASIBLE_SITE,
                    evaluations);
        }
        // A site refused for room comes first, then the regions left unserved, then any other refusal.
        String rejected = bindingConstraint(evaluations, best);
        String binding = PlacementOptimizer.CAPACITY.equals(rejected) || best.unserved.isEmpty() ? rejected
                : PlacementOptimizer.LATENCY_SLA + ":" + String.join(",", best.unserved);
        if (binding == null && best.replicas.size() < copies - 1) {
            binding = PlacementOptimizer.REPLICATION;
        }
        return new PlacementDecision(request.tier(), best.primary.name(),
                best.replicas.stream().map(SiteOffer::name).toList(),
                best.primary.classFor(request.tier()).orElseThrow().name(), best.objective, binding, evaluations);
    }

    /** Regions with demand for hot data that none of {@code copies} answers within the SLA (p95 + round trip). */
    private static List<String> unserved(PlacementRequest request, List<SiteOffer> copies) {
        if (request.tier() != Tier.HOT) {
            return List.of();
        }
        return request.monthlyGbByRegion().entrySet().stream()
                .filter(d -> d.getValue() > 0)
                .map(Map.Entry::getKey)
                .filter(region -> copies.stream().noneMatch(c -> c.p95LatencyMs() + RegionRoundTrips.ms(region,
                        c.region()) <= request.slaMs()))
                .sorted()
                .toList();
    }

    private static double coveredShare(PlacementRequest request, List<String> unserved) {
        if (unserved.isEmpty()) {
            return 1.0;
        }
        double total = request.monthlyGbByRegion().values().stream().filter(gb -> gb > 0).mapToDouble(gb -> gb).sum();
        double lost = unserved.stream().mapToDouble(r -> request.monthlyGbByRegion().get(r)).sum();
        return (total - lost) / total;
    }

    private static String rejectionAsPrimary(PlacementRequest request, SiteOffer site) {
        if (request.tier() == Tier.HOT && site.p95LatencyMs() > request.slaMs()) {
            return PlacementOptimizer.LATENCY_SLA;
        }
        return null;
    }

    private static PlacementDecision.SiteEvaluation evaluate(PlacementRequest request, SiteOffer site,
            double moveEgressPerGb, String rejected) {
        Optional<SiteOffer.StorageClassOffer> storageClass = site.classFor(request.tier());
        if (storageClass.isEmpty()) {
            return new PlacementDecision.SiteEvaluation(site.name(), Double.NaN, Double.NaN, Double.NaN, false,
                    PlacementOptimizer.NO_STORAGE_CLASS);
        }
        double storage = request.sizeGb() * storageClass.get().storagePerGbMonth();
        return new PlacementDecision.SiteEvaluation(site.name(), storage, PlacementOptimizer.egressCost(request, site),
                PlacementOptimizer.moveCost(request, site, moveEgressPerGb), rejected == null, rejected);
    }

    private static double primaryCost(PlacementRequest request, SiteOffer site, double moveEgressPerGb) {
        return copyCost(request, site, moveEgressPerGb) + PlacementOptimizer.egressCost(request, site);
    }

    private static double copyCost(PlacementRequest request, SiteOffer site, double moveEgressPerGb) {
        double storage = request.sizeGb() * site.classFor(request.tier()).orElseThrow().storagePerGbMonth();
        return storage + PlacementOptimizer.moveCost(request, site, moveEgressPerGb);
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

    private record Candidate(SiteOffer primary, List<SiteOffer> replicas, double objective, int replicaCount,
            double coveredShare, List<String> unserved) {
        /**
         * More copies first (as close to the replication factor as possible), then more of the demand served within
         * the SLA, then cheaper, then by name.
         */
        boolean betterThan(Candidate other) {
            if (replicaCount != other.replicaCount) {
                return replicaCount > other.replicaCount;
            }
            if (Math.abs(coveredShare - other.coveredShare) > 1e-12) {
                return coveredShare > other.coveredShare;
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
