package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The global placement pass's pin on a dataset's primary, applied to the dataset's own decision. The pass placed every
 * primary at once under the sites' capacities and the migration budget, so a pin may name a site the dataset alone
 * would not choose (another dataset needs its room more, or it needs the room of another). While the pin has not
 * expired and its site may hold the dataset as the primary now (the SLA, encryption, the site up, room in the task's
 * share of the site, a storage class for the tier: whatever the dataset's own search refused it for), the pinned site
 * is the desired primary; otherwise the dataset's own decision stands and says why the pin was refused. Only the
 * primary is pinned: the replicas stay those of the dataset's own decision, less any on the pinned site's provider.
 */
public final class PinnedPlacement {
    /** The binding constraint of a decision the pin made: the global pass ruled out the dataset's own choice. */
    public static final String GLOBAL_PASS = "global_pass";
    /** Why a pin naming a site that is not in the catalogue was refused. */
    public static final String UNKNOWN_SITE = "unknown_site";

    private PinnedPlacement() {
    }

    /** A pin: the primary site pass {@code pass} chose for the dataset, held until {@code expiresAtMs}. */
    public record Pin(String site, String pass, long expiresAtMs) {
        public boolean expiredAt(long nowMs) {
            return nowMs >= expiresAtMs;
        }
    }

    /**
     * What a pin in force did to a decision.
     *
     * @param ownPrimary the primary of the dataset's own decision, null if no site could take it
     * @param refusedBecause why the pinned site could not be the primary, or null if the pin decided
     */
    public record Outcome(Pin pin, String ownPrimary, String refusedBecause) {
        public boolean decided() {
            return refusedBecause == null;
        }

        /**
         * Whether the refusal may be gone by the next look without the dataset changing (room freed on the site, the
         * site back up): then the dataset is looked at again soon, while the pin holds.
         */
        public boolean mayPassLater() {
            return PlacementOptimizer.CAPACITY.equals(refusedBecause)
                    || PlacementOptimizer.SITE_DOWN.equals(refusedBecause);
        }
    }

    /** The decision to follow, and what the pin did ({@code outcome} null: no pin in force). */
    public record Result(PlacementDecision placement, Outcome outcome) {
        public boolean pinDecided() {
            return outcome != null && outcome.decided();
        }
    }

    /**
     * Applies {@code pin} (null: none) to the dataset's own decision {@code own}, searched over {@code sites}: the
     * sites as this dataset's look offers them, with the room left in the task's share.
     */
    public static Result apply(Pin pin, PlacementDecision own, List<SiteOffer> sites, long nowMs) {
        if (pin == null || pin.expiredAt(nowMs)) {
            return new Result(own, null);
        }
        PlacementDecision.SiteEvaluation pinned = null;
        for (PlacementDecision.SiteEvaluation e : own.evaluations()) {
            if (e.site().equals(pin.site())) {
                pinned = e;
            }
        }
        SiteOffer site = offer(sites, pin.site());
        if (pinned == null || site == null) {
            return new Result(own, new Outcome(pin, own.primary(), UNKNOWN_SITE));
        }
        if (!pinned.feasible()) {
            return new Result(own, new Outcome(pin, own.primary(), pinned.rejectedBecause()));
        }
        if (pin.site().equals(own.primary())) {
            return new Result(own, new Outcome(pin, own.primary(), null)); // the pin agrees: nothing to change
        }
        SiteOffer.StorageClassOffer storageClass = site.classFor(own.tier()).orElse(null);
        if (storageClass == null) {
            return new Result(own, new Outcome(pin, own.primary(), PlacementOptimizer.NO_STORAGE_CLASS));
        }
        List<String> replicas = replicas(own, site, sites);
        double objective = pinned.total();
        for (String replica : replicas) {
            for (PlacementDecision.SiteEvaluation e : own.evaluations()) {
                if (e.site().equals(replica)) {
                    objective += e.storageUsd() + e.moveUsd(); // a replica serves no reads: storage and move only
                }
            }
        }
        PlacementDecision decision = new PlacementDecision(own.tier(), pin.site(), List.copyOf(replicas),
                storageClass.name(), objective, GLOBAL_PASS, own.evaluations());
        return new Result(decision, new Outcome(pin, own.primary(), null));
    }

    /**
     * The own decision's replicas that may stay beside the pinned primary (not on it, not on its provider, one per
     * provider), then its own primary in place of one dropped, if that is on yet another provider.
     */
    private static List<String> replicas(PlacementDecision own, SiteOffer primary, List<SiteOffer> sites) {
        List<String> replicas = new ArrayList<>();
        List<String> providers = new ArrayList<>();
        providers.add(primary.provider());
        for (String replica : own.replicas()) {
            SiteOffer site = offer(sites, replica);
            if (site != null && !providers.contains(site.provider())) {
                replicas.add(replica);
                providers.add(site.provider());
            }
        }
        SiteOffer ownPrimary = own.primary() == null ? null : offer(sites, own.primary());
        if (replicas.size() < own.replicas().size() && ownPrimary != null
                && !providers.contains(ownPrimary.provider())) {
            replicas.add(own.primary());
        }
        return replicas;
    }

    private static SiteOffer offer(List<SiteOffer> sites, String name) {
        for (SiteOffer site : sites) {
            if (site.name().equals(name)) {
                return site;
            }
        }
        return null;
    }
}
