package io.tierflow.migrator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * An S3-compatible site through the AWS SDK v2 (path-style, as S3Proxy and MinIO serve buckets). Objects carry
 * their SHA-256 in user metadata {@code x-amz-meta-sha256}. Writes from {@code multipartThreshold} on go in parts
 * of {@code partSize}, several in flight in memory within a process-wide budget, so no object is ever held whole.
 */
public final class S3SiteStore implements SiteStore {
    private static final Logger log = LoggerFactory.getLogger(S3SiteStore.class);
    static final String SHA256_METADATA = "sha256";
    /** S3's smallest allowed part (except the last). */
    public static final long MIN_PART_SIZE = 5L << 20;
    /** Our largest part: parts are held in memory (one byte array each). */
    public static final long MAX_PART_SIZE = 1L << 30;

    private final String name;
    private final String bucket;
    private final S3Client s3;
    private final long multipartThreshold;
    private final long partSize;
    private final int partsInFlight;
    private final PartMemory memory;

    public S3SiteStore(String name, URI endpoint, String bucket, AwsBasicCredentials credentials,
            long multipartThreshold, long partSize, int partsInFlight, PartMemory memory) {
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("parts must be 5 MiB to 1 GiB, got " + partSize);
        }
        this.name = name;
        this.bucket = bucket;
        this.multipartThreshold = Math.max(multipartThreshold, 1);
        this.partSize = partSize;
        this.partsInFlight = Math.max(partsInFlight, 1);
        this.memory = memory;
        this.s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                // We hash every byte ourselves (SHA-256, before a write may commit); the SDK's default CRC trailers
                // are not understood by every S3-compatible store.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .putAuthScheme(UnsignedPayloadSigner.scheme())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws IOException {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new ObjectInfo(head.contentLength(), unquote(head.eTag()),
                    head.metadata().get(SHA256_METADATA), head.storageClassAsString()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public ObjectStream open(String key, String versionToken) throws MigrationFailure {
        try {
            // If-Match makes the store refuse another version (412), so no HEAD is needed first: the GET checks the
            // version and an S3 GET serves one version's bytes, whose size, ETag and metadata are in its answer.
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key)
                    .ifMatch(versionToken == null ? null : quote(versionToken)));
            GetObjectResponse object = in.response();
            return new ObjectStream(new ObjectInfo(object.contentLength(), unquote(object.eTag()),
                    object.metadata().get(SHA256_METADATA), object.storageClassAsString()), in);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new MigrationFailure(ErrorCode.MISSING_SOURCE, key + " is not at site " + name, e);
            }
            if (e.statusCode() == 412) {
                throw new MigrationFailure(ErrorCode.VERSION_CONFLICT, key + " at site " + name
                        + " no longer carries version " + versionToken, e);
            }
            throw e;
        }
    }

    @Override
    public WriteResult put(String key, InputStream data, long size, WriteOptions options, LongConsumer progress)
            throws MigrationFailure, IOException {
        VerifyingInputStream verified = new VerifyingInputStream(data, size, options.sha256());
        try {
            String etag = size < multipartThreshold
                    ? putSingle(key, verified, size, options)
                    : putMultipart(key, verified, size, options, progress);
            progress.accept(size);
            return new WriteResult(verified.count(), verified.actualSha256(), etag);
        } catch (SdkException | IllegalStateException | IOException e) {
            if (verified.failure() != null) {
                throw new MigrationFailure(ErrorCode.CHECKSUM_MISMATCH, verified.failure().getMessage() + " (" + key
                        + "); nothing was committed", e);
            }
            if (e instanceof SdkException sdk) {
                throw translateWriteFailure(key, sdk);
            }
            if (e instanceof IOException io) {
                throw io; // reading the source failed
            }
            // The connection broke mid-body and the SDK could not rewind a streamed body to retry it (no
            // mark/reset): a transient failure, retried by the pool, which reopens the source.
            throw new MigrationFailure(ErrorCode.SITE_UNAVAILABLE, "writing " + key + " to site " + name
                    + " was interrupted: " + e.getMessage(), e);
        }
    }

    private String putSingle(String key, VerifyingInputStream verified, long size, WriteOptions options)
            throws MigrationFailure {
        return unquote(s3.putObject(b -> b.bucket(bucket).key(key).contentLength(size)
                        .contentType("application/octet-stream") // form-urlencoded would break the signature
                        .metadata(Map.of(SHA256_METADATA, options.sha256()))
                        // The checksum the bytes must have, known before the first byte is sent: a store that
                        // checks it (S3) refuses bytes changed on the way and keeps it as the object's checksum.
                        .checksumSHA256(base64(options.sha256()))
                        .storageClass(options.storageClass())
                        .serverSideEncryption(options.serverSideEncryption() ? ServerSideEncryption.AES256 : null)
                        .ifNoneMatch(options.replacingVersion() == null ? "*" : null)
                        .ifMatch(options.replacingVersion() == null ? null : quote(options.replacingVersion())),
                RequestBody.fromInputStream(verified, size)).eTag());
    }

    /** The base64 form of a hex SHA-256, as x-amz-checksum-sha256 carries it. */
    static String base64(String hexSha256) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hexSha256));
    }

    /**
     * Parts are read one after another from the single source stream (which hashes every byte) into memory, and up
     * to {@code partsInFlight} of them upload at once, within the process-wide {@link PartMemory} budget. A buffered
     * body can be re-sent, so the SDK may retry a part on its own. (Parts used to be spooled through temporary files;
     * that wrote every large object to disk twice, and the benchmark showed the cost.) The last part is only read, hence only
     * sent, once the whole stream has been verified.
     */
    private String putMultipart(String key, VerifyingInputStream verified, long size, WriteOptions options,
            LongConsumer progress) throws MigrationFailure, IOException {
        abortStaleUploads(key);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
                .contentType("application/octet-stream")
                .metadata(Map.of(SHA256_METADATA, options.sha256()))
                .storageClass(options.storageClass())
                .serverSideEncryption(options.serverSideEncryption() ? ServerSideEncryption.AES256 : null))
                .uploadId();
        boolean completed = false;
        ExecutorService uploads = Executors.newFixedThreadPool(partsInFlight, runnable -> {
            Thread thread = new Thread(runnable, "tierflow-part-upload-" + name);
            thread.setDaemon(true);
            return thread;
        });
        Semaphore slots = new Semaphore(partsInFlight);
        List<Future<CompletedPart>> pending = new ArrayList<>();
        // Releases the budget of every part read, also of those that never got to upload (shut down unstarted).
        List<Runnable> heldParts = new ArrayList<>();
        long[] uploaded = {0};
        try {
            long read = 0;
            for (int number = 1; read < size; number++) {
                long length = Math.min(partSize, size - read);
                slots.acquire();
                try {
                    memory.acquire(length);
                } catch (InterruptedException e) {
                    slots.release();
                    throw e;
                }
                byte[] buffer;
                try (InputStream part = new BoundedInputStream(verified, length)) {
                    buffer = part.readNBytes((int) length);
                } catch (IOException | RuntimeException e) {
                    memory.release(length);
                    slots.release();
                    throw e;
                }
                read += length;
                int partNumber = number;
                AtomicBoolean held = new AtomicBoolean(true);
                heldParts.add(() -> {
                    if (held.compareAndSet(true, false)) {
                        memory.release(length);
                    }
                });
                // A body the SDK can open again, so it may retry the part; the buffer is not copied.
                RequestBody body = RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer), length,
                        "application/octet-stream");
                pending.add(uploads.submit(() -> {
                    try {
                        String etag = unquote(s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                                .partNumber(partNumber).contentLength(length), body).eTag());
                        synchronized (uploaded) {
                            uploaded[0] += length;
                            progress.accept(uploaded[0]);
                        }
                        return CompletedPart.builder().partNumber(partNumber).eTag(quote(etag)).build();
                    } finally {
                        if (held.compareAndSet(true, false)) {
                            memory.release(length);
                        }
                        slots.release();
                    }
                }));
            }
            List<CompletedPart> parts = new ArrayList<>();
            for (Future<CompletedPart> part : pending) {
                parts.add(part.get());
            }
            String etag = unquote(s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))
                    .ifNoneMatch(options.replacingVersion() == null ? "*" : null)
                    .ifMatch(options.replacingVersion() == null ? null : quote(options.replacingVersion())))
                    .eTag());
            completed = true;
            return etag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while uploading " + key, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MigrationFailure failure) {
                throw failure;
            }
            if (cause instanceof SdkException sdk) {
                throw sdk; // translated by put()
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(cause);
        } finally {
            uploads.shutdownNow();
            try {
                // Let in-flight parts end (they fail fast once aborted) before their temp files are gone.
                uploads.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            heldParts.forEach(Runnable::run);
            if (!completed) {
                abortQuietly(key, uploadId);
            }
        }
    }

    /** Aborts uploads of this key that an earlier, killed worker left behind; they would cost storage forever. */
    private void abortStaleUploads(String key) {
        try {
            for (MultipartUpload upload : s3.listMultipartUploads(b -> b.bucket(bucket).prefix(key)).uploads()) {
                if (upload.key().equals(key)) {
                    log.info("aborting stale multipart upload of {} at site {}", key, name);
                    abortQuietly(key, upload.uploadId());
                }
            }
        } catch (S3Exception e) {
            log.debug("site {} cannot list multipart uploads ({}); none aborted", name, e.statusCode());
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            log.warn("could not abort multipart upload of {} at site {}: {}", key, name, e.toString());
        }
    }

    @Override
    public ObjectInfo changeStorageClass(String key, String storageClass, boolean serverSideEncryption)
            throws IOException, MigrationFailure {
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new MigrationFailure(ErrorCode.MISSING_SOURCE, key + " is not at site " + name, e);
        }
        Map<String, String> metadata = new HashMap<>(head.metadata());
        // Server-side copy onto itself: no bytes leave the site. Only if it is still the version we looked at.
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                .copySourceIfMatch(head.eTag())
                .metadataDirective(MetadataDirective.REPLACE)
                .metadata(metadata)
                .contentType(head.contentType())
                .storageClass(storageClass)
                .serverSideEncryption(serverSideEncryption ? ServerSideEncryption.AES256 : null));
        return head(key).orElseThrow(() -> new MigrationFailure(ErrorCode.MISSING_SOURCE,
                key + " vanished from site " + name + " right after its copy"));
    }

    @Override
    public boolean deleteIfVersion(String key, String expectedSha256, String expectedVersionToken)
            throws IOException {
        Optional<ObjectInfo> current = head(key);
        if (current.isEmpty()) {
            return true;
        }
        if (!current.get().isVersion(expectedSha256, expectedVersionToken)) {
            return false;
        }
        try {
            // Conditional on the version just checked, so a newer object written in between is kept where the store
            // honours If-Match on DELETE (S3 does; S3Proxy 4.1 ignores it, see DESIGN.md).
            s3.deleteObject(b -> b.bucket(bucket).key(key).ifMatch(quote(current.get().versionToken())));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return false; // replaced since our look: another version, left alone
            }
            if (e.statusCode() != 404) {
                throw e;
            }
        }
        return true;
    }

    @Override
    public void close() {
        s3.close();
    }

    private MigrationFailure translateWriteFailure(String key, SdkException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof VerifyingInputStream.ChecksumMismatchException) {
                return new MigrationFailure(ErrorCode.CHECKSUM_MISMATCH, t.getMessage() + " (" + key + ")", e);
            }
            if (t instanceof MigrationFailure failure) {
                return failure;
            }
        }
        if (e instanceof S3Exception s3e && s3e.statusCode() == 412) {
            return new MigrationFailure(ErrorCode.VERSION_CONFLICT, "site " + name + " holds another version of "
                    + key + " than the one this write may replace", e);
        }
        return new MigrationFailure(ErrorClassifier.classify(e), "writing " + key + " to site " + name + " failed: "
                + e.getMessage(), e);
    }

    static String unquote(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }

    private static String quote(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }
}
