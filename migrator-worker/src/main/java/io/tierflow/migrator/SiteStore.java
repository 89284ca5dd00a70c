package io.tierflow.migrator;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.LongConsumer;

/** Objects at one site (S3-compatible or {@code file://}), addressed by dataset key. */
public interface SiteStore extends AutoCloseable {
    /** Site name, as in the {@code sites} catalogue. */
    String name();

    /** The object's size, version token and stored checksum; empty when there is no such object. */
    Optional<ObjectInfo> head(String key) throws IOException;

    /**
     * The object's bytes with what the store says about them, only if it still carries {@code versionToken} (bare,
     * as in {@link ObjectInfo}, without the quotes of an S3 ETag header; null: any version), in one request where the
     * store allows. Throws {@link MigrationFailure} with
     * {@link ErrorCode#VERSION_CONFLICT} or {@link ErrorCode#MISSING_SOURCE}.
     */
    ObjectStream open(String key, String versionToken) throws IOException, MigrationFailure;

    /**
     * Writes {@code size} bytes from {@code data}, streaming, so that either the whole verified object becomes
     * visible or nothing does: a stream whose bytes do not hash to {@code options.sha256()} fails with
     * {@link ErrorCode#CHECKSUM_MISMATCH} before the write commits. {@code progress} gets bytes written so far.
     */
    WriteResult put(String key, InputStream data, long size, WriteOptions options, LongConsumer progress)
            throws IOException, MigrationFailure;

    /** Rewrites the object in place with another storage class, keeping its bytes and checksum, on the site. */
    ObjectInfo changeStorageClass(String key, String storageClass, boolean serverSideEncryption)
            throws IOException, MigrationFailure;

    /**
     * Deletes the object only if it still is the expected version (stored sha256, else version token); true when
     * it was deleted or was already gone, false when another version is there and was left alone.
     */
    boolean deleteIfVersion(String key, String expectedSha256, String expectedVersionToken) throws IOException;

    /**
     * Deletes an object found corrupt, only if it still is the object just read: version {@code versionToken}, with
     * bytes that hash to {@code readSha256} (what was read, not the checksum the object claims, which is what
     * {@link #deleteIfVersion} would check the bytes against). True when deleted or already gone. A store that tells
     * versions apart by their token alone (S3: the ETag its DELETE is conditioned on) deletes by the token.
     */
    default boolean deleteCorrupt(String key, String versionToken, String readSha256) throws IOException {
        return deleteIfVersion(key, null, versionToken);
    }

    /**
     * Whether {@link #deleteIfVersion} is conditional at the store itself (a delete that cannot remove another
     * version written after the check), as opposed to a check followed by a plain delete. May ask the store once.
     */
    boolean deletesConditionally() throws IOException;

    @Override
    void close();
}
