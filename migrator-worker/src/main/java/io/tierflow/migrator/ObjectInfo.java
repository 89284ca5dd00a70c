package io.tierflow.migrator;

/**
 * What a site says about one object.
 *
 * @param size bytes
 * @param versionToken the site's version token (ETag, quotes stripped)
 * @param sha256 lower-case hex SHA-256 stored with the object by Tierflow (user metadata {@code sha256}), or null
 *        for an object Tierflow did not write (the owner's, or one changed behind the store's back)
 * @param storageClass the storage class the site reports, or null when it does not say
 * @param sequence the per-dataset sequence of the command that wrote this copy (user metadata
 *        {@code tierflow-sequence}); 0 when unknown
 */
public record ObjectInfo(long size, String versionToken, String sha256, String storageClass, long sequence) {
    public ObjectInfo(long size, String versionToken, String sha256, String storageClass) {
        this(size, versionToken, sha256, storageClass, 0);
    }

    /** Whether this object is the expected version: same stored checksum, or else the same version token. */
    public boolean isVersion(String expectedSha256, String expectedVersionToken) {
        if (sha256 != null && expectedSha256 != null && !expectedSha256.isEmpty()) {
            return sha256.equalsIgnoreCase(expectedSha256);
        }
        return versionToken != null && versionToken.equals(S3SiteStore.unquote(expectedVersionToken));
    }

    /** Whether Tierflow wrote this object (it carries the checksum Tierflow stores with every copy). */
    public boolean writtenByTierflow() {
        return sha256 != null;
    }
}
