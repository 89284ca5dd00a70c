package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The next step from the actual placement towards the desired one, one step at a time (the caller keeps at most
 * one command in flight per dataset): move the primary (COPY, then SWITCH once the copy is verified), change the
 * storage class in place, add a missing replica, then RETIRE copies no longer wanted after the grace period.
 * A move that is optional (the current placement is still allowed) is made only when its saving over the policy's
 * horizon beats its one-off cost, and not within the cooldown after the previous move. Under a write quorum W
 * ({@link Quorum}) an optional move switches once W copies of the new placement are verified, and unwanted copies are
 * retired only from a durable placement; a copy on a site that is down is never retired.
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
        return next(actual, desired, request, sites, policy, nowMs, false);
    }

    /**
     * As {@link #next(Actual, PlacementDecision, PlacementRequest, List, TieringPolicy, long)}; {@code pinned}: the
     * desired primary is the global pass's pin ({@link PinnedPlacement}), which weighed the move against the whole
     * estate, so it is made without this dataset's own saving test. The cooldown, the write quorum and every step's
     * own checks still hold, and the caller still admits the COPY against the migration budget.
     */
    public static Optional<Step> next(Actual actual, PlacementDecision desired, PlacementRequest request,
            List<SiteOffer> sites, TieringPolicy policy, long nowMs, boolean pinned) {
        if (!desired.isPlaced() || actual.primary() == null) {
            return Optional.empty();
        }
        boolean forced = !currentPlacementAllowed(actual, request, sites);
        boolean coolingDown = actual.lastMoveAtMs() > 0 && nowMs - actual.lastMoveAtMs() < policy.cooldownMs();

        if (!desired.primary().equals(actual.primary())) {
            if (actual.replicas().contains(desired.primary())) {
                // The verified copy is already there (the COPY of this move, or a replica): switching is free,
                // and the cooldown gates starting moves, not finishing them. An optional move switches once the new
                // placement is durable (its write quorum of copies verified); a forced one at once, since the
                // current primary cannot serve (its copies stay until the new placement is durable).
                if (!forced) {
                    if (!pinned && desired.replicas().contains(actual.primary())
                            && !swapPays(actual, desired, request, sites)) {
                        // Both copies are there and would only trade roles for nothing (a tie in the search).
                        return keepingPrimary(actual, desired, sites, policy, nowMs);
                    }
                    Optional<Step> quorumCopy = copyTowardsQuorum(actual, desired, sites, policy);
                    if (quorumCopy.isPresent()) {
                        return quorumCopy;
                    }
                }
                return Optional.of(new Step(Action.SWITCH, actual.primary(), desired.primary(),
                        desired.storageClass(), 0, "verified copy on " + desired.primary()));
            }
            if (!forced && (coolingDown || !pinned && !worthMoving(actual, desired, request, sites, policy))) {
                // The primary stays, but the copies the placement wants are still made: with several copies the
                // search often ties the current primary with another site (the same sites cost the same whichever
                // serves), and a dataset must not go without its replicas because its primary does not move.
                return keepingPrimary(actual, desired, sites, policy, nowMs);
            }
            String reason = forced ? "current primary " + actual.primary() + " no longer allowed ("
                    + rejection(actual.primary(), request, sites) + ")"
                    : pinned ? "placed by the global pass" : "cheaper over the horizon";
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
        if (desiredCopiesVerified(actual, desired, sites) < policy.writeQuorumFor(desired.tier())) {
            return Optional.empty(); // not durable: every copy there is stays until it is
        }
        for (String replica : actual.replicas()) {
            // A copy on a site that is down is kept: the RETIRE would wait for the site (holding every other step of
            // the dataset back meanwhile), and the copy counts again, uncopied, when the site is marked up.
            if (!desired.replicas().contains(replica) && !replica.equals(actual.primary())
                    && !Quorum.isDown(replica, sites)) {
                return Optional.of(new Step(Action.RETIRE, replica, replica, actual.storageClass(),
                        nowMs + policy.retireGraceMs(), "copy on " + replica + " no longer wanted"));
            }
        }
        return Optional.empty();
    }

    /**
     * The next step while the primary stays where it is: a COPY to the first site of the desired placement (its
     * primary, then its replicas) holding no copy, as long as the dataset has fewer copies there, the current primary
     * included, than the desired placement has sites; then, from a durable placement, a RETIRE of a copy on none of
     * them (never on a site that is down).
     */
    private static Optional<Step> keepingPrimary(Actual actual, PlacementDecision desired, List<SiteOffer> sites,
            TieringPolicy policy, long nowMs) {
        List<String> wanted = new ArrayList<>();
        wanted.add(desired.primary());
        wanted.addAll(desired.replicas());
        List<String> held = new ArrayList<>();
        held.add(actual.primary());
        for (String replica : actual.replicas()) {
            if (wanted.contains(replica) && !replica.equals(actual.primary())) {
                held.add(replica);
            }
        }
        if (held.size() < wanted.size()) {
            for (String site : wanted) {
                if (!site.equals(actual.primary()) && !actual.replicas().contains(site)) {
                    SiteOffer offer = sites.stream().filter(s -> s.name().equals(site)).findFirst().orElseThrow();
                    return Optional.of(new Step(Action.COPY, actual.primary(), site,
                            offer.classFor(desired.tier()).orElseThrow().name(), 0,
                            "replica for tier " + desired.tier()));
                }
            }
        }
        if (Quorum.verified(held, sites) < policy.writeQuorumFor(desired.tier())) {
            return Optional.empty();
        }
        for (String replica : actual.replicas()) {
            if (!wanted.contains(replica) && !replica.equals(actual.primary()) && !Quorum.isDown(replica, sites)) {
                return Optional.of(new Step(Action.RETIRE, replica, replica, actual.storageClass(),
                        nowMs + policy.retireGraceMs(), "copy on " + replica + " no longer wanted"));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether serving from the desired primary, with the current one as a replica, costs less a month than keeping
     * the current primary with the desired one as a replica (both copies are there: only the reads move).
     */
    private static boolean swapPays(Actual actual, PlacementDecision desired, PlacementRequest request,
            List<SiteOffer> sites) {
        List<String> others = new ArrayList<>();
        others.add(desired.primary());
        for (String replica : desired.replicas()) {
            if (!replica.equals(actual.primary())) {
                others.add(replica);
            }
        }
        double now = PlacementOptimizer.objectiveOf(request, sites, actual.primary(), others);
        double then = PlacementOptimizer.objectiveOf(request, sites, desired.primary(), desired.replicas());
        return Double.isNaN(now) || then < now - 1e-12;
    }

    /**
     * A COPY to the next desired replica that the new placement needs before the switch to be durable, or empty if
     * it is durable already or no desired replica is left to copy to (then the switch goes ahead: the copies there are
     * all kept until it is durable).
     */
    private static Optional<Step> copyTowardsQuorum(Actual actual, PlacementDecision desired, List<SiteOffer> sites,
            TieringPolicy policy) {
        int quorum = policy.writeQuorumFor(desired.tier());
        if (desiredCopiesVerified(actual, desired, sites) >= quorum) {
            return Optional.empty();
        }
        for (String replica : desired.replicas()) {
            if (!actual.replicas().contains(replica) && !replica.equals(actual.primary())) {
                SiteOffer site = sites.stream().filter(s -> s.name().equals(replica)).findFirst().orElseThrow();
                return Optional.of(new Step(Action.COPY, actual.primary(), replica,
                        site.classFor(desired.tier()).orElseThrow().name(), 0, "write quorum " + quorum
                                + ": a verified copy on " + replica + " before reads switch to " + desired.primary()));
            }
        }
        return Optional.empty();
    }

    /** Verified copies (on sites up, once per provider) the dataset has at the sites of the desired placement. */
    static int desiredCopiesVerified(Actual actual, PlacementDecision desired, List<SiteOffer> sites) {
        List<String> held = new ArrayList<>();
        if (actual.primary() != null
                && (actual.primary().equals(desired.primary()) || desired.replicas().contains(actual.primary()))) {
            held.add(actual.primary());
        }
        for (String replica : actual.replicas()) {
            if (replica.equals(desired.primary()) || desired.replicas().contains(replica)) {
                held.add(replica);
            }
        }
        return Quorum.verified(held, sites);
    }

    /** Saving over the horizon exceeds the one-off cost of copying the bytes out of the current primary. */
    static boolean worthMoving(Actual actual, PlacementDecision desired, PlacementRequest request, List<SiteOffer> sites,
            TieringPolicy policy) {
        double now = PlacementOptimizer.objectiveOf(request, sites, actual.primary(), List.of());
        double then = PlacementOptimizer.objectiveOf(request, sites, desired.primary(), List.of());
        if (Double.isNaN(now)) {
            return true;
        }
        // The SLA is a constraint, not a price: a placement that serves more of the readers within it is worth the
        // move whatever it costs, as the search ranked it first for that reason.
        if (SlaCoverage.servesMore(SlaCoverage.shareOf(request, sites, desired.primary(), desired.replicas()),
                SlaCoverage.shareOf(request, sites, actual.primary(), actual.replicas()))) {
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
