package io.tierflow.cli.traffic;

import io.tierflow.streams.domain.CompletedStep;
import io.tierflow.streams.domain.MigrationPlanner;
import io.tierflow.streams.domain.ReadRouting;
import io.tierflow.streams.domain.ReadRouting.ServingCopy;
import io.tierflow.streams.domain.SiteOffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each dataset's bytes are now, as the traffic generator knows it, and which copy serves a read. It follows the
 * same rules as the tiering topology's actual placement: the first inventory entry says where a dataset is, after that
 * only completed migration steps with a verified checksum move it ({@link CompletedStep}), and a tombstone forgets
 * it. A decision that is still being carried out changes nothing here: reads come from where the bytes are.
 *
 * <p>Changed by the one thread that follows the topics, read by the traffic loop; each dataset's copies are replaced
 * whole, so a reader never sees half a change.
 */
public final class CurrentPlacements {
    private record Copies(String primary, List<String> replicas, String sha256) {
    }

    private final Map<String, Copies> datasets = new ConcurrentHashMap<>();
    private final Map<String, SiteOffer> sites = new ConcurrentHashMap<>();

    /**
     * A dataset's inventory entry. The first one says where the dataset is; later ones only bring its new checksum,
     * as in the topology, which keeps the copies it moved whatever a re-registration claims.
     */
    public void inventory(String key, String primary, List<String> replicas, String sha256) {
        datasets.compute(key, (k, known) -> known == null ? new Copies(primary, List.copyOf(replicas), sha256)
                : new Copies(known.primary(), known.replicas(), sha256));
    }

    /** The dataset was deleted. */
    public void deleted(String key) {
        datasets.remove(key);
    }

    /**
     * A migration step reported COMPLETED: the copies change as {@link CompletedStep#apply} says, or not at all when
     * the step is not to be trusted (its checksum is not the inventory's) or the dataset is not known.
     */
    public void completed(String key, MigrationPlanner.Action action, String sourceSite, String destinationSite,
            String reportedSha256) {
        datasets.computeIfPresent(key, (k, known) -> {
            CompletedStep.Copies after = CompletedStep.apply(
                    new CompletedStep.Copies(known.primary(), known.replicas(), null), action, sourceSite,
                    destinationSite, null, known.sha256(), reportedSha256);
            return after == null ? known : new Copies(after.primary(), List.copyOf(after.replicas()), known.sha256());
        });
    }

    /** A site's catalogue entry: where it is, how fast, whether it is up. */
    public void site(SiteOffer site) {
        sites.put(site.name(), site);
    }

    /** A site left the catalogue. */
    public void siteRemoved(String name) {
        sites.remove(name);
    }

    /**
     * The copy a read of {@code key} by a client in {@code clientRegion} is served from: the nearest of the dataset's
     * copies on sites that are up ({@link ReadRouting#nearestCopy}). While nothing is known of the dataset, its
     * {@code startingSite}; when none of its copies is on a site known to be up, its primary (a read would go there
     * and wait for it).
     */
    public ServingCopy servingCopy(String key, String startingSite, String clientRegion) {
        Copies copies = datasets.get(key);
        if (copies == null || copies.primary() == null) {
            return describe(startingSite);
        }
        return ReadRouting.nearestCopy(copies.primary(), copies.replicas(), clientRegion, sites)
                .orElseGet(() -> describe(copies.primary()));
    }

    /** The sites of the dataset's copies, primary first; empty while nothing is known of it. */
    public Optional<List<String>> copiesOf(String key) {
        Copies copies = datasets.get(key);
        if (copies == null) {
            return Optional.empty();
        }
        return Optional.of(java.util.stream.Stream.concat(java.util.stream.Stream.of(copies.primary()),
                copies.replicas().stream()).toList());
    }

    private ServingCopy describe(String site) {
        SiteOffer offer = sites.get(site);
        return offer != null ? new ServingCopy(site, offer.region(), offer.p95LatencyMs()) : LatencyModel.builtIn(site);
    }
}
