package io.tierflow.migrator;

import static io.tierflow.migrator.S3SiteStore.quote;
import static io.tierflow.migrator.S3SiteStore.unquote;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The multipart writes of one S3 site: parts in memory within a process-wide budget, several in flight. */
final class S3MultipartUpload {
    private static final Logger log = LoggerFactory.getLogger(S3MultipartUpload.class);

    private final String name;
    private final String bucket;
    private final S3Client s3;
    private final long partSize;
    private final int partsInFlight;
    private final PartMemory memory;

    S3MultipartUpload(String name, String bucket, S3Client s3, long partSize, int partsInFlight, PartMemory memory) {
        this.name = name;
        this.bucket = bucket;
        this.s3 = s3;
        this.partSize = partSize;
        this.partsInFlight = partsInFlight;
        this.memory = memory;
    }

    /**
     * Parts are read one after another from the single source stream (which hashes every byte) into memory, and up
     * to {@code partsInFlight} of them upload at once, within the process-wide {@link PartMemory} budget. A buffered
     * body can be re-sent, so the SDK may retry a part on its own. (Parts used to be spooled through temporary files;
     * that wrote every large object to disk twice, and the benchmark showed the cost.) The last part is only read, hence only
     * sent, once the whole stream has been verified.
     */
    String put(String key, VerifyingInputStream verified, long size, WriteOptions options,
            LongConsumer progress) throws MigrationFailure, IOException {
        abortStaleUploads(key);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
                .contentType("application/octet-stream")
                .metadata(S3SiteStore.metadata(options))
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
}
