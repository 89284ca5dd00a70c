package io.tierflow.migrator;

import io.tierflow.keys.DatasetKeys;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Site;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one attempt of one migration command against the sites: COPY (cross-site stream or same-site
 * storage-class change), SWITCH (confirm the new copy, byte for byte) and RETIRE (delete the old copy after its
 * grace period, only if it is still the expected version and the copy the command keeps is there, checked just
 * before the delete). Every step is idempotent and none destroys a version it was not told about, so a redelivered
 * or replayed command is harmless: a COPY never replaces an object Tierflow did not write or one written by a newer
 * command, a SWITCH never deletes another version than its own, a RETIRE never deletes the last good copy.
 * Intermediate phases go to {@code progress}; the terminal result is returned, never thrown.
 */
public final class CommandExecutor {
    private static final Logger log = LoggerFactory.getLogger(CommandExecutor.class);
    /** Bytes between two COPYING statuses, so progress is visible without flooding the topic. */
    static final long PROGRESS_EVERY_BYTES = 16L << 20;

    private final SiteStores sites;
    private final String workerId;
    private final boolean requireEncryptedDestinations;
    private final boolean serverSideEncryptionHeaders;
    private final Clock clock;
    private final LongConsumer bytesMoved;
    private final Retirement retirement;
    private final Switchover switchover;

    /**
     * @param requireEncryptedDestinations refuse (policy_blocked) to place data on a site that is not encrypted at
     *        rest for every command, on top of the commands that ask for it ({@code requireEncryption}, from the
     *        policy's encrypted-only flag)
     * @param serverSideEncryptionHeaders ask encrypted sites for SSE (x-amz-server-side-encryption: AES256) on
     *        every write; off for stores that refuse the header (S3Proxy answers 501) and encrypt anyway
     */
    public CommandExecutor(SiteStores sites, String workerId, boolean requireEncryptedDestinations,
            boolean serverSideEncryptionHeaders, Clock clock) {
        this(sites, workerId, requireEncryptedDestinations, serverSideEncryptionHeaders, clock, bytes -> { });
    }

    /** @param bytesMoved told the size of every copy written and verified (not of copies found already done) */
    public CommandExecutor(SiteStores sites, String workerId, boolean requireEncryptedDestinations,
            boolean serverSideEncryptionHeaders, Clock clock, LongConsumer bytesMoved) {
        this.bytesMoved = bytesMoved;
        this.sites = sites;
        this.workerId = workerId;
        this.requireEncryptedDestinations = requireEncryptedDestinations;
        this.serverSideEncryptionHeaders = serverSideEncryptionHeaders;
        this.clock = clock;
        this.retirement = new Retirement(sites, clock, this::status, this::store);
        this.switchover = new Switchover(this, retirement);
    }

