package io.tierflow.cli.whatif;

import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The migrator of a replay: answers each command with the statuses the real worker (migrator-worker's
 * CommandExecutor) reports, at the event time a modelled link would let it: a COPY reports COPYING when it starts
 * and COMPLETED with the inventory's checksum (what the real worker's verified copy hashes to) once its bytes have
 * crossed the link; a SWITCH reports SWITCHING then COMPLETED; a RETIRE waits for its {@code notBefore} and reports
 * COMPLETED. A command fails (FAILED, {@code site_unavailable}) with the chance given, decided by a generator seeded
 * from the seed and the command's id, so a failure does not depend on what else the replay did: the same command
 * fails or succeeds in every run with the same seed. Plain Java; {@link PolicyReplay} pipes the statuses in.
 */
public final class SimulatedMigrator {
    static final String WORKER = "whatif-simulated-migrator";
    static final String FAILURE_CODE = "site_unavailable";

    private final LinkModel links;
    private final double failRate;
    private final long seed;

    /**
     * @param failRate share of commands that fail, 0 to 1
     * @param seed the seed of the failures
     */
    public SimulatedMigrator(LinkModel links, double failRate, long seed) {
        if (!(failRate >= 0 && failRate <= 1)) {
            throw new IllegalArgumentException("the failure rate must be between 0 and 1");
        }
        this.links = links;
        this.failRate = failRate;
        this.seed = seed;
    }

    /**
     * The statuses {@code command} leads to, in time order, the last one terminal.
     *
     * @param receivedMs when the command reached the migrator (its event time in the replay)
     */
    public List<TimedStatus> execute(MigrationCommand command, long receivedMs) {
        long startMs = Math.max(receivedMs, command.getIssuedAt().toEpochMilli());
        if (command.getNotBefore() != null) {
            startMs = Math.max(startMs, command.getNotBefore().toEpochMilli()); // the worker holds it until then
        }
        MigrationAction action = command.getAction();
        long doneMs = startMs + switch (action) {
            case COPY -> links.copyMs(command.getSourceSite(), command.getDestinationSite(), command.getSizeBytes());
            case SWITCH, RETIRE -> links.stepMs();
        };
        MigrationPhase progress = switch (action) {
            case COPY -> MigrationPhase.COPYING;
            case SWITCH -> MigrationPhase.SWITCHING;
            case RETIRE -> null; // the real worker reports a retire's end only
        };
        MigrationStatus end = fails(command) ? failed(command, doneMs) : completed(command, doneMs);
        return progress == null ? List.of(new TimedStatus(doneMs, end))
                : List.of(new TimedStatus(startMs, status(command, progress, startMs, 0)), new TimedStatus(doneMs, end));
    }

    private boolean fails(MigrationCommand command) {
        return failRate > 0 && new SplittableRandom(seed ^ command.getId().hashCode() * 0x9E3779B97F4A7C15L)
                .nextDouble() < failRate;
    }

    private static MigrationStatus completed(MigrationCommand command, long atMs) {
        MigrationStatus status = status(command, MigrationPhase.COMPLETED, atMs,
                command.getAction() == MigrationAction.COPY ? command.getSizeBytes() : 0);
        if (command.getAction() != MigrationAction.RETIRE) {
            // The real worker reports the copy's SHA-256, verified equal to the inventory's before the write commits.
            status.setSha256(command.getExpectedSha256());
            status.setVersionToken(command.getExpectedVersionToken());
        }
        return status;
    }

    private static MigrationStatus failed(MigrationCommand command, long atMs) {
        MigrationStatus status = status(command, MigrationPhase.FAILED, atMs, 0);
        status.setErrorCode(FAILURE_CODE);
        status.setErrorMessage("injected failure (whatif --fail-rate)");
        return status;
    }

    private static MigrationStatus status(MigrationCommand command, MigrationPhase phase, long atMs, long bytes) {
        return MigrationStatus.newBuilder().setCommandId(command.getId()).setKey(command.getKey())
                .setAction(command.getAction()).setPhase(phase).setSourceSite(command.getSourceSite())
                .setDestinationSite(command.getDestinationSite()).setBytesDone(bytes).setAttempt(1)
                .setWorker(WORKER).setAt(Instant.ofEpochMilli(atMs)).build();
    }
}
