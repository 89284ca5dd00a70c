package io.tierflow.migrator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * A {@code file://} site: objects are files under {@code root}. A write goes to a temporary file in the target's
 * directory, is fsynced and then atomically renamed, so a crash never leaves a partial object under its name.
 * Checksum, version token (the MD5 of the bytes, like a single-part S3 ETag) and storage class live in a sidecar
 * properties file under {@code .tierflow-meta/}, written before the data is renamed into place.
 */
public final class FileSiteStore implements SiteStore {
    static final String META_DIR = ".tierflow-meta";
    private static final int BUFFER = 1 << 16;

    private final String name;
    private final Path root;

    public FileSiteStore(String name, Path root) {
        this.name = name;
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws IOException {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        long size = Files.size(file);
        Properties meta = readMeta(key);
        String token = meta.getProperty("etag",
                size + "-" + Files.getLastModifiedTime(file).toMillis()); // a file we did not write
        return Optional.of(new ObjectInfo(size, token, meta.getProperty("sha256"), meta.getProperty("storageClass")));
    }

    @Override
    public ObjectStream open(String key, String versionToken) throws IOException, MigrationFailure {
        Optional<ObjectInfo> info = head(key);
        if (info.isEmpty()) {
            throw new MigrationFailure(ErrorCode.MISSING_SOURCE, key + " is not at site " + name);
        }
        if (versionToken != null && !versionToken.equals(info.get().versionToken())) {
            throw new MigrationFailure(ErrorCode.VERSION_CONFLICT, key + " at site " + name
                    + " no longer carries version " + versionToken);
        }
        try {
            return new ObjectStream(info.get(), Files.newInputStream(file(key)));
        } catch (NoSuchFileException e) {
            throw new MigrationFailure(ErrorCode.MISSING_SOURCE, key + " is not at site " + name, e);
        }
    }

    @Override
    public WriteResult put(String key, InputStream data, long size, WriteOptions options, LongConsumer progress)
            throws IOException, MigrationFailure {
        Path target = file(key);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tierflow-tmp");
        VerifyingInputStream verified = new VerifyingInputStream(data, size, options.sha256());
        MessageDigest md5 = VerifyingInputStream.newDigest("MD5");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel);
                    InputStream in = new DigestInputStream(verified, md5)) {
                byte[] buffer = new byte[BUFFER];
                long done = 0;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    done += n;
                    progress.accept(done);
                }
                channel.force(true);
            } catch (VerifyingInputStream.ChecksumMismatchException e) {
                throw new MigrationFailure(ErrorCode.CHECKSUM_MISMATCH, e.getMessage() + " (" + key + ")", e);
            }
            String etag = HexFormat.of().formatHex(md5.digest());
            // Not atomic against another writer of the same key (a filesystem has no conditional rename); the
            // pool's per-dataset ordering is what keeps two writers apart.
            Optional<ObjectInfo> current = head(key);
            String replacing = options.replacingVersion();
            if (replacing == null ? current.isPresent() : current.isEmpty()
                    || !replacing.equals(current.get().versionToken())) {
                throw new MigrationFailure(ErrorCode.VERSION_CONFLICT, "site " + name + " holds another version of "
                        + key + " than the one this write may replace");
            }
            Properties meta = new Properties();
            meta.setProperty("sha256", verified.actualSha256());
            meta.setProperty("etag", etag);
            if (options.storageClass() != null) {
                meta.setProperty("storageClass", options.storageClass());
            }
            writeMeta(key, meta);
            move(temp, target);
            return new WriteResult(verified.count(), verified.actualSha256(), etag);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public ObjectInfo changeStorageClass(String key, String storageClass, boolean serverSideEncryption)
            throws IOException, MigrationFailure {
        // A filesystem has one class; remember the requested one so a redelivered command sees it done.
        Properties meta = readMeta(key);
        if (head(key).isEmpty()) {
            throw new MigrationFailure(ErrorCode.MISSING_SOURCE, key + " is not at site " + name);
        }
        meta.setProperty("storageClass", storageClass);
        writeMeta(key, meta);
        return head(key).orElseThrow();
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
        Files.deleteIfExists(file(key));
        Files.deleteIfExists(metaFile(key));
        return true;
    }

    @Override
    public void close() {
    }

    private Path file(String key) {
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root) || file.equals(root) || key.startsWith(META_DIR)) {
            throw new IllegalArgumentException("key " + key + " points outside site " + name);
        }
        return file;
    }

    private Path metaFile(String key) {
        return root.resolve(META_DIR).resolve(key + ".properties").normalize();
    }

    private Properties readMeta(String key) throws IOException {
        Properties meta = new Properties();
        Path file = metaFile(key);
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                meta.load(reader);
            }
        }
        return meta;
    }

    private void writeMeta(String key, Properties meta) throws IOException {
        Path file = metaFile(key);
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (Writer writer = Files.newBufferedWriter(temp)) {
                meta.store(writer, null);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            move(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the filesystem under " + to.getParent() + " cannot rename atomically", e);
        }
    }
}
