package io.tierflow.migrator;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Properties;
import java.util.UUID;

/**
 * The sidecars of a {@code file://} site: for each key, a properties file under {@code .tierflow-meta/} holding what
 * the object's bytes cannot say (checksum, version token, storage class, sequence, and the size and modification time
 * of the file as written). A sidecar is named by the SHA-256 of its key, so it is inside the root and of bounded length
 * for every key, and written whole or not at all (temporary file, fsync, atomic rename). Sidecars named by the key
 * itself, as earlier versions wrote them, are still read, and replaced on the next write.
 */
final class SidecarFiles {
    static final String META_DIR = ".tierflow-meta";

    private final Path root;

    SidecarFiles(Path root) {
        this.root = root;
    }

    /** Whether {@code meta} describes the file as it is now: one rewritten in place since has another size or time. */
    static boolean describe(Properties meta, long size, long modified) {
        String writtenSize = meta.getProperty("size");
        String writtenAt = meta.getProperty("mtime");
        // Sidecars from before they recorded the file are trusted as they were.
        return (writtenSize == null || writtenSize.equals(String.valueOf(size)))
                && (writtenAt == null || writtenAt.equals(String.valueOf(modified)));
    }

    /** The key's sidecar; empty if it has none. */
    Properties read(String key) throws IOException {
        Properties meta = new Properties();
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            file = legacyFile(key);
        }
        try {
            if (file != null && Files.isRegularFile(file)) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    meta.load(reader);
                }
            }
        } catch (FileSystemException e) {
            // e.g. a legacy sidecar name too long for the file system: there is none
        }
        return meta;
    }

    void write(String key, Properties meta) throws IOException {
        delete(key); // a legacy sidecar must not outlive the one that replaces it
        Path file = file(key);
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (Writer writer = Files.newBufferedWriter(temp)) {
                meta.store(writer, null);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            FileSiteStore.move(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    void delete(String key) throws IOException {
        Files.deleteIfExists(file(key));
        Path legacy = legacyFile(key);
        try {
            if (legacy != null) {
                Files.deleteIfExists(legacy);
            }
        } catch (FileSystemException e) {
            // a name the file system could not have held: there is none
        }
    }

    private Path file(String key) {
        String hash = HexFormat.of().formatHex(VerifyingInputStream.newDigest("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8)));
        return root.resolve(META_DIR).resolve(hash.substring(0, 2)).resolve(hash + ".properties");
    }

    /** Where sidecars were before they were named by hash; read only, for files written by earlier versions. */
    private Path legacyFile(String key) {
        Path file = root.resolve(META_DIR).resolve(key + ".properties").normalize();
        return file.startsWith(root.resolve(META_DIR)) ? file : null;
    }
}
