package io.tierflow.streams.domain;

import java.util.List;
import java.util.Optional;

/**
 * The next step from the actual placement towards the desired one, one step at a time (the caller keeps at most
 * one command in flight per dataset): move the primary (COPY, then SWITCH once the copy is verified), change the
 * storage class in place, add a missing replica, then RETIRE copies no longer wanted after the grace period.
 * A move that is optional (the current placement is still allowed) is made only when its saving over the policy's
 * horizon beats its one-off cost, and not within the cooldown after the previous move.
 */
public final class MigrationPlanner {
    private MigrationPlanner() {
    }

    /** Where the dataset is now. */
    public record Actual(String primary, List<String> replicas, String storageClass, long lastMoveAtMs) {
    }

    /** What a step does: COPY bytes to the destination, SWITCH reads to it, RETIRE a copy no longer wanted. */
    public enum Action { COPY, SWITCH, RETIRE }

    /** One step to take. {@code notBeforeMs} is set for RETIRE (the grace period), else 0. */
    public record Step(Action action, String source, String destination, String storageClass, long notBeforeMs,
            String reason) {
    }

    public static Optional<Step> next(Actual actual, PlacementDecision desired, PlacementRequest request,
            List<SiteOffer> sites, TieringPolicy policy, long nowMs) {
        if (!desired.isPlaced() || actual.primary() == null) {
            return Optional.empty();
        }
        boolean forced = !currentPlacementAllowed(actual, request, sites);
        boolean coolingDown = actual.lastMoveAtMs() > 0 && nowMs - actual.lastMoveAtMs() < policy.cooldownMs();

        if (!desired.primary().equals(actual.primary())) {
            if (actual.replicas().contains(desired.primary())) {
                // The verified copy is already there (the COPY of this move, or a replica): switching is free,
                // and the cooldown gates starting moves, not finishing them.
                return Optional.of(new Step(Action.SWITCH, actual.primary(), desired.primary(),
                        desired.storageClass(), 0, "verified copy on " + desired.primary()));
            }
            if (!forced && (coolingDown || !worthMoving(actual, desired, request, sites, policy))) {
                return Optional.empty();
            }
            String reason = forced ? "current primary " + actual.primary() + " no longer allowed ("
                    + rejection(actual.primary(), request, sites) + ")" : "cheaper over the horizon";
            return Optional.of(new Step(Action.COPY, actual.primary(), desired.primary(), desired.storageClass(), 0,
                    reason));
        }
        if (!desired.storageClass().equals(actual.storageClass())) {
            if (coolingDown && !forced) {
                return Optional.empty();
            }
            return Optional.of(new Step(Action.COPY, actual.primary(), actual.primary(), desired.storageClass(), 0,
                    "tier " + desired.tier() + " uses storage class " + desired.storageClass()));
        }
        for (String replica : desired.replicas()) {
            if (!actual.replicas().contains(replica)) {
                SiteOffer site = sites.stream().filter(s -> s.name().equals(replica)).findFirst().orElseThrow();
                return Optional.of(new Step(Action.COPY, actual.primary(), replica,
                        site.classFor(desired.tier()).orElseThrow().name(), 0, "replica for tier " + desired.tier()));
            }
        }
        for (String replica : actual.replicas()) {
            if (!desired.replicas().contains(replica) && !replica.equals(actual.primary())) {
                return Optional.of(new Step(Action.RETIRE, replica, replica, actual.storageClass(),
                        nowMs + policy.retireGraceMs(), "copy on " + replica + " no longer wanted"));
            }
        }
        return Optional.empty();
    }

    /** Saving over the horizon exceeds the one-off cost of copying the bytes out of the current primary. */
    static boolean worthMoving(Actual actual, PlacementDecision desired, PlacementRequest request, List<SiteOffer> sites,
            TieringPolicy policy) {
        double now = PlacementOptimizer.objectiveOf(request, sites, actual.primary(), List.of());
        double then = PlacementOptimizer.objectiveOf(request, sites, desired.primary(), List.of());
        if (Double.isNaN(now)) {
            return true;
        }
        double egress = sites.stream().filter(s -> s.name().equals(actual.primary())).findFirst()
                .map(SiteOffer::egressPerGb).orElse(0.0);
        double moveCost = request.sizeGb() * egress;
        return (now - then) * policy.horizonMonths() > moveCost;
    }

    private static boolean currentPlacementAllowed(Actual actual, PlacementRequest request, List<SiteOffer> sites) {
        String rejected = rejection(actual.primary(), request, sites);
        return rejected == null;
    }

    private static String rejection(String siteName, PlacementRequest request, List<SiteOffer> sites) {
        Optional<SiteOffer> site = sites.stream().filter(s -> s.name().equals(siteName)).findFirst();
        if (site.isEmpty()) {
            return "unknown_site";
        }
        String reason = PlacementOptimizer.rejectionAsCopyHolder(request, site.get());
        if (reason == null && request.tier() == Tier.HOT && site.get().p95LatencyMs() > request.slaMs()) {
            reason = PlacementOptimizer.LATENCY_SLA;
        }
        return reason;
    }
}
