package io.tierflow.keys;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one rule for what a dataset key may be, so the stream edge (dead letter) and every site store (refusal)
 * agree: a relative path of non-empty segments that means the same object on S3 and on a file system. A key is
 * canonical when it is 1 to 1024 bytes of UTF-8 (S3's limit), has no leading, trailing or doubled {@code /}, no
 * {@code .} or {@code ..} segment, no segment over 255 bytes (the usual file-name limit), no control character
 * (NUL included) and no backslash (a separator on some file systems).
 */
public final class DatasetKeys {
    /** S3's key limit, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** The file-name limit of ext4, XFS, APFS and NTFS, in bytes. */
    public static final int MAX_SEGMENT_BYTES = 255;

    private DatasetKeys() {
    }

    /** Why {@code key} is not canonical, or empty when it is. */
    public static Optional<String> validate(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("the key is empty");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                return Optional.of("the key contains control character U+" + String.format("%04X", (int) c)
                        + " at index " + i);
            }
            if (c == '\\') {
                return Optional.of("the key contains a backslash at index " + i);
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < key.length()
                    && Character.isLowSurrogate(key.charAt(i + 1)))) {
                if (!(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(key.charAt(i - 1)))) {
                    return Optional.of("the key is not valid Unicode (a lone surrogate at index " + i + ")");
                }
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            return Optional.of("the key is " + bytes + " bytes of UTF-8, over the limit of " + MAX_KEY_BYTES);
        }
        if (key.startsWith("/")) {
            return Optional.of("the key is absolute (starts with /)");
        }
        if (key.endsWith("/")) {
            return Optional.of("the key ends with / (a directory, not an object)");
        }
        int segment = 0;
        for (String part : key.split("/", -1)) {
            if (part.isEmpty()) {
                return Optional.of("segment " + segment + " of the key is empty (a doubled /)");
            }
            if (part.equals(".") || part.equals("..")) {
                return Optional.of("segment " + segment + " of the key is '" + part + "'");
            }
            int partBytes = part.getBytes(StandardCharsets.UTF_8).length;
            if (partBytes > MAX_SEGMENT_BYTES) {
                return Optional.of("segment " + segment + " of the key is " + partBytes + " bytes, over the limit of "
                        + MAX_SEGMENT_BYTES);
            }
            segment++;
        }
        return Optional.empty();
    }

    /** Whether {@code key} is canonical (see {@link #validate}). */
    public static boolean isCanonical(String key) {
        return validate(key).isEmpty();
    }
}
