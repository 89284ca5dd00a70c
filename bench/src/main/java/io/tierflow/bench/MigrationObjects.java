package io.tierflow.bench;

import io.tierflow.localstack.LocalStack;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The migration benchmark's objects: put once on the source site, cleared from the destination before each run. */
final class MigrationObjects {
    static final String PREFIX = "bench/";

    /** An object put on the source site. */
    record Seeded(String key, long size, String etag, String sha256) {
    }

    private final MigrationBenchmark.Settings settings;
    private final Progress progress;
    private final LocalStack stack;

    MigrationObjects(MigrationBenchmark.Settings settings, Progress progress, LocalStack stack) {
        this.settings = settings;
        this.progress = progress;
        this.stack = stack;
    }

    /** Random (incompressible) objects, streamed up with their SHA-256 computed on the way. */
    List<Seeded> seed() throws Exception {
        progress.say("putting %d × %d bytes and %d × %d bytes on site %s", settings.smallObjects(),
                settings.smallSize(), settings.largeObjects(), settings.largeSize(), settings.from());
        List<Seeded> objects = new ArrayList<>();
        try (S3Client s3 = stack.s3Client(settings.from())) {
            for (int i = 0; i < settings.largeObjects() + settings.smallObjects(); i++) {
                boolean large = i < settings.largeObjects();
                String key = PREFIX + (large ? "large/" + i : "small/" + i);
                long size = large ? settings.largeSize() : settings.smallSize();
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                try (InputStream in = new DigestInputStream(new RandomBytes(i, size), sha256)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                long seed = i;
                // A provider, not a stream: the SDK may need to send the body again (a retry), and can re-create it.
                String etag = s3.putObject(b -> b.bucket(LocalStack.BUCKET).key(key).contentLength(size)
                        .contentType("application/octet-stream"), RequestBody.fromContentProvider(
                                () -> new RandomBytes(seed, size), size, "application/octet-stream")).eTag();
                objects.add(new Seeded(key, size, etag.replace("\"", ""), HexFormat.of().formatHex(sha256.digest())));
            }
        }
        return objects;
    }

    void clearDestination() {
        List<S3Object> objects = destinationObjects();
        try (S3Client s3 = stack.s3Client(settings.to())) {
            for (int i = 0; i < objects.size(); i += 1000) {
                List<ObjectIdentifier> batch = objects.subList(i, Math.min(i + 1000, objects.size())).stream()
                        .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
                s3.deleteObjects(b -> b.bucket(LocalStack.BUCKET).delete(d -> d.objects(batch)));
            }
        }
        if (!destinationObjects().isEmpty()) {
            throw new IllegalStateException("could not clear site " + settings.to() + " before a run");
        }
    }

    List<S3Object> destinationObjects() {
        try (S3Client s3 = stack.s3Client(settings.to())) {
            return s3.listObjectsV2Paginator(b -> b.bucket(LocalStack.BUCKET).prefix(PREFIX)).contents().stream()
                    .toList();
        }
    }
}
