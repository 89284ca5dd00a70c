package io.tierflow.migrator;

import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Site;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The RETIRE step: the one place a copy is deleted on purpose, so the one place that must make sure another good
 * copy stays. Its order is the safety argument: the retired copy is still the version moved and not rewritten by a
 * newer command; the kept copy is at its site with the expected checksum, looked at last; and the delete cannot take
 * a version written after these looks (a conditional delete, or a file store's rename-aside and check).
 */
final class Retirement {
    interface StatusFactory {
        MigrationStatus status(MigrationCommand command, MigrationPhase phase, int attempt, long bytesDone);
    }

    interface StoreLookup {
        SiteStore store(String name) throws MigrationFailure;
    }

    private final SiteStores sites;
    private final Clock clock;
    private final StatusFactory statuses;
    private final StoreLookup stores;

    Retirement(SiteStores sites, Clock clock, StatusFactory statuses, StoreLookup stores) {
        this.sites = sites;
        this.clock = clock;
        this.statuses = statuses;
        this.stores = stores;
    }

    /**
     * Deletes the old copy once the grace period is over, only if it is still the version moved, was not written by
     * a newer command, and the copy the command keeps is at its site with the expected checksum, looked at right
     * before the delete; the delete itself cannot take a version written after that look (see
     * {@link #canDeleteSafely}).
     */
    Outcome retire(MigrationCommand command, int attempt) throws IOException, MigrationFailure {
        Instant notBefore = command.getNotBefore();
        if (notBefore != null && clock.instant().isBefore(notBefore)) {
            return new Outcome.NotYet(notBefore);
        }
        String key = command.getKey();
        String keepSite = command.getKeepSite();
        if (keepSite == null || keepSite.isBlank() || keepSite.equals(command.getSourceSite())) {
            throw new MigrationFailure(ErrorCode.KEPT_COPY_MISSING, "the RETIRE of " + key + " at site "
                    + command.getSourceSite() + " names no other copy to keep (keepSite " + keepSite
                    + "); nothing was deleted");
        }
        SiteStore site = stores.store(command.getSourceSite());
        SiteStore kept = stores.store(keepSite);
        if (samePlace(command.getSourceSite(), keepSite)) {
            throw new MigrationFailure(ErrorCode.KEPT_COPY_MISSING, "sites " + command.getSourceSite() + " and "
                    + keepSite + " are the same bucket: the kept copy is the one to delete; nothing was deleted");
        }
        if (!canDeleteSafely(site)) {
            throw new MigrationFailure(ErrorCode.UNSAFE_DELETE, "site " + site.name() + " ignores conditions on "
                    + "DELETE, so a version written after the check could be deleted; " + key + " was kept (set "
                    + MigratorSettings.ACCEPT_UNCONDITIONAL_DELETE + " to accept that risk at this site)");
        }
        Optional<ObjectInfo> current = site.head(key);
        if (current.isEmpty()) {
            return new Outcome.Completed(statuses.status(command, MigrationPhase.COMPLETED, attempt, 0)); // already gone
        }
        if (!current.get().isVersion(command.getExpectedSha256(), CommandExecutor.sourceToken(command))) {
            throw new MigrationFailure(ErrorCode.VERSION_CONFLICT, key + " at site " + site.name()
                    + " is another version than the one retired; it was kept");
        }
        if (CommandExecutor.isNewer(current.get(), command)) {
            return new Outcome.Superseded("the copy of " + key + " at site " + site.name() + " was written by a "
                    + "newer command (sequence " + current.get().sequence() + "); it was kept");
        }
        Optional<ObjectInfo> keptCopy = kept.head(key);
        if (keptCopy.isEmpty() || !isKeptCopy(command, keptCopy.get())) {
            throw new MigrationFailure(ErrorCode.KEPT_COPY_MISSING, "the copy of " + key + " to keep at site "
                    + kept.name() + " is " + (keptCopy.isEmpty() ? "not there" : "another version")
                    + "; the copy at site " + site.name() + " was not deleted");
        }
        if (!site.deleteIfVersion(key, command.getExpectedSha256(), current.get().versionToken())) {
            throw new MigrationFailure(ErrorCode.VERSION_CONFLICT, key + " at site " + site.name()
                    + " changed while it was being retired; the new version was kept");
        }
        return new Outcome.Completed(statuses.status(command, MigrationPhase.COMPLETED, attempt, 0));
    }

    private boolean samePlace(String a, String b) {
        Optional<Site> siteA = sites.site(a);
        Optional<Site> siteB = sites.site(b);
        return siteA.isPresent() && siteB.isPresent()
                && siteA.get().getEndpoint().equals(siteB.get().getEndpoint())
                && siteA.get().getBucket().equals(siteB.get().getBucket());
    }

    /** The kept copy is the expected bytes: by its stored checksum, else by the token its store reported. */
    private static boolean isKeptCopy(MigrationCommand command, ObjectInfo copy) {
        if (copy.size() != command.getSizeBytes()) {
            return false;
        }
        if (copy.sha256() != null) {
            return copy.sha256().equalsIgnoreCase(command.getExpectedSha256());
        }
        String token = command.getKeepVersionToken() != null ? command.getKeepVersionToken()
                : command.getExpectedVersionToken();
        return copy.versionToken().equals(S3SiteStore.unquote(token));
    }

    /** Whether a delete at this site cannot take a version written after our look, or the operator accepts it. */
    boolean canDeleteSafely(SiteStore site) throws IOException {
        return site.deletesConditionally() || sites.trust().acceptsUnconditionalDelete(site.name());
    }
}
