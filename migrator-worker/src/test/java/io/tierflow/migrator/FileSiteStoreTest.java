package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSiteStoreTest {
    private static final String KEY = "données/ß-✓.bin";
    private static final byte[] BYTES = "hello, tiers".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    private FileSiteStore store() {
        return new FileSiteStore("onprem", root);
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(VerifyingInputStream.newDigest("SHA-256").digest(bytes));
    }

    @Test
    void shouldWriteVerifiedObjectsAndReportTheirChecksum() throws Exception {
        WriteResult written = store().put(KEY, new ByteArrayInputStream(BYTES), BYTES.length,
                new WriteOptions("STANDARD", sha256(BYTES), false, null), done -> { });

        assertEquals(sha256(BYTES), written.sha256());
        ObjectInfo info = store().head(KEY).orElseThrow();
        assertEquals(BYTES.length, info.size());
        assertEquals(sha256(BYTES), info.sha256());
        assertEquals(written.versionToken(), info.versionToken());
        try (ObjectStream in = store().open(KEY, info.versionToken())) {
            assertEquals(info, in.info());
            assertArrayEquals(BYTES, in.bytes().readAllBytes());
        }
    }

    @Test
    void shouldLeaveNothingVisibleWhenTheBytesDoNotMatchTheChecksum() throws Exception {
        MigrationFailure failure = assertThrows(MigrationFailure.class, () -> store().put(KEY,
                new ByteArrayInputStream(BYTES), BYTES.length, new WriteOptions(null, sha256(new byte[1]), false,
                        null), done -> { }));

        assertEquals(ErrorCode.CHECKSUM_MISMATCH, failure.code());
        assertTrue(store().head(KEY).isEmpty());
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "no temporary file left behind");
        }
    }

    @Test
    void shouldNotOverwriteAnObjectItDidNotExpect() throws Exception {
        store().put(KEY, new ByteArrayInputStream(BYTES), BYTES.length,
                new WriteOptions(null, sha256(BYTES), false, null), done -> { });

        MigrationFailure failure = assertThrows(MigrationFailure.class, () -> store().put(KEY,
                new ByteArrayInputStream(BYTES), BYTES.length, new WriteOptions(null, sha256(BYTES), false, null),
                done -> { }));
        assertEquals(ErrorCode.VERSION_CONFLICT, failure.code());
    }

    @Test
    void shouldDeleteOnlyTheExpectedVersion() throws Exception {
        store().put(KEY, new ByteArrayInputStream(BYTES), BYTES.length,
                new WriteOptions(null, sha256(BYTES), false, null), done -> { });

        assertFalse(store().deleteIfVersion(KEY, sha256(new byte[1]), "other"));
        assertTrue(store().head(KEY).isPresent());
        assertTrue(store().deleteIfVersion(KEY, sha256(BYTES), null));
        assertTrue(store().head(KEY).isEmpty());
        assertTrue(store().deleteIfVersion(KEY, sha256(BYTES), null), "already gone counts as done");
    }

    /** Bits flipped in place (bit rot): the sidecar still describes the file, the bytes no longer match it. */
    @Test
    void shouldDeleteACorruptFileOnlyWhileItHoldsTheBytesThatWereRead() throws Exception {
        store().put(KEY, new ByteArrayInputStream(BYTES), BYTES.length,
                new WriteOptions(null, sha256(BYTES), false, null), done -> { });
        Path file = root.resolve(KEY);
        byte[] rotten = rot(file);
        ObjectInfo seen = store().head(KEY).orElseThrow();
        assertEquals(sha256(BYTES), seen.sha256(), "it still claims the checksum it was written with");

        assertFalse(store().deleteIfVersion(KEY, null, seen.versionToken()),
                "its bytes are not the version its token names: a version check cannot remove it");
        assertFalse(store().deleteCorrupt(KEY, seen.versionToken(), sha256(BYTES)), "not the bytes that were read");
        assertArrayEquals(rotten, Files.readAllBytes(file), "put back both times");

        assertTrue(store().deleteCorrupt(KEY, seen.versionToken(), sha256(rotten)));
        assertTrue(store().head(KEY).isEmpty());
    }

    @Test
    void shouldPutTheOriginalBackWhereTheFileSystemRefusesHardLinks() throws Exception {
        FileSiteStore noLinks = new FileSiteStore("onprem", root, (link, existing) -> {
            throw new java.nio.file.FileSystemException(link.toString(), existing.toString(),
                    "Operation not permitted");
        });
        noLinks.put(KEY, new ByteArrayInputStream(BYTES), BYTES.length,
                new WriteOptions(null, sha256(BYTES), false, null), done -> { });
        Path file = root.resolve(KEY);
        byte[] rotten = rot(file);

        assertFalse(noLinks.deleteIfVersion(KEY, sha256(BYTES), null), "the bytes aside are not the version");

        assertArrayEquals(rotten, Files.readAllBytes(file), "the original is back under its key");
        assertEquals(sha256(BYTES), noLinks.head(KEY).orElseThrow().sha256(), "with its sidecar");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(java.util.List.of(file), files.toList(), "nothing left aside");
        }
    }

    /** Flips a bit of the file in place, keeping its size and modification time, and returns its bytes now. */
    private static byte[] rot(Path file) throws java.io.IOException {
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file);
        byte[] rotten = Files.readAllBytes(file);
        rotten[3] ^= 0x20;
        Files.write(file, rotten);
        Files.setLastModifiedTime(file, modified);
        return rotten;
    }

    @Test
    void shouldRefuseKeysOutsideTheSite() {
        assertThrows(InvalidKeyException.class, () -> store().head("../escape"));
    }

    /** The owner's tool rewrites the file; the sidecar still describes the version Tierflow wrote. */
    @Test
    void shouldNotDeleteAFileRewrittenBehindItsBack() throws Exception {
        store().put(KEY, new ByteArrayInputStream(BYTES), BYTES.length,
                new WriteOptions(null, sha256(BYTES), false, null), done -> { });
        byte[] newer = "HELLO, TIERS".getBytes(StandardCharsets.UTF_8); // same size
        Path file = root.resolve(KEY);
        Path temp = file.resolveSibling("owner.tmp");
        Files.write(temp, newer);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        ObjectInfo seen = store().head(KEY).orElseThrow();
        assertFalse(seen.writtenByTierflow(), "the sidecar no longer describes the file");
        assertFalse(store().deleteIfVersion(KEY, sha256(BYTES), null));
        assertArrayEquals(newer, Files.readAllBytes(file));
    }

    /**
     * An owner writing new versions while RETIREs of the old one run: whichever comes first, a version the delete was
     * not told about is never removed. Many rounds, the owner's write at a random moment of each.
     */
    @Test
    void shouldNeverDeleteAVersionWrittenWhileItIsBeingDeleted() throws Exception {
        java.util.Random random = new java.util.Random(18);
        Path file = root.resolve(KEY);
        for (int round = 0; round < 200; round++) {
            byte[] old = ("old " + round).getBytes(StandardCharsets.UTF_8);
            byte[] newer = ("new " + round).getBytes(StandardCharsets.UTF_8);
            Files.deleteIfExists(file);
            store().put(KEY, new ByteArrayInputStream(old), old.length, new WriteOptions(null, sha256(old), false,
                    null), done -> { });
            long delayNanos = random.nextInt(300_000);
            Thread owner = new Thread(() -> {
                long until = System.nanoTime() + delayNanos;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                try {
                    Path temp = file.resolveSibling("owner-" + delayNanos);
                    Files.write(temp, newer);
                    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            owner.start();
            store().deleteIfVersion(KEY, sha256(old), null);
            owner.join();

            assertTrue(Files.isRegularFile(file), "round " + round + ": the owner's version was deleted");
            assertArrayEquals(newer, Files.readAllBytes(file), "round " + round);
        }
    }

    /**
     * Random keys of every bad shape (and good ones) written, read and deleted: the bad ones are refused as bad keys
     * before any file is touched, and nothing ever appears outside the site's root, whose tree holds only the good
     * keys' files and the sidecars.
     */
    @Test
    void shouldKeepEveryKeyInsideItsRoot(@TempDir Path sandbox) throws Exception {
        Path siteRoot = sandbox.resolve("site");
        Files.createDirectories(sandbox.resolve("outside"));
        FileSiteStore store = new FileSiteStore("fuzz", siteRoot);
        CircuitBreaker breaker = new CircuitBreaker(3, java.time.Duration.ofSeconds(30), java.time.Clock.systemUTC());
        SiteStore guarded = new GuardedSiteStore(store, breaker);
        java.util.Random random = new java.util.Random(20261207L);
        String[] pieces = {"a", "b", "..", ".", "/", "/", "\\", "\u0000", "\n", "\u007f", "é", "数据", "x".repeat(256),
            ".tierflow-meta", "~", " ", ":", "%2e%2e"};
        java.util.Set<String> written = new java.util.HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            StringBuilder key = new StringBuilder(random.nextBoolean() ? "" : "/");
            for (int n = random.nextInt(6); n >= 0; n--) {
                key.append(pieces[random.nextInt(pieces.length)]);
            }
            String candidate = key.toString();
            byte[] bytes = candidate.getBytes(StandardCharsets.UTF_8);
            boolean canonical = io.tierflow.keys.DatasetKeys.isCanonical(candidate);
            try {
                guarded.put(candidate, new ByteArrayInputStream(bytes), bytes.length,
                        new WriteOptions(null, sha256(bytes), false, null), done -> { });
                assertTrue(canonical, "accepted a key that is not canonical: " + candidate);
                written.add(candidate);
                assertTrue(guarded.head(candidate).isPresent());
                if (random.nextBoolean()) {
                    assertTrue(guarded.deleteIfVersion(candidate, sha256(bytes), null));
                    written.remove(candidate);
                }
            } catch (Exception e) {
                ErrorCode code = ErrorClassifier.classify(e);
                if (!canonical || !(e instanceof MigrationFailure)) {
                    assertEquals(ErrorCode.INVALID_KEY, code, candidate + ": " + e);
                }
            }
        }
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state(), "bad keys are the command's fault, not the site's");
        try (Stream<Path> outside = Files.walk(sandbox.resolve("outside"))) {
            assertEquals(1, outside.count(), "nothing written outside the root");
        }
        try (Stream<Path> all = Files.list(sandbox)) {
            assertEquals(java.util.Set.of(siteRoot, sandbox.resolve("outside")), all.collect(
                    java.util.stream.Collectors.toSet()), "nothing next to the root either");
        }
        try (Stream<Path> files = Files.walk(siteRoot)) {
            java.util.Set<String> found = files.filter(Files::isRegularFile).map(siteRoot::relativize)
                    .map(FileSiteStoreTest::asKey)
                    .filter(p -> !p.startsWith(SidecarFiles.META_DIR + "/")).collect(java.util.stream.Collectors.toSet());
            assertEquals(written, found, "the tree holds exactly the good keys written and not deleted");
        }
    }

    /** A path under the root as the key it holds: its names joined by '/' (a backslash is part of a name here). */
    private static String asKey(Path relative) {
        java.util.StringJoiner key = new java.util.StringJoiner("/");
        relative.forEach(name -> key.add(name.toString()));
        return key.toString();
    }
}