    public Outcome execute(MigrationCommand command, int attempt, Consumer<MigrationStatus> progress) {
        Optional<String> invalidKey = DatasetKeys.problem(command.getKey());
        if (invalidKey.isPresent()) {
            return new Outcome.Failed(ErrorCode.INVALID_KEY, new InvalidKeyException(command.getKey(),
                    invalidKey.get()).getMessage());
        }
        try {
            return switch (command.getAction()) {
                case COPY -> copy(command, attempt, progress);
                case SWITCH -> switchover.switchTo(command, attempt, progress);
                case RETIRE -> retirement.retire(command, attempt);
            };
        } catch (MigrationFailure e) {
            return new Outcome.Failed(e.code(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            ErrorCode code = ErrorClassifier.classify(e);
            log.debug("command {} attempt {} failed", command.getId(), attempt, e);
            return new Outcome.Failed(code, e.toString());
        }
    }

    /** A status of this command in {@code phase}, for the pool and for progress. */
    public MigrationStatus status(MigrationCommand command, MigrationPhase phase, int attempt, long bytesDone) {
        return MigrationStatus.newBuilder()
                .setCommandId(command.getId())
                .setKey(command.getKey())
                .setAction(command.getAction())
                .setPhase(phase)
                .setSourceSite(command.getSourceSite())
                .setDestinationSite(command.getDestinationSite())
                .setBytesDone(bytesDone)
                .setAttempt(attempt)
                .setWorker(workerId)
                .setAt(clock.instant())
                .build();
    }

    /** The SUPERSEDED status of a command skipped because a newer one for its dataset was seen. */
    public MigrationStatus superseded(MigrationCommand command, int attempt, String reason) {
        MigrationStatus status = status(command, MigrationPhase.SUPERSEDED, attempt, 0);
        status.setErrorMessage(reason);
        return status;
    }

    /** The FAILED status for a failure. */
    public MigrationStatus failed(MigrationCommand command, int attempt, ErrorCode code, String message) {
        MigrationStatus status = status(command, MigrationPhase.FAILED, attempt, 0);
        status.setErrorCode(code.code());
        status.setErrorMessage(message);
        return status;
    }

    /**
     * Four requests per object: HEAD the destination (a copy finished by an earlier delivery is recognised there,
     * and a stale one is replaced only conditionally on the version seen), GET the source with If-Match on the
     * expected version (the check before: it serves that version or refuses), PUT (or the multipart calls), HEAD the
     * source (the check after: a source rewritten while it was copied aborts the move). The bytes must hash to the
     * expected SHA-256 before the write may commit, and the write's answer carries the new copy's ETag, so the copy
     * needs no HEAD of its own.
     */
    private Outcome copy(MigrationCommand command, int attempt, Consumer<MigrationStatus> progress)
            throws IOException, MigrationFailure {
        String key = command.getKey();
        Site destinationSite = site(command.getDestinationSite());
        checkPolicy(command, destinationSite);
        SiteStore source = store(command.getSourceSite());
        SiteStore destination = store(command.getDestinationSite());
        boolean encrypt = serverSideEncryptionHeaders && destinationSite.getEncrypted();

        if (source.name().equals(destination.name())) {
            ObjectInfo current = source.head(key).orElseThrow(() -> missingSource(key, source));
            checkSourceVersion(command, current);
            return changeStorageClass(command, attempt, progress, current, destination, encrypt);
        }

        Optional<ObjectInfo> existing = destination.head(key);
        if (existing.isPresent() && isExpectedCopy(command, existing.get())) {
            // A finished copy from an earlier delivery (its checksum was verified before it became visible): its
            // bytes are the expected ones whatever the source holds by now.
            log.info("command {}: {} already at site {} with the expected checksum", command.getId(), key,
                    destination.name());
            return completed(command, attempt, existing.get());
        }
        if (existing.isPresent()) {
            ObjectInfo other = existing.get();
            if (isNewer(other, command)) {
                return new Outcome.Superseded("site " + destination.name() + " holds a copy of " + key
                        + " written by a newer command (sequence " + other.sequence() + ")");
            }
            if (other.sequence() == 0 || command.getSequence() == 0) {
                // Not a copy an earlier command of this dataset wrote (the owner's object, or one from before copies
                // carried their sequence): it may be newer than the version moved, so it is never replaced.
                throw new MigrationFailure(ErrorCode.VERSION_CONFLICT, "site " + destination.name() + " holds "
                        + "another version of " + key + " that no earlier migration of it wrote; it is left alone");
            }
        }

        long[] reported = {0};
        WriteResult written;
        String copiedVersion;
        try (ObjectStream in = openSource(command, source)) {
            // Also catches a store that ignores If-Match: its answer names the version it served.
            checkSourceVersion(command, in.info());
            copiedVersion = in.info().versionToken();
            progress.accept(status(command, MigrationPhase.COPYING, attempt, 0));
            WriteOptions options = new WriteOptions(command.getStorageClass(), command.getExpectedSha256(), encrypt,
                    existing.map(ObjectInfo::versionToken).orElse(null), command.getSequence());
            long size = in.info().size();
            written = destination.put(key, in.bytes(), size, options, done -> {
                if (done - reported[0] >= PROGRESS_EVERY_BYTES && done < size) {
                    reported[0] = done;
                    progress.accept(status(command, MigrationPhase.COPYING, attempt, done));
                }
            });
        } catch (MigrationFailure e) {
            if (e.code() == ErrorCode.CHECKSUM_MISMATCH) {
                // Normally nothing became visible; if the store assembled a bad object anyway, remove it.
                destination.deleteIfVersion(key, command.getExpectedSha256(), null);
            }
            if (e.code() == ErrorCode.VERSION_CONFLICT) {
                // The conditional write lost to another writer. If that was another worker finishing this very
                // copy (a redelivery after a rebalance), the copy is done, not failed.
                Optional<ObjectInfo> winner = destination.head(key);
                if (winner.isPresent() && isExpectedCopy(command, winner.get())) {
                    return completed(command, attempt, winner.get());
                }
            }
            throw e;
        }

        progress.accept(status(command, MigrationPhase.VERIFYING, attempt, written.size()));
        // A source rewritten while it was being copied makes the move moot: the copy holds a version the owner has
        // replaced, so it is removed again and the move fails (the streams app decides anew from the new inventory).
        Optional<ObjectInfo> sourceAfter = source.head(key);
        if (sourceAfter.isEmpty() || !sourceAfter.get().versionToken().equals(copiedVersion)) {
            destination.deleteIfVersion(key, null, written.versionToken());
            throw new MigrationFailure(ErrorCode.VERSION_CONFLICT, key + " changed at site " + source.name()
                    + " while it was being copied; the copy was removed");
        }
        // The write committed only after its bytes hashed to the expected SHA-256 (VerifyingInputStream withholds
        // the last byte otherwise), so the copy is what the command asked for.
        ObjectInfo copy;
        if (written.versionToken() != null) {
            copy = new ObjectInfo(written.size(), written.versionToken(), written.sha256(),
                    command.getStorageClass(), command.getSequence());
        } else { // a store whose write answer carries no ETag
            copy = destination.head(key).orElseThrow(() -> new MigrationFailure(ErrorCode.CHECKSUM_MISMATCH,
                    key + " is not at site " + destination.name() + " right after it was written"));
        }
        bytesMoved.accept(written.size());
        return completed(command, attempt, copy);
    }

    /**
     * The source copy, only if it still is the version moved: by the token its own store reported
     * ({@code sourceVersionToken}, else the inventory's), or else, for a copy Tierflow wrote with the expected
     * checksum (a file store or a multipart upload reports another ETag than the inventory), by the token it has now.
     */
    private ObjectStream openSource(MigrationCommand command, SiteStore source) throws IOException, MigrationFailure {
        try {
            return source.open(command.getKey(), sourceToken(command));
        } catch (MigrationFailure e) {
            if (e.code() != ErrorCode.VERSION_CONFLICT) {
                throw e;
            }
            Optional<ObjectInfo> now = source.head(command.getKey());
            if (now.isPresent() && isExpectedCopy(command, now.get())) {
                return source.open(command.getKey(), now.get().versionToken());
            }
            throw e;
        }
    }

    static String sourceToken(MigrationCommand command) {
        // Bare, as stores report versions: an inventory carries the ETag as S3 sends it, in quotes.
        return S3SiteStore.unquote(command.getSourceVersionToken() != null ? command.getSourceVersionToken()
                : command.getExpectedVersionToken());
    }

    /** Whether {@code copy} was written by a later command for this dataset than {@code command}. */
    static boolean isNewer(ObjectInfo copy, MigrationCommand command) {
        return command.getSequence() > 0 && copy.sequence() > command.getSequence();
    }

    static boolean isExpectedCopy(MigrationCommand command, ObjectInfo copy) {
        return command.getExpectedSha256().equalsIgnoreCase(copy.sha256()) && copy.size() == command.getSizeBytes();
    }

    private static MigrationFailure missingSource(String key, SiteStore source) {
        return new MigrationFailure(ErrorCode.MISSING_SOURCE, key + " is not at site " + source.name());
    }

    /** Same site: a server-side copy onto itself with the new class, so no bytes travel. */
    private Outcome changeStorageClass(MigrationCommand command, int attempt, Consumer<MigrationStatus> progress,
            ObjectInfo current, SiteStore site, boolean encrypt) throws IOException, MigrationFailure {
        if (command.getStorageClass().equals(current.storageClass())) {
            return completed(command, attempt, current);
        }
        progress.accept(status(command, MigrationPhase.COPYING, attempt, 0));
        ObjectInfo changed = site.changeStorageClass(command.getKey(), command.getStorageClass(), encrypt);
        progress.accept(status(command, MigrationPhase.VERIFYING, attempt, changed.size()));
        if (changed.size() != command.getSizeBytes()
                || (changed.sha256() != null && !changed.sha256().equalsIgnoreCase(command.getExpectedSha256()))) {
            throw new MigrationFailure(ErrorCode.CHECKSUM_MISMATCH, command.getKey() + " at site " + site.name()
                    + " no longer matches the expected size and checksum after its storage-class change");
        }
        return completed(command, attempt, changed);
    }

    Outcome completed(MigrationCommand command, int attempt, ObjectInfo copy) {
        MigrationStatus status = status(command, MigrationPhase.COMPLETED, attempt, copy.size());
        status.setSha256(copy.sha256() != null ? copy.sha256().toLowerCase() : command.getExpectedSha256());
        status.setVersionToken(copy.versionToken());
        return new Outcome.Completed(status);
    }

    private void checkSourceVersion(MigrationCommand command, ObjectInfo source) throws MigrationFailure {
        // ETags are quoted in HTTP headers and often not in inventories: the same version either way
        // (ObjectInfo.isVersion does the same). A copy Tierflow wrote with the expected checksum is that version
        // whatever token its store gives it.
        boolean sameVersion = source.versionToken().equals(sourceToken(command)) || isExpectedCopy(command, source);
        if (!sameVersion || source.size() != command.getSizeBytes()) {
            throw new MigrationFailure(ErrorCode.VERSION_CONFLICT, command.getKey() + " at site "
                    + command.getSourceSite() + " is version " + source.versionToken() + " (" + source.size()
                    + " bytes), the command expects " + command.getExpectedVersionToken() + " ("
                    + command.getSizeBytes() + " bytes)");
        }
    }

    private void checkPolicy(MigrationCommand command, Site destination) throws MigrationFailure {
        if ((command.getRequireEncryption() || requireEncryptedDestinations) && !destination.getEncrypted()) {
            throw new MigrationFailure(ErrorCode.POLICY_BLOCKED, "site " + destination.getName()
                    + " is not encrypted at rest and " + (command.getRequireEncryption()
                            ? "the command's policy allows encrypted sites only"
                            : "this worker requires encrypted destinations"));
        }
        if (!destination.getUp()) {
            throw new MigrationFailure(ErrorCode.SITE_UNAVAILABLE, "site " + destination.getName()
                    + " is marked down in the catalogue");
        }
    }

    private Site site(String name) throws MigrationFailure {
        Optional<String> refusal = sites.refusal(name);
        if (refusal.isPresent()) {
            throw new MigrationFailure(ErrorCode.UNTRUSTED_SITE, refusal.get());
        }
        return sites.site(name).orElseThrow(() -> new MigrationFailure(ErrorCode.UNKNOWN_SITE,
                "site " + name + " is not in the catalogue"));
    }

    SiteStore store(String name) throws MigrationFailure {
        Optional<String> refusal = sites.refusal(name);
        if (refusal.isPresent()) {
            throw new MigrationFailure(ErrorCode.UNTRUSTED_SITE, refusal.get());
        }
        return sites.store(name).orElseThrow(() -> new MigrationFailure(ErrorCode.UNKNOWN_SITE,
                "site " + name + " is not in the catalogue"));
    }
}
