package io.tierflow.migrator;

/**
 * What a site says about one object.
 *
 * @param size bytes
 * @param versionToken the site's version token (ETag, quotes stripped)
 * @param sha256 lower-case hex SHA-256 stored with the object by Tierflow (user metadata {@code sha256}), or null
 * @param storageClass the storage class the site reports, or null when it does not say
 */
public record ObjectInfo(long size, String versionToken, String sha256, String storageClass) {
    /** Whether this object is the expected version: same stored checksum, or else the same version token. */
    public boolean isVersion(String expectedSha256, String expectedVersionToken) {
        if (sha256 != null && expectedSha256 != null && !expectedSha256.isEmpty()) {
            return sha256.equalsIgnoreCase(expectedSha256);
        }
        return versionToken != null && versionToken.equals(S3SiteStore.unquote(expectedVersionToken));
    }
}
