package io.tierflow.cli.whatif;

import io.tierflow.schemas.Site;
import java.util.Collection;
import java.util.Map;

/**
 * Which of a dataset's copies serves a read: a copy in the client's region if there is one, else the copy at the
 * site with the lowest p95 latency (then the first name, so the choice is deterministic). The read takes that
 * site's p95 time to first byte. A small rule of the replay's own, kept in one place so it can give way to the
 * streams-app domain's nearest-copy function the live traffic generator is getting (issue 19, item 5).
 */
final class NearestCopy {
    private NearestCopy() {
    }

    /** The serving site among {@code copies}, or null if none of them is in the catalogue. */
    static Site choose(Collection<String> copies, String clientRegion, Map<String, Site> catalogue) {
        Site best = null;
        for (String name : copies) {
            Site site = catalogue.get(name);
            if (site != null && (best == null || better(site, best, clientRegion))) {
                best = site;
            }
        }
        return best;
    }

    private static boolean better(Site candidate, Site best, String clientRegion) {
        boolean candidateLocal = candidate.getRegion().equals(clientRegion);
        boolean bestLocal = best.getRegion().equals(clientRegion);
        if (candidateLocal != bestLocal) {
            return candidateLocal;
        }
        int byLatency = Double.compare(candidate.getP95LatencyMs(), best.getP95LatencyMs());
        return byLatency != 0 ? byLatency < 0 : candidate.getName().compareTo(best.getName()) < 0;
    }
}
