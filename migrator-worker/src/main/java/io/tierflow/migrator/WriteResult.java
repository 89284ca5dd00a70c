package io.tierflow.migrator;

/**
 * A committed write: what was written, as measured while streaming.
 *
 * @param size bytes written
 * @param sha256 lower-case hex SHA-256 of the bytes written
 * @param versionToken the destination's version token of the new object
 */
public record WriteResult(long size, String sha256, String versionToken) {
}
