package io.tierflow.migrator;

import io.tierflow.catalogue.SitePlace;
import io.tierflow.schemas.Site;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which catalogue entries the worker may act on. The {@code sites} topic is readable and writable by more parties
 * than the worker's operator, so it never decides where signed requests go: a site's endpoint and bucket are those
 * pinned in the worker's configuration ({@code tierflow.migrator.site.<name>.endpoint} / {@code .bucket}), and by
 * default a site without a pin is refused. Only an operator who sets {@code require-pinned-sites=false} lets the worker
 * trust an unpinned site at the place this process first saw it (a record that arrived before the operator looked
 * could have put it anywhere). An entry that points elsewhere is refused, and the site is unusable (commands to it fail
 * {@code untrusted_site}) until the entry agrees again or the operator pins the new place.
 *
 * @param pins endpoint and bucket per site name, from the operator's configuration
 * @param requirePinned refuse every site that has no pin (the default)
 * @param acceptUnconditionalDelete sites (or {@code *}) where the operator accepts RETIREs on a store that cannot
 *        delete conditionally (a check followed by a plain delete: a version written in between would be lost)
 */
public record SiteTrust(Map<String, SitePlace> pins, boolean requirePinned, Set<String> acceptUnconditionalDelete) {
    public SiteTrust {
        pins = Map.copyOf(pins);
        acceptUnconditionalDelete = Set.copyOf(acceptUnconditionalDelete);
    }

    /** Only the pinned sites, each at its pin; no unconditional deletes. */
    public static SiteTrust pinned(Map<String, SitePlace> pins) {
        return new SiteTrust(pins, true, Set.of());
    }

    /** No pins: every site is trusted where this process first saw it; no unconditional deletes. */
    public static SiteTrust firstSeen() {
        return new SiteTrust(Map.of(), false, Set.of());
    }

    /** The same trust, accepting unconditional deletes at {@code sites} ({@code *}: all). */
    public SiteTrust acceptingUnconditionalDelete(Set<String> sites) {
        return new SiteTrust(pins, requirePinned, sites);
    }

    /**
     * Why {@code site} must not be used, or empty when it may.
     *
     * @param firstSeen where this process first trusted the site, or null
     */
    public Optional<String> refusal(Site site, SitePlace firstSeen) {
        SitePlace place = SitePlace.of(site);
        SitePlace pinned = pins.get(site.getName());
        String pinKeys = MigratorSettings.SITE_PIN_PREFIX + site.getName() + ".endpoint / .bucket";
        if (pinned != null) {
            return pinned.equals(place) ? Optional.empty() : Optional.of("the sites record of " + site.getName()
                    + " points at " + place + " but this worker's configuration pins it at " + pinned + " ("
                    + pinKeys + ")");
        }
        if (requirePinned) {
            return Optional.of("site " + site.getName() + " is not pinned in this worker's configuration, and "
                    + MigratorSettings.REQUIRE_PINNED_SITES + " is true (the default): its sites record puts it at "
                    + place + "; if that is where it is, pin it there (" + pinKeys + ", or the --site option of "
                    + "tierflow migrator)");
        }
        if (firstSeen != null && !firstSeen.equals(place)) {
            return Optional.of("the sites record of " + site.getName() + " moved it from " + firstSeen + " to "
                    + place + "; a site's endpoint or bucket changes only by the operator pinning it (" + pinKeys
                    + ")");
        }
        return Optional.empty();
    }

    /** Whether the operator accepts check-then-delete RETIREs at this site. */
    public boolean acceptsUnconditionalDelete(String site) {
        return acceptUnconditionalDelete.contains("*") || acceptUnconditionalDelete.contains(site);
    }
}
