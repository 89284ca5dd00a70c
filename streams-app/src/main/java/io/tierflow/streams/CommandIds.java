package io.tierflow.streams;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic command ids: the same dataset state and step always give the same id, so replays match. */
final class CommandIds {
    /**
     * Cloned for each id: {@code MessageDigest.getInstance} looks the algorithm up among the security providers on
     * every call, which was a large part of what an id cost when a whole inventory gets its first commands at once.
     */
    private static final MessageDigest SHA_256 = sha256();

    private CommandIds() {
    }

    static String of(String key, String action, String source, String destination, String storageClass,
            String versionToken, long sequence) {
        String material = String.join("\u0000", key, action, source, destination, storageClass,
                versionToken == null ? "" : versionToken, Long.toString(sequence));
        byte[] digest = newDigest().digest(material.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private static MessageDigest newDigest() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return sha256(); // a provider whose digest cannot be cloned: look it up each time
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
