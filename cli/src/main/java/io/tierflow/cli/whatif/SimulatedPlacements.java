package io.tierflow.cli.whatif;

import io.tierflow.schemas.DatasetState;
import io.tierflow.streams.domain.ReadRouting;
import io.tierflow.streams.domain.SiteOffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each dataset's copies are in a replay, as the topology itself records them (its {@code dataset-state}: the
 * inventory's placement, then what completed migration steps changed), with the storage class of each copy. Every
 * change is told to the {@link ReplayAccountant}, so storage is charged for exactly the copies the topology
 * believes exist.
 */
final class SimulatedPlacements {
    /** A dataset's copies now: site → storage class, the primary first. */
    record Copies(String primary, Map<String, String> classBySite, long sizeBytes, Double slaMs) {
    }

    /**
     * A dataset's copies and where its reads go from each client region seen since they last changed: the nearest
     * copy depends only on the copies and the catalogue, which a replay never changes, and a dataset is read far more
     * often than its copies change.
     */
    static final class Held {
        /** Client regions remembered per dataset; reads from others are routed afresh each time. */
        private static final int REGIONS = 8;

        final Copies copies;
        private final String[] regions = new String[REGIONS];
        private final ReadRouting.ServingCopy[] serving = new ReadRouting.ServingCopy[REGIONS];
        private int remembered;

        private Held(Copies copies) {
            this.copies = copies;
        }

        /** The copy serving a read from {@code clientRegion}; null if no copy is on a site of the catalogue, up. */
        ReadRouting.ServingCopy servingCopy(String clientRegion, Map<String, SiteOffer> offers) {
            for (int i = 0; i < remembered; i++) {
                if (regions[i].equals(clientRegion)) {
                    return serving[i];
                }
            }
            ReadRouting.ServingCopy copy = ReadRouting.nearestCopy(copies.primary(), copies.classBySite().keySet(),
                    clientRegion, offers).orElse(null);
            if (remembered < REGIONS && clientRegion != null) {
                regions[remembered] = clientRegion;
                serving[remembered++] = copy;
            }
            return copy;
        }
    }

    private final Map<String, Held> copies = new HashMap<>();
    private final ReplayAccountant accountant;

    SimulatedPlacements(ReplayAccountant accountant) {
        this.accountant = accountant;
    }

    Copies get(String key) {
        Held held = copies.get(key);
        return held == null ? null : held.copies;
    }

    /** {@code key}'s copies with where its reads go, or null. */
    Held held(String key) {
        return copies.get(key);
    }

    /**
     * Brings {@code key}'s copies in line with {@code state} (null: the dataset is gone).
     *
     * @param copiedClass the class a copy completed just now was written in, or null
     * @param copiedSite the site of that copy, or null
     */
    void sync(String key, DatasetState state, String copiedSite, String copiedClass, long atMs) {
        Copies before = get(key);
        Copies after = state == null || state.getPrimarySite() == null || state.getInventory() == null ? null
                : from(state, before, copiedSite, copiedClass);
        Map<String, String> old = before == null ? Map.of() : before.classBySite();
        Map<String, String> now = after == null ? Map.of() : after.classBySite();
        boolean resized = before != null && after != null && before.sizeBytes() != after.sizeBytes();
        for (Map.Entry<String, String> copy : old.entrySet()) {
            String site = copy.getKey();
            if (!now.containsKey(site)) {
                accountant.removed(key, site, atMs); // a change of class is a move, placed below
            }
        }
        for (Map.Entry<String, String> copy : now.entrySet()) {
            String site = copy.getKey();
            if (!copy.getValue().equals(old.get(site))) {
                accountant.placed(key, site, copy.getValue(), after.sizeBytes(), atMs);
            } else if (resized) {
                // What is known of its size changed (a trace learns sizes from requests): storage follows, no PUT.
                accountant.resized(key, site, after.sizeBytes(), atMs);
            }
        }
        if (after == null) {
            copies.remove(key);
        } else {
            copies.put(key, new Held(after));
        }
    }

    private static Copies from(DatasetState state, Copies before, String copiedSite, String copiedClass) {
        Map<String, String> classes = new LinkedHashMap<>();
        String primary = state.getPrimarySite();
        classes.put(primary, state.getStorageClass() != null ? state.getStorageClass()
                : state.getInventory().getStorageClass());
        List<String> replicas = state.getReplicaSites();
        for (String replica : replicas) {
            if (classes.containsKey(replica)) {
                continue;
            }
            String known = before == null ? null : before.classBySite().get(replica);
            // A replica keeps the class it was written in: the copy just made, else what it had, else the
            // inventory's word (the primary's class).
            classes.put(replica, replica.equals(copiedSite) && copiedClass != null ? copiedClass
                    : known != null ? known : classes.get(primary));
        }
        return new Copies(primary, classes, state.getInventory().getSizeBytes(),
                state.getInventory().getLatencySlaMs());
    }
}
