package io.tierflow.cli.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedMigratorTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final String SHA = "ab".repeat(32);

    private static MigrationCommand command(String id, MigrationAction action, String source, String destination,
            long bytes, Instant notBefore) {
        return MigrationCommand.newBuilder().setId(id).setKey("ds").setAction(action).setSourceSite(source)
                .setDestinationSite(destination).setStorageClass("STANDARD").setExpectedVersionToken("\"v1\"")
                .setExpectedSha256(SHA).setSizeBytes(bytes).setNotBefore(notBefore).setIssuedAt(T0).setSequence(1)
                .build();
    }

    @Test
    void shouldCompleteACopyAfterItsBytesCrossTheLinkWithTheInventorysChecksum() {
        // 1 Gbit/s by default, 100 Mbit/s between aws and gcp, 50 ms per step
        SimulatedMigrator migrator = new SimulatedMigrator(new LinkModel(1000, Map.of("gcp:aws", 100.0), 50), 0, 7);

        List<TimedStatus> fast = migrator.execute(command("c1", MigrationAction.COPY, "aws", "azure", 1_000_000_000L,
                null), T0.toEpochMilli());
        List<TimedStatus> slow = migrator.execute(command("c2", MigrationAction.COPY, "aws", "gcp", 1_000_000_000L,
                null), T0.toEpochMilli());

        assertEquals(MigrationPhase.COPYING, fast.get(0).status().getPhase());
        assertEquals(T0.toEpochMilli(), fast.get(0).timeMs());
        MigrationStatus done = fast.get(1).status();
        assertEquals(MigrationPhase.COMPLETED, done.getPhase());
        assertEquals(T0.toEpochMilli() + 8_000 + 50, fast.get(1).timeMs(), "8 Gbit over 1 Gbit/s, plus the step");
        assertEquals(T0.toEpochMilli() + 80_000 + 50, slow.get(1).timeMs(), "the pair's own 100 Mbit/s");
        assertEquals(SHA, done.getSha256(), "what the real worker's verified copy hashes to");
        assertEquals("\"v1\"", done.getVersionToken());
        assertEquals(1_000_000_000L, done.getBytesDone());
        assertEquals("c1", done.getCommandId());
        assertEquals(Instant.ofEpochMilli(fast.get(1).timeMs()), done.getAt());
    }

    @Test
    void shouldChangeAClassInPlaceInTheStepTimeAlone() {
        SimulatedMigrator migrator = new SimulatedMigrator(new LinkModel(1, Map.of(), 50), 0, 7);
        List<TimedStatus> statuses = migrator.execute(command("c", MigrationAction.COPY, "aws", "aws",
                1_000_000_000_000L, null), T0.toEpochMilli());
        assertEquals(T0.toEpochMilli() + 50, statuses.get(1).timeMs(), "no bytes travel");
    }

    @Test
    void shouldNeverRetireBeforeNotBeforeAndSwitchShortlyAfterTheCommand() {
        SimulatedMigrator migrator = new SimulatedMigrator(new LinkModel(1000, Map.of(), 50), 0, 7);
        Instant notBefore = T0.plusSeconds(600);

        List<TimedStatus> retire = migrator.execute(command("r", MigrationAction.RETIRE, "aws", "aws", 10, notBefore),
                T0.toEpochMilli());
        List<TimedStatus> lateRetire = migrator.execute(command("r2", MigrationAction.RETIRE, "aws", "aws", 10,
                notBefore), notBefore.toEpochMilli() + 5_000);
        List<TimedStatus> switchStep = migrator.execute(command("s", MigrationAction.SWITCH, "aws", "azure", 10, null),
                T0.toEpochMilli() + 1_000);

        assertEquals(1, retire.size(), "a retire reports its end only, as the real worker does");
        assertEquals(notBefore.toEpochMilli() + 50, retire.get(0).timeMs());
        assertEquals(MigrationPhase.COMPLETED, retire.get(0).status().getPhase());
        assertNull(retire.get(0).status().getSha256(), "a retire reports no copy");
        assertEquals(notBefore.toEpochMilli() + 5_050, lateRetire.get(0).timeMs(), "received after notBefore");
        assertEquals(MigrationPhase.SWITCHING, switchStep.get(0).status().getPhase());
        assertEquals(T0.toEpochMilli() + 1_050, switchStep.get(1).timeMs());
        assertEquals(SHA, switchStep.get(1).status().getSha256(), "a switch reports the copy's checksum");
    }

    @Test
    void shouldFailTheShareAskedForTheSameCommandsWithTheSameSeed() {
        LinkModel links = new LinkModel(1000, Map.of(), 50);
        SimulatedMigrator migrator = new SimulatedMigrator(links, 0.3, 42);
        int failed = 0;
        int commands = 4_000;
        for (int i = 0; i < commands; i++) {
            MigrationCommand c = command("cmd-" + i, MigrationAction.COPY, "aws", "gcp", 1000, null);
            List<TimedStatus> first = migrator.execute(c, T0.toEpochMilli());
            List<TimedStatus> again = new SimulatedMigrator(links, 0.3, 42).execute(c, T0.toEpochMilli());
            MigrationStatus end = first.get(first.size() - 1).status();
            assertEquals(end, again.get(again.size() - 1).status(), "a command's fate depends on the seed alone");
            if (end.getPhase() == MigrationPhase.FAILED) {
                failed++;
                assertEquals(SimulatedMigrator.FAILURE_CODE, end.getErrorCode());
            }
        }
        double share = failed / (double) commands;
        assertTrue(share > 0.27 && share < 0.33, "about 30 % fail: " + share);
        assertEquals(0, countFailures(new SimulatedMigrator(links, 0, 42), 500), "none without a rate");
        assertEquals(500, countFailures(new SimulatedMigrator(links, 1, 42), 500), "all at rate 1");
    }

    private static int countFailures(SimulatedMigrator migrator, int commands) {
        int failed = 0;
        for (int i = 0; i < commands; i++) {
            List<TimedStatus> s = migrator.execute(command("c" + i, MigrationAction.COPY, "aws", "gcp", 1, null), 0);
            failed += s.get(s.size() - 1).status().getPhase() == MigrationPhase.FAILED ? 1 : 0;
        }
        return failed;
    }

    @Test
    void shouldRefuseNonsenseSettings() {
        assertThrows(IllegalArgumentException.class, () -> new LinkModel(0, Map.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new LinkModel(10, Map.of("aws", 5.0), 0));
        assertThrows(IllegalArgumentException.class, () -> new LinkModel(10, Map.of("aws:gcp", -1.0), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SimulatedMigrator(new LinkModel(10, Map.of(), 0), 1.5, 1));
    }
}
