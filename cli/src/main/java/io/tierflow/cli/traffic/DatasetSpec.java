package io.tierflow.cli.traffic;

import io.tierflow.schemas.Dataset;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * One generated dataset: what the inventory says about it and the seed of its bytes. The bytes themselves are
 * made on demand by {@link #openContent()}, always the same for the same spec, so they can be hashed and then
 * uploaded without ever being held in memory whole.
 *
 * @param rank popularity rank, 1 being the most accessed
 * @param key dataset key, also the object key on a site
 * @param primarySite site that holds the dataset and serves its reads
 * @param contentSeed seed of the pseudo-random bytes of the object
 */
public record DatasetSpec(int rank, String key, long sizeBytes, String contentType, String owner,
        String primarySite, long contentSeed) {

    /** Storage class every generated dataset starts in: new data lands hot. */
    public static final String STORAGE_CLASS = "STANDARD";

    /** The object's bytes: {@code sizeBytes} pseudo-random bytes, the same on every call. */
    public InputStream openContent() {
        return new SyntheticContent(contentSeed, sizeBytes);
    }

    /** The inventory record for this dataset, once its checksum and version token are known. */
    public Dataset toRecord(String sha256, String versionToken, Instant updatedAt) {
        return new Dataset(key, sizeBytes, contentType, owner, null, versionToken, sha256, primarySite, List.of(),
                STORAGE_CLASS, updatedAt);
    }
}
