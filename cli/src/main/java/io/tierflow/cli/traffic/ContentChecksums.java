package io.tierflow.cli.traffic;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 and MD5 of an object's bytes, computed in one pass. SHA-256 is what Tierflow verifies copies against;
 * MD5 is what an S3 store reports as the ETag of an object uploaded in one part.
 *
 * @param sha256 lower-case hex SHA-256
 * @param md5 lower-case hex MD5
 */
public record ContentChecksums(String sha256, String md5) {

    public static ContentChecksums of(InputStream content) throws IOException {
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = content.read(buffer)) != -1) {
            sha256.update(buffer, 0, n);
            md5.update(buffer, 0, n);
        }
        HexFormat hex = HexFormat.of();
        return new ContentChecksums(hex.formatHex(sha256.digest()), hex.formatHex(md5.digest()));
    }

    /** The ETag an S3 store gives the object when it is uploaded in one part: the quoted hex MD5. */
    public String singlePartEtag() {
        return "\"" + md5 + "\"";
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM, which every JVM must have", e);
        }
    }
}
