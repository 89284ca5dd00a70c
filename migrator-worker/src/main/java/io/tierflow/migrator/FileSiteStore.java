package io.tierflow.migrator;

import io.tierflow.keys.DatasetKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code file://} site: objects are files under {@code root}, named by canonical keys only
 * ({@link DatasetKeys}), so no key reaches outside the root. A write goes to a temporary file in the target's
 * directory, is fsynced and then atomically renamed, so a crash never leaves a partial object under its name.
 * Checksum, version token (the MD5 of the bytes, like a single-part S3 ETag), storage class, and the size and
 * modification time of the file as written live in a sidecar ({@link SidecarFiles}), written before the data is
 * renamed into place. A file changed behind the store's back (size or time differ from the sidecar) is reported as an object
 * Tierflow did not write. A delete renames the file aside, checks the bytes set aside, and only then unlinks them.
 */
public final class FileSiteStore implements SiteStore {
    private static final Logger log = LoggerFactory.getLogger(FileSiteStore.class);
    private static final int BUFFER = 1 << 16;

    /** Makes {@code link} a second name of {@code existing}'s file; fails if {@code link} exists. */
    interface Linker {
        void link(Path link, Path existing) throws IOException;
    }

    private final String name;
    private final Path root;
    private final Linker linker;
    private final SidecarFiles sidecars;

    public FileSiteStore(String name, Path root) {
        this(name, root, Files::createLink);
    }

    /** A store putting files back with {@code linker} (tests: a file system that refuses hard links). */
    FileSiteStore(String name, Path root, Linker linker) {
        this.name = name;
        this.root = root.toAbsolutePath().normalize();
        this.linker = linker;
        this.sidecars = new SidecarFiles(this.root);
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
        long modified = Files.getLastModifiedTime(file).toMillis();
        Properties meta = sidecars.read(key);
        String foreignToken = size + "-" + modified;
        if (meta.getProperty("etag") == null || !SidecarFiles.describe(meta, size, modified)) {
            // A file we did not write, or one rewritten in place since: nothing in the sidecar describes it.
            return Optional.of(new ObjectInfo(size, foreignToken, null, null));
        }
        return Optional.of(new ObjectInfo(size, meta.getProperty("etag"), meta.getProperty("sha256"),
                meta.getProperty("storageClass"), Long.parseLong(meta.getProperty("sequence", "0"))));
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
        if (Files.isDirectory(target)) {
            throw new InvalidKeyException(key, "other keys of site " + name + " are under it (it is a directory)");
        }
        Files.createDirectories(target.getParent());
        // A short name of its own: the key's last segment may already be as long as the file system allows.
        Path temp = target.resolveSibling("." + UUID.randomUUID() + ".tierflow-tmp");
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
            meta.setProperty("key", key);
            meta.setProperty("sha256", verified.actualSha256());
            meta.setProperty("etag", etag);
            meta.setProperty("size", String.valueOf(Files.size(temp)));
            meta.setProperty("mtime", String.valueOf(Files.getLastModifiedTime(temp).toMillis())); // kept by rename
            if (options.storageClass() != null) {
                meta.setProperty("storageClass", options.storageClass());
            }
            if (options.sequence() > 0) {
                meta.setProperty("sequence", String.valueOf(options.sequence()));
            }
            sidecars.write(key, meta);
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
        Optional<ObjectInfo> current = head(key);
        if (current.isEmpty()) {
            throw new MigrationFailure(ErrorCode.MISSING_SOURCE, key + " is not at site " + name);
        }
        if (!current.get().writtenByTierflow()) {
            throw new MigrationFailure(ErrorCode.VERSION_CONFLICT, key + " at site " + name
                    + " was not written by Tierflow (or was changed since); its class is left alone");
        }
        Properties meta = sidecars.read(key);
        meta.setProperty("storageClass", storageClass);
        sidecars.write(key, meta);
        return head(key).orElseThrow();
    }

