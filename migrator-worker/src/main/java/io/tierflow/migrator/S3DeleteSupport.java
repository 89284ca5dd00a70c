package io.tierflow.migrator;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What an S3-compatible bucket offers for deleting only the version a RETIRE checked, asked once per site: a bucket
 * that keeps versions deletes by version id; one that does not must honour If-Match on DELETE. S3-compatible stores
 * differ here, and the answers decide whether a RETIRE may run at the site at all, so they are asked of the store
 * itself rather than assumed from its kind.
 */
final class S3DeleteSupport {
    private static final Logger log = LoggerFactory.getLogger(S3DeleteSupport.class);

    private final String site;
    private final String bucket;
    private final S3Client s3;
    /** Whether the store honours If-Match on DELETE: asked once, on first need (null: not asked yet). */
    private volatile Boolean conditional;
    /** Whether the bucket keeps versions (GetBucketVersioning says Enabled): asked once (null: not asked yet). */
    private volatile Boolean versioned;

    S3DeleteSupport(String site, String bucket, S3Client s3) {
        this.site = site;
        this.bucket = bucket;
        this.s3 = s3;
    }

    /**
     * Whether a delete can be made conditional on the version checked: by version id in a versioned bucket, else by
     * If-Match. For If-Match the store is asked once: a probe object is deleted with If-Match on an ETag it does not
     * have. A store that honours the condition answers 412 and keeps it (S3, and S3Proxy 4.1 as the local stack runs
     * it: CommandExecutorIT checks it); one that ignores it (older S3Proxy releases, whose DELETE handler read no
     * conditional header) deletes it.
     */
    boolean conditional() {
        Boolean known = conditional;
        if (known != null) {
            return known;
        }
        if (versioned()) {
            conditional = true; // by version id (see S3SiteStore.deleteIfVersion), whatever it does with If-Match
            return true;
        }
        String probe = ".tierflow-probe/" + UUID.randomUUID();
        s3.putObject(b -> b.bucket(bucket).key(probe).contentType("application/octet-stream"),
                RequestBody.fromBytes(new byte[] {1}));
        boolean honoured;
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(probe).ifMatch("\"00000000000000000000000000000000\""));
            honoured = false; // even a store that answered 2xx and kept it gives no signal to rely on
        } catch (S3Exception e) {
            if (e.statusCode() != 412) {
                throw e;
            }
            honoured = true;
        } finally {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(probe));
            } catch (SdkException e) {
                log.warn("site {}: could not remove probe object {}: {}", site, probe, e.toString());
            }
        }
        if (!honoured) {
            log.error("site {} ignores If-Match on DELETE: a RETIRE there could delete a version written after its "
                    + "check, so RETIREs at this site are refused (unsafe_delete) unless the operator accepts the "
                    + "risk ({})", site, MigratorSettings.ACCEPT_UNCONDITIONAL_DELETE);
        }
        conditional = honoured;
        return honoured;
    }

    /**
     * Whether the bucket keeps versions, asked once: then a RETIRE deletes the version it checked by its id. A store
     * that cannot say (S3Proxy 4.1 answers GetBucketVersioning with 501 and refuses any {@code versionId} with 501, so
     * nothing is ever deleted by a version it ignores; a credential without the permission gets 403) or says
     * Suspended or nothing counts as unversioned: deletes go by If-Match.
     */
    boolean versioned() {
        Boolean known = versioned;
        if (known != null) {
            return known;
        }
        boolean enabled;
        try {
            enabled = s3.getBucketVersioning(b -> b.bucket(bucket)).status() == BucketVersioningStatus.ENABLED;
        } catch (S3Exception e) {
            if (e.statusCode() >= 500 && e.statusCode() != 501) {
                throw e; // the store failed to answer: asked again next time
            }
            enabled = false;
        }
        log.info("site {}: bucket {} {}", site, bucket, enabled ? "keeps versions: RETIREs delete by version id"
                : "keeps no versions: RETIREs delete with If-Match");
        versioned = enabled;
        return enabled;
    }
}
