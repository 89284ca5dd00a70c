package io.tierflow.migrator;

/**
 * How to write a destination copy.
 *
 * @param storageClass storage class to ask for (ignored by sites without classes); null for the site's default
 * @param sha256 the checksum the bytes must have; stored with the object and checked before the write commits
 * @param serverSideEncryption whether to ask the site to encrypt at rest
 * @param replacingVersion version token of the destination object this write may replace, or null when the
 *        destination must not exist, so that a write never clobbers a newer object it did not see
 * @param sequence the per-dataset sequence of the command writing it, stored with the copy so a replayed older
 *        command recognises a newer copy (0: unknown, not stored)
 */
public record WriteOptions(String storageClass, String sha256, boolean serverSideEncryption,
        String replacingVersion, long sequence) {
    public WriteOptions(String storageClass, String sha256, boolean serverSideEncryption, String replacingVersion) {
        this(storageClass, sha256, serverSideEncryption, replacingVersion, 0);
    }
}
