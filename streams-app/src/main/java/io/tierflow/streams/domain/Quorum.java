package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Quorum replication: a policy wants N copies of a dataset on distinct providers, and a placement is durable once W
 * of them are verified. A copy counts when it is verified (the inventory's, or made by a step whose checksum was the
 * inventory's: the dataset record lists no other) and its site is up (a copy on a site that is down cannot be read
 * now, though it is kept and counts again when the site is back); two copies with one provider count once, since one
 * provider's outage would take both.
 */
public final class Quorum {
    private Quorum() {
    }

    /**
     * Copies verified against wanted and the write quorum; {@code repair} says what the missing copies wait for (null
     * when none is missing).
     */
    public record Status(int wanted, int verified, int writeQuorum, String repair) {
        public boolean durable() {
            return verified >= writeQuorum;
        }
    }

    /**
     * The status of a dataset whose copies are {@code primary} (null if unknown) and {@code replicas}, placed towards
     * {@code desired} (the decided primary and replicas; empty if none could be decided), under a policy wanting
     * {@code wanted} copies with write quorum {@code writeQuorum}, over the catalogue {@code sites}.
     */
    public static Status of(String primary, List<String> replicas, List<String> desired, int wanted,
            int writeQuorum, List<SiteOffer> sites) {
        Map<String, SiteOffer> byName = byName(sites);
        Set<String> held = new HashSet<>(replicas);
        if (primary != null) {
            held.add(primary);
        }
        int verified = verified(held, byName);
        int quorum = Math.min(Math.max(writeQuorum, 1), Math.max(wanted, 1));
        if (verified >= wanted) {
            return new Status(wanted, verified, quorum, null);
        }
        return new Status(wanted, verified, quorum, repair(held, desired, wanted - verified, byName));
    }

    /** Verified copies among {@code holders}: sites that are up, counted once per provider. */
    public static int verified(Collection<String> holders, List<SiteOffer> sites) {
        return verified(holders, byName(sites));
    }

    /** Whether {@code site} is in the catalogue and marked down: its copies are kept, and wait for it. */
    public static boolean isDown(String site, List<SiteOffer> sites) {
        for (SiteOffer offer : sites) {
            if (offer.name().equals(site)) {
                return !offer.up();
            }
        }
        return false;
    }

    private static int verified(Collection<String> holders, Map<String, SiteOffer> byName) {
        // A handful of copies: distinct providers counted in a small array rather than a set, as this runs at every look.
        String[] providers = new String[holders.size()];
        int distinct = 0;
        for (String holder : holders) {
            SiteOffer site = byName.get(holder);
            if (site != null && site.up() && !contains(providers, distinct, site.provider())) {
                providers[distinct++] = site.provider();
            }
        }
        return distinct;
    }

    private static boolean contains(String[] values, int count, String value) {
        for (int i = 0; i < count; i++) {
            if (values[i].equals(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What {@code missing} copies wait for: the copies the placement is making (desired sites up without one), then the
     * sites that are down on a provider no copy is on (marking one up brings its copy), else that no site can take one.
     */
    private static String repair(Set<String> held, List<String> desired, int missing, Map<String, SiteOffer> byName) {
        Set<String> covered = new HashSet<>();
        for (String holder : held) {
            SiteOffer site = byName.get(holder);
            if (site != null && site.up()) {
                covered.add(site.provider());
            }
        }
        Set<String> making = new TreeSet<>();
        for (String site : desired) {
            SiteOffer offer = byName.get(site);
            if (!held.contains(site) && offer != null && offer.up() && covered.add(offer.provider())) {
                making.add(site);
            }
        }
        Set<String> down = new TreeSet<>();
        Set<String> downProviders = new HashSet<>();
        for (SiteOffer site : byName.values()) {
            if (!site.up() && !covered.contains(site.provider())) {
                down.add(site.name());
                downProviders.add(site.provider());
            }
        }
        List<String> parts = new ArrayList<>();
        if (!making.isEmpty()) {
            parts.add("being copied to " + String.join(", ", making));
        }
        int left = missing - making.size();
        if (left > 0 && !down.isEmpty()) {
            parts.add("waiting for " + String.join(", ", down) + " (down) to be marked up");
        }
        if (left > downProviders.size()) {
            parts.add("no other site can hold " + (left - downProviders.size() == 1 ? "one"
                    : String.valueOf(left - downProviders.size())) + " (see the binding constraint)");
        }
        return (missing == 1 ? "1 copy" : missing + " copies") + " missing: " + String.join("; ", parts);
    }

    private static Map<String, SiteOffer> byName(List<SiteOffer> sites) {
        Map<String, SiteOffer> byName = new HashMap<>();
        for (SiteOffer site : sites) {
            byName.put(site.name(), site);
        }
        return byName;
    }
}
