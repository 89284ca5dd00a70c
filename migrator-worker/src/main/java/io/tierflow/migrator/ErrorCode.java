package io.tierflow.migrator;

/** Machine-readable reasons a migration command failed, as written to {@code MigrationStatus.errorCode}. */
public enum ErrorCode {
    /** The source object is not there. Retrying will not bring it back. */
    MISSING_SOURCE("missing_source", false),
    /** The source (or destination) carries another version than the command expects. */
    VERSION_CONFLICT("version_conflict", false),
    /** The bytes written do not hash to the expected SHA-256. */
    CHECKSUM_MISMATCH("checksum_mismatch", false),
    /** A site did not answer or answered with a server error; worth retrying later. */
    SITE_UNAVAILABLE("site_unavailable", true),
    /** The command would break a policy rule (e.g. unencrypted destination where encryption is required). */
    POLICY_BLOCKED("policy_blocked", false),
    /** The command names a site the worker does not know (yet). */
    UNKNOWN_SITE("unknown_site", true),
    /**
     * A RETIRE found no good copy to keep (the kept site lacks the object, or holds another version), or names
     * none: deleting would risk the last good copy, so nothing was deleted.
     */
    KEPT_COPY_MISSING("kept_copy_missing", false),
    /** The site cannot delete conditionally (it ignores If-Match on DELETE), so a RETIRE there is refused. */
    UNSAFE_DELETE("unsafe_delete", false),
    /** The dataset key is not canonical ({@code io.tierflow.keys.DatasetKeys}); no site was asked. */
    INVALID_KEY("invalid_key", false),
    /** The site's catalogue entry points elsewhere than this worker's configuration pins it: no request is signed. */
    UNTRUSTED_SITE("untrusted_site", false),
    /** Anything else: a bug or an unexpected answer. Retried, since it may be transient. */
    INTERNAL("internal_error", true);

    private final String code;
    private final boolean retryable;

    ErrorCode(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    /** The error code with this wire form; {@link #INTERNAL} for one this version does not know. */
    public static ErrorCode fromCode(String code) {
        for (ErrorCode value : values()) {
            if (value.code.equals(code)) {
                return value;
            }
        }
        return INTERNAL;
    }

    /** The code as it appears on the wire. */
    public String code() {
        return code;
    }

    /** Whether another attempt may succeed without anything else changing first. */
    public boolean retryable() {
        return retryable;
    }
}
