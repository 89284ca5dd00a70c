package io.tierflow.cli;

import io.tierflow.cli.traffic.ContentChecksums;
import io.tierflow.cli.traffic.DatasetSpec;
import io.tierflow.localstack.SiteEndpoint;
import io.tierflow.migrator.FileSiteStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Puts generated datasets on a site as real objects, so the inventory describes objects that exist. */
interface SiteUploader extends AutoCloseable {

    /** Where the objects go, for messages. */
    String describe();

    /** Fails with a clear message when the site cannot take objects (unreachable, no bucket, no directory). */
    void check() throws ProduceException;

    /**
     * Stores the dataset's bytes under its key and returns the object's version token: the ETag exactly as the
     * store reports it.
     */
    String put(DatasetSpec dataset, ContentChecksums checksums) throws IOException;

    @Override
    void close();

    /** An S3-compatible site; the bytes are streamed from their generator, never held whole. */
    static SiteUploader s3(SiteEndpoint site, String accessKey, String secretKey) {
        S3Client s3 = site.s3Client(accessKey, secretKey);
        return new SiteUploader() {
            @Override
            public String describe() {
                return "site " + site.name() + " (" + site.endpoint() + ", bucket " + site.bucket() + ")";
            }

            @Override
            public void check() throws ProduceException {
                try {
                    s3.headBucket(b -> b.bucket(site.bucket()));
                } catch (S3Exception e) {
                    throw new ProduceException("site " + site.name() + " at " + site.endpoint() + " answered "
                            + e.statusCode() + " for bucket " + site.bucket() + (e.statusCode() == 403
                                    ? ": wrong credentials? (TIERFLOW_S3_ACCESS_KEY, TIERFLOW_S3_SECRET_KEY)"
                                    : ""), e);
                } catch (SdkException e) {
                    throw new ProduceException("cannot reach site " + site.name() + " at " + site.endpoint()
                            + " (is the local stack running? --site-port " + site.name() + "=PORT if it is "
                            + "elsewhere): " + e.getMessage(), e);
                }
            }

            @Override
            public String put(DatasetSpec dataset, ContentChecksums checksums) throws IOException {
                try {
                    PutObjectResponse response = s3.putObject(b -> b.bucket(site.bucket()).key(dataset.key())
                                    .contentType(dataset.contentType()).contentLength(dataset.sizeBytes()),
                            RequestBody.fromContentProvider(dataset::openContent, dataset.sizeBytes(),
                                    dataset.contentType()));
                    return response.eTag();
                } catch (SdkException e) {
                    throw new IOException("could not upload " + dataset.key() + " to site " + site.name() + " at "
                            + site.endpoint() + ": " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                s3.close();
            }
        };
    }

    /**
     * A {@code file://} site: one file per dataset under the directory, written to a temporary file first and
     * moved into place, so a reader never sees half an object. A file has no ETag; the version token registered is
     * the one the migrator's file store reports for the file as written (it has no sidecar: its size and time), so
     * the migrator finds the version the inventory names and can move the dataset off this site.
     */
    static SiteUploader directory(String name, Path directory) {
        return new SiteUploader() {
            @Override
            public String describe() {
                return "site " + name + " (" + directory.toAbsolutePath() + ")";
            }

            @Override
            public void check() throws ProduceException {
                if (!Files.isDirectory(directory)) {
                    throw new ProduceException("site " + name + " has no directory at " + directory.toAbsolutePath()
                            + ": start the local stack there, or point --data-dir at its data directory");
                }
            }

            @Override
            public String put(DatasetSpec dataset, ContentChecksums checksums) throws IOException {
                Path target = directory.resolve(dataset.key()).normalize();
                if (!target.startsWith(directory.normalize())) {
                    throw new IOException("dataset key " + dataset.key() + " leaves the site directory");
                }
                Files.createDirectories(target.getParent());
                Path partial = Files.createTempFile(target.getParent(), ".upload-", ".partial");
                try (InputStream content = dataset.openContent()) {
                    Files.copy(content, partial, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(partial);
                }
                return new FileSiteStore(name, directory).head(dataset.key())
                        .orElseThrow(() -> new IOException("dataset " + dataset.key() + " is not at site " + name
                                + " right after it was written"))
                        .versionToken();
            }

            @Override
            public void close() {
                // nothing held open
            }
        };
    }
}