    /**
     * Renames the file aside (atomic: a writer of the key from then on creates a new file, which is not touched),
     * checks that the bytes set aside are the expected version, and only then unlinks them. Bytes that turn out to be
     * another version are put back, or, if the key was written again meanwhile, kept aside under a name that says so.
     */
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
        boolean bySha = expectedSha256 != null && !expectedSha256.isEmpty();
        return deleteAside(key, bySha ? "SHA-256" : "MD5", bySha ? expectedSha256
                : S3SiteStore.unquote(expectedVersionToken));
    }

    /**
     * As {@link #deleteIfVersion}, but the bytes set aside must hash (SHA-256) to what was read: a corrupt file no
     * longer hashes to the checksum or MD5 its sidecar records, so checking against those would put it back every time
     * (and the next COPY would take it for a finished copy, and the next SWITCH find it corrupt again).
     */
    @Override
    public boolean deleteCorrupt(String key, String versionToken, String readSha256) throws IOException {
        Optional<ObjectInfo> current = head(key);
        if (current.isEmpty()) {
            return true;
        }
        if (!current.get().isVersion(null, versionToken)) {
            return false;
        }
        return deleteAside(key, "SHA-256", readSha256);
    }

    /** Renames the key's file aside and unlinks it if its bytes hash to {@code expectedHex}, else puts it back. */
    private boolean deleteAside(String key, String algorithm, String expectedHex) throws IOException {
        Path file = file(key);
        Path aside = file.resolveSibling("." + UUID.randomUUID() + ".tierflow-retiring");
        try {
            move(file, aside);
        } catch (NoSuchFileException e) {
            return true; // gone since the look
        }
        if (!hashOf(aside, algorithm).equalsIgnoreCase(expectedHex)) {
            putBack(key, file, aside);
            return false;
        }
        Files.delete(aside);
        Optional<ObjectInfo> after = head(key);
        if (after.isEmpty()) {
            sidecars.delete(key);
        }
        return true;
    }

    /**
     * Puts bytes set aside back under the key. A hard link does it without replacing a file written there meanwhile;
     * where the file system refuses one, a rename that refuses to replace does (it checks first, so a write landing in
     * between is the only thing it could lose). Whatever fails, the bytes are never unlinked: they stay aside, logged.
     */
    private void putBack(String key, Path file, Path aside) throws IOException {
        try {
            try {
                linker.link(file, aside);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (IOException | UnsupportedOperationException e) {
                log.warn("site {}: no hard link to put {} back ({}); renaming it back instead", name,
                        InvalidKeyException.printable(key), e.toString());
                Files.move(aside, file); // without REPLACE_EXISTING: refuses if the key was written again
                return;
            }
        } catch (FileAlreadyExistsException e) {
            Path kept = file.resolveSibling("." + UUID.randomUUID() + ".tierflow-kept");
            move(aside, kept);
            log.warn("site {}: {} changed while it was being retired and was written again since; the version "
                    + "set aside is kept at {}", name, InvalidKeyException.printable(key), kept);
        } catch (IOException e) {
            log.error("site {}: {} could not be put back; its bytes are kept at {}", name,
                    InvalidKeyException.printable(key), aside, e);
            throw e;
        }
        Files.delete(aside); // back under the key by the link: the second name goes
    }

    private static String hashOf(Path file, String algorithm) throws IOException {
        MessageDigest digest = VerifyingInputStream.newDigest(algorithm);
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A rename is atomic and the aside file is checked before it is unlinked: always conditional. */
    @Override
    public boolean deletesConditionally() {
        return true;
    }

    @Override
    public void close() {
    }

    /** The key's file: only for a canonical key, which can name nothing outside the root nor the sidecars. */
    private Path file(String key) {
        Optional<String> invalid = DatasetKeys.problem(key);
        if (invalid.isPresent()) {
            throw new InvalidKeyException(key, invalid.get());
        }
        String metaDir = SidecarFiles.META_DIR;
        if (key.equals(metaDir) || key.startsWith(metaDir + "/")) {
            throw new InvalidKeyException(key, "it names the store's own metadata directory " + metaDir);
        }
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root) || file.equals(root)) { // cannot happen for a canonical key; kept as a guard
            throw new InvalidKeyException(key, "it points outside site " + name);
        }
        return file;
    }

    /** Renames atomically, replacing {@code to}: a reader sees the old file or the new one, whole. */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the filesystem under " + to.getParent() + " cannot rename atomically", e);
        }
    }
}
