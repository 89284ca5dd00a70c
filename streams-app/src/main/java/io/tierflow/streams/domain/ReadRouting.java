package io.tierflow.streams.domain;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which copy of a dataset serves a read: the one a client would be routed to, used wherever a read is simulated
 * (the traffic generator, the what-if replay) so that latency and egress follow where the bytes are.
 */
public final class ReadRouting {
    private ReadRouting() {
    }

    /** The copy a read is served from: its site, the site's region, and the site's p95 time to first byte. */
    public record ServingCopy(String site, String region, double p95LatencyMs) {
    }

    /**
     * The copy nearest a client in {@code clientRegion} among the dataset's copies: the one whose read is expected to
     * be fastest, its site's p95 plus the round trip from the client's region ({@link RegionRoundTrips}), then the site
     * name, so the choice is the same on every call. A fast site across an ocean loses to a slower one next door, and
     * a copy in the client's own region is not preferred for that alone. Only copies on sites of the catalogue that
     * are up are considered; empty when there is none.
     *
     * @param primary the site of the primary copy, or null when not known
     * @param replicas the sites of the other copies
     * @param sites the site catalogue by name
     */
    public static Optional<ServingCopy> nearestCopy(String primary, Collection<String> replicas, String clientRegion,
            Map<String, SiteOffer> sites) {
        SiteOffer best = nearestSite(primary, replicas, clientRegion, sites::get);
        return best == null ? Optional.empty()
                : Optional.of(new ServingCopy(best.name(), best.region(), best.p95LatencyMs()));
    }

    /** {@link #nearestCopy}'s site, or null; {@code sites} looks a site of the catalogue up by name (null if none). */
    public static SiteOffer nearestSite(String primary, Collection<String> replicas, String clientRegion,
            Function<String, SiteOffer> sites) {
        SiteOffer best = primary == null ? null : usable(sites.apply(primary));
        for (String replica : replicas) {
            SiteOffer candidate = usable(sites.apply(replica));
            if (candidate != null && (best == null || nearer(candidate, best, clientRegion))) {
                best = candidate;
            }
        }
        return best;
    }

    private static SiteOffer usable(SiteOffer site) {
        return site != null && site.up() ? site : null;
    }

    private static boolean nearer(SiteOffer a, SiteOffer b, String clientRegion) {
        int byLatency = Double.compare(RegionRoundTrips.expectedLatencyMs(a, clientRegion),
                RegionRoundTrips.expectedLatencyMs(b, clientRegion));
        return byLatency != 0 ? byLatency < 0 : a.name().compareTo(b.name()) < 0;
    }
}
