package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The copies a dataset has once a step completed. */
class CompletedStepTest {
    private static final String SHA = "ab12";
    private static final CompletedStep.Copies ON_AZURE = new CompletedStep.Copies("azure", List.of("gcp"), "COOL");

    @Test
    void shouldAddTheCopyOfAVerifiedCopyAsAReplica() {
        CompletedStep.Copies after = copy("azure", "aws", "STANDARD", "AB12");
        assertEquals(new CompletedStep.Copies("azure", List.of("gcp", "aws"), "COOL"), after, "checksums ignore case");
        assertEquals(List.of("gcp"), ON_AZURE.replicas(), "the copies before are left as they were");
    }

    @Test
    void shouldChangeTheClassOfThePrimaryOnACopyInPlace() {
        assertEquals(new CompletedStep.Copies("azure", List.of("gcp"), "ARCHIVE"), copy("azure", "azure", "ARCHIVE",
                SHA));
    }

    @Test
    void shouldNotAddTheSameReplicaTwice() {
        assertEquals(ON_AZURE, copy("azure", "gcp", "STANDARD", SHA));
    }

    @Test
    void shouldNotTrustACopyWhoseChecksumIsNotTheInventorys() {
        assertNull(copy("azure", "aws", "STANDARD", "ffff"));
        assertNull(copy("azure", "aws", "STANDARD", null), "no checksum reported");
        assertNull(CompletedStep.apply(ON_AZURE, MigrationPlanner.Action.COPY, "azure", "aws", "STANDARD", null, SHA),
                "no checksum to check against");
    }

    @Test
    void shouldKeepTheOldPrimaryAsAReplicaOnASwitch() {
        CompletedStep.Copies copied = new CompletedStep.Copies("azure", List.of("gcp", "aws"), "COOL");
        assertEquals(new CompletedStep.Copies("aws", List.of("gcp", "azure"), "STANDARD"), CompletedStep.apply(copied,
                MigrationPlanner.Action.SWITCH, "azure", "aws", "STANDARD", SHA, SHA));
    }

    @Test
    void shouldNotSwitchToACopyOfAnOlderVersion() {
        CompletedStep.Copies copied = new CompletedStep.Copies("azure", List.of("aws"), "COOL");
        assertNull(CompletedStep.apply(copied, MigrationPlanner.Action.SWITCH, "azure", "aws", "STANDARD", SHA,
                "b".repeat(64)), "the owner wrote a new version while the copy moved: the copy holds the old bytes");
        assertNull(CompletedStep.apply(copied, MigrationPlanner.Action.SWITCH, "azure", "aws", "STANDARD", SHA, null),
                "no checksum reported");
    }

    @Test
    void shouldDropTheRetiredCopy() {
        assertEquals(new CompletedStep.Copies("azure", List.of(), "COOL"), CompletedStep.apply(ON_AZURE,
                MigrationPlanner.Action.RETIRE, "gcp", "gcp", "COOL", SHA, null));
    }

    private static CompletedStep.Copies copy(String source, String destination, String storageClass,
            String reportedSha) {
        return CompletedStep.apply(ON_AZURE, MigrationPlanner.Action.COPY, source, destination, storageClass, SHA,
                reportedSha);
    }
}
