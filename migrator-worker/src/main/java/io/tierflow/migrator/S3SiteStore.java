package io.tierflow.migrator;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
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
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * An S3-compatible site through the AWS SDK v2 (path-style, as S3Proxy and MinIO serve buckets). Objects carry
 * their SHA-256 in user metadata {@code x-amz-meta-sha256}. Writes from {@code multipartThreshold} on go in parts
 * of {@code partSize}, several in flight in memory within a process-wide budget, so no object is ever held whole.
 */
public final class S3SiteStore implements SiteStore {
    static final String SHA256_METADATA = "sha256";
    static final String SEQUENCE_METADATA = "tierflow-sequence";
    /** S3's smallest allowed part (except the last). */
    public static final long MIN_PART_SIZE = 5L << 20;
    /** Our largest part: parts are held in memory (one byte array each). */
    public static final long MAX_PART_SIZE = 1L << 30;

    private final String name;
    private final String bucket;
    private final S3Client s3;
    private final long multipartThreshold;
    private final S3MultipartUpload multipart;
    private final S3DeleteSupport deletes;

    public S3SiteStore(String name, URI endpoint, String bucket, AwsBasicCredentials credentials,
            long multipartThreshold, long partSize, int partsInFlight, PartMemory memory) {
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("parts must be 5 MiB to 1 GiB, got " + partSize);
        }
        this.name = name;
        this.bucket = bucket;
        this.multipartThreshold = Math.max(multipartThreshold, 1);
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
        this.deletes = new S3DeleteSupport(name, bucket, s3);
        this.multipart = new S3MultipartUpload(name, bucket, s3, partSize, Math.max(partsInFlight, 1), memory);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws IOException {
        return headResponse(key).map(S3SiteStore::info);
    }

    private Optional<HeadObjectResponse> headResponse(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static ObjectInfo info(HeadObjectResponse head) {
        return new ObjectInfo(head.contentLength(), unquote(head.eTag()), head.metadata().get(SHA256_METADATA),
                head.storageClassAsString(), sequence(head.metadata()));
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
                    object.metadata().get(SHA256_METADATA), object.storageClassAsString(),
                    sequence(object.metadata())), in);
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
                    : multipart.put(key, verified, size, options, progress);
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
                        .metadata(metadata(options))
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
        Optional<HeadObjectResponse> head = headResponse(key);
        if (head.isEmpty()) {
            return true;
        }
        Optional<ObjectInfo> current = head.map(S3SiteStore::info);
        if (!current.get().isVersion(expectedSha256, expectedVersionToken)) {
            return false;
        }
        String versionId = head.get().versionId();
        if (versionId != null && !versionId.equals("null") && versioned()) {
            // A versioned bucket deletes a version by its id: exactly the one just checked, while a version written
            // since is another id and stays (no check-then-delete window, and no delete marker left billing bytes).
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key).versionId(versionId));
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
            }
            return true;
        }
        try {
            // Conditional on the version just checked, so a newer object written in between is kept where the store
            // honours If-Match on DELETE (S3 and S3Proxy 4.1 do; each site is probed once, see S3DeleteSupport).
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

    /** By version id or If-Match, as the bucket allows ({@link S3DeleteSupport} asks it once). */
    @Override
    public boolean deletesConditionally() {
        return deletes.conditional();
    }

    /** Whether the bucket keeps versions, so a RETIRE deletes the version it checked by its id. */
    boolean versioned() {
        return deletes.versioned();
    }

    @Override
    public void close() {
        s3.close();
    }

    /** What every copy carries: its SHA-256, and the sequence of the command that wrote it when known. */
    static Map<String, String> metadata(WriteOptions options) {
        return options.sequence() > 0
                ? Map.of(SHA256_METADATA, options.sha256(), SEQUENCE_METADATA, String.valueOf(options.sequence()))
                : Map.of(SHA256_METADATA, options.sha256());
    }

    private static long sequence(Map<String, String> metadata) {
        try {
            return Long.parseLong(metadata.getOrDefault(SEQUENCE_METADATA, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
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

    static String quote(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }
}
