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

    @Test
    void shouldRefuseKeysOutsideTheSite() {
        assertThrows(IllegalArgumentException.class, () -> store().head("../escape"));
    }
}
