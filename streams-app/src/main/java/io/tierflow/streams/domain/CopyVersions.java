package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The version token of each copy of a dataset, by site, as that copy's own store reports it. A copy Tierflow made
 * carries its destination store's token (a file store, a multipart upload or a KMS-encrypted object reports another
 * ETag than the inventory's), so a later command sourced from that copy must expect that token, not the
 * inventory's. A site missing from the map holds the version the inventory names, with the inventory's token.
 */
public final class CopyVersions {
    private CopyVersions() {
    }

    /** A dataset's copies with their tokens: primary (null if unknown), replicas, primary's storage class. */
    public record Placed(String primary, List<String> replicas, String storageClass, Map<String, String> versions) {
    }

    /** The token {@code site}'s copy carries: its own if recorded, else the inventory's. */
    public static String tokenOf(Map<String, String> versions, String site, String inventoryToken) {
        String own = site == null ? null : versions.get(site);
        return own != null ? own : inventoryToken;
    }

    /**
     * The tokens after a completed step: a COPY or SWITCH records the token the destination's store reported (none
     * reported: the destination is taken to carry the inventory's, so its entry is removed); a RETIRE forgets the
     * retired copy's.
     */
    public static Map<String, String> afterStep(Map<String, String> before, MigrationPlanner.Action action,
            String sourceSite, String destinationSite, String reportedToken) {
        Map<String, String> after = new HashMap<>(before);
        switch (action) {
            case COPY, SWITCH -> {
                if (reportedToken != null) {
                    after.put(destinationSite, reportedToken);
                } else {
                    after.remove(destinationSite);
                }
            }
            case RETIRE -> after.remove(sourceSite);
        }
        return after;
    }

    /** The tokens of the copies an inventory entry lists: all carry the entry's. */
    public static Map<String, String> ofInventory(String token, String primary, List<String> replicas) {
        Map<String, String> versions = new LinkedHashMap<>(); // primary first, replicas in order
        if (primary != null) {
            versions.put(primary, token);
        }
        for (String replica : replicas) {
            versions.put(replica, token);
        }
        return versions;
    }

    /** Whether a new inventory entry names another version than the one before it. */
    public static boolean versionChanged(String oldToken, String oldSha256, String newToken, String newSha256) {
        return !Objects.equals(oldToken, newToken)
                || (oldSha256 == null ? newSha256 != null : !oldSha256.equalsIgnoreCase(newSha256));
    }

    /**
     * The copies once the inventory names a new version. The sites the new entry lists hold it (the owner wrote it
     * there) with the entry's token. Every other copy is kept only if its own token is the new one (it was copied
     * again since); the rest hold the old version and are dropped from the placement, so no read is sent to them
     * and no command takes them for the current version. If the primary was dropped, the entry's primary becomes it.
     *
     * @param oldInventoryToken the token of the version before, for copies with no token of their own
     */
    public static Placed afterNewVersion(Placed before, String oldInventoryToken, String newToken,
            String inventoryPrimary, List<String> inventoryReplicas, String inventoryStorageClass) {
        Map<String, String> versions = ofInventory(newToken, inventoryPrimary, inventoryReplicas);
        List<String> current = new ArrayList<>(versions.keySet());
        List<String> copies = new ArrayList<>();
        if (before.primary() != null) {
            copies.add(before.primary());
        }
        copies.addAll(before.replicas());
        // Same token, other checksum: the token tells the versions apart nowhere, so only the listed sites count.
        boolean tokensTell = !newToken.equals(oldInventoryToken);
        for (String site : copies) {
            if (tokensTell && !current.contains(site)
                    && newToken.equals(tokenOf(before.versions(), site, oldInventoryToken))) {
                current.add(site);
                versions.put(site, newToken);
            }
        }
        String primary;
        String storageClass;
        if (before.primary() != null && current.contains(before.primary())) {
            primary = before.primary();
            storageClass = before.storageClass();
        } else {
            primary = inventoryPrimary;
            storageClass = inventoryStorageClass;
        }
        List<String> replicas = new ArrayList<>(current);
        replicas.remove(primary);
        return new Placed(primary, replicas, storageClass, versions);
    }
}
