package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.List;

/** Where a dataset's copies are once a migration step reports it completed. */
public final class CompletedStep {
    private CompletedStep() {
    }

    /** A dataset's copies: its primary (null if unknown), its replicas, and the primary's storage class. */
    public record Copies(String primary, List<String> replicas, String storageClass) {
    }

    /**
     * The copies after a completed step, or null if the step must not be trusted: a COPY or SWITCH whose checksum is
     * not the inventory's ({@code expectedSha256} null: no checksum to check against, which is not trusted either). A
     * SWITCH is checked too: if the owner wrote a new version while the move was in flight, the copy it would make
     * primary holds the old bytes, and reads must not be sent there.
     */
    public static Copies apply(Copies before, MigrationPlanner.Action action, String sourceSite,
            String destinationSite, String storageClass, String expectedSha256, String reportedSha256) {
        List<String> replicas = new ArrayList<>(before.replicas());
        String primary = before.primary();
        String primaryClass = before.storageClass();
        if (action != MigrationPlanner.Action.RETIRE && !sameChecksum(expectedSha256, reportedSha256)) {
            return null;
        }
        switch (action) {
            case COPY -> {
                if (destinationSite.equals(primary)) {
                    primaryClass = storageClass; // a change of class in place
                } else if (!replicas.contains(destinationSite)) {
                    replicas.add(destinationSite);
                }
            }
            case SWITCH -> {
                replicas.remove(destinationSite);
                if (primary != null && !replicas.contains(primary)) {
                    replicas.add(primary); // the old primary stays a copy until a RETIRE
                }
                primary = destinationSite;
                primaryClass = storageClass;
            }
            case RETIRE -> replicas.remove(sourceSite);
        }
        return new Copies(primary, replicas, primaryClass);
    }

    private static boolean sameChecksum(String expected, String reported) {
        return expected != null && reported != null && expected.equalsIgnoreCase(reported);
    }
}
