package io.tierflow.streams;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic command ids: the same dataset state and step always give the same id, so replays match. */
final class CommandIds {
    private CommandIds() {
    }

    static String of(String key, String action, String source, String destination, String storageClass,
            String versionToken, long sequence) {
        String material = String.join("\u0000", key, action, source, destination, storageClass,
                versionToken == null ? "" : versionToken, Long.toString(sequence));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
