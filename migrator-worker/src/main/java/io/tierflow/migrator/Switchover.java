package io.tierflow.migrator;

import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * The SWITCH step: confirms the destination copy byte for byte before reads move to it. It deletes only a copy that
 * claims the expected checksum and fails it (corrupt), and only by a delete that cannot take another version; a copy
 * of another version (the owner's newer one, a later move's) is left alone.
 */
final class Switchover {
    private final CommandExecutor executor;
    private final Retirement retirement;

    Switchover(CommandExecutor executor, Retirement retirement) {
        this.executor = executor;
        this.retirement = retirement;
    }

    /**
     * Confirms the destination copy before reads switch to it, by reading it back and hashing every byte: the
     * stored checksum says what was written, only the bytes say what is there now.
     */
    Outcome switchTo(MigrationCommand command, int attempt, Consumer<MigrationStatus> progress)
            throws IOException, MigrationFailure {
        String key = command.getKey();
        SiteStore destination = executor.store(command.getDestinationSite());
        ObjectStream in;
        try {
            in = destination.open(key, null); // one GET: the copy's version and its bytes
        } catch (MigrationFailure e) {
            if (e.code() == ErrorCode.MISSING_SOURCE) {
                throw new MigrationFailure(ErrorCode.MISSING_SOURCE, "no copy of " + key + " at site "
                        + destination.name() + " to switch to", e);
            }
            throw e;
        }
        ObjectInfo copy = in.info();
        if (!CommandExecutor.isExpectedCopy(command, copy)) {
            // Another version than the one this command confirms (a replayed SWITCH after the owner wrote a newer
            // one, or a later move's copy): never deleted here, whatever its bytes.
            in.close();
            if (copy.writtenByTierflow() && CommandExecutor.isNewer(copy, command)) {
                return new Outcome.Superseded("site " + destination.name() + " holds a copy of " + key
                        + " written by a newer command (sequence " + copy.sequence() + ")");
            }
            throw new MigrationFailure(ErrorCode.VERSION_CONFLICT, "the copy of " + key + " at site "
                    + destination.name() + " is another version than the one to switch to; it is left alone");
        }
        progress.accept(executor.status(command, MigrationPhase.SWITCHING, attempt, 0));
        MessageDigest sha256 = VerifyingInputStream.newDigest("SHA-256");
        long size;
        try (in; InputStream hashing = new DigestInputStream(in.bytes(), sha256)) {
            size = hashing.transferTo(OutputStream.nullOutputStream());
        }
        String read = HexFormat.of().formatHex(sha256.digest());
        if (size != command.getSizeBytes() || !read.equalsIgnoreCase(command.getExpectedSha256())) {
            // It claims the expected checksum but its bytes differ: corrupt. Removed only by a delete that cannot
            // take a version written since (the store's condition, or a file store's rename-aside that finds the
            // bytes just read), so the next COPY writes it anew instead of taking it for a finished copy.
            boolean removed = retirement.canDeleteSafely(destination) && destination.deleteCorrupt(key,
                    copy.versionToken(), read);
            throw new MigrationFailure(ErrorCode.CHECKSUM_MISMATCH, "the copy of " + key + " at site "
                    + destination.name() + " is corrupt (" + size + " bytes hashing to " + read + ", expected "
                    + command.getSizeBytes() + " bytes hashing to " + command.getExpectedSha256() + "); "
                    + (removed ? "it was removed" : "it was left for an operator"));
        }
        return executor.completed(command, attempt, copy);
    }
}
