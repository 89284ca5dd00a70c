package io.tierflow.keys;

import java.util.Optional;

/**
 * What a dataset key must look like to be stored anywhere Tierflow puts bytes: a relative path of non-empty segments
 * separated by '/', none of them '.' or '..', no control characters, each segment at most 255 bytes (the longest file
 * name of common file systems) and the whole key at most 1024 bytes (S3's limit), in UTF-8. A key that breaks the rule
 * is refused where it enters (the streams app dead-letters it), so no site, store or path ever sees it.
 */
public final class DatasetKeys {
    /** S3's limit on an object key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Longest file name of ext4, XFS, NTFS and APFS, in bytes: each segment becomes a file or directory name. */
    public static final int MAX_SEGMENT_BYTES = 255;

    private DatasetKeys() {
    }

    /**
     * Why {@code key} is not a canonical dataset key, or empty if it is. Allocates nothing for a good key: it runs on
     * every access event.
     */
    public static Optional<String> problem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("the key is empty");
        }
        if (key.charAt(0) == '/') {
            return Optional.of("the key is absolute (starts with '/')");
        }
        int keyBytes = 0;
        int segmentStart = 0;
        int segmentBytes = 0;
        int length = key.length();
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c == '/') {
                Optional<String> segment = segmentProblem(key, segmentStart, i, segmentBytes);
                if (segment.isPresent()) {
                    return segment;
                }
                segmentStart = i + 1;
                segmentBytes = 0;
                keyBytes++;
                continue;
            }
            int bytes;
            if (Character.isISOControl(c)) {
                return Optional.of(String.format("the key contains the control character U+%04X at index %d", (int) c,
                        i));
            } else if (c < 0x80) {
                bytes = 1;
            } else if (c < 0x800) {
                bytes = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(key.charAt(i + 1))) {
                bytes = 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("the key is not valid Unicode (an unpaired surrogate at index " + i + ")");
            } else {
                bytes = 3;
            }
            segmentBytes += bytes;
            keyBytes += bytes;
        }
        if (segmentStart == length) {
            return Optional.of("the key ends with '/'");
        }
        Optional<String> last = segmentProblem(key, segmentStart, length, segmentBytes);
        if (last.isPresent()) {
            return last;
        }
        if (keyBytes > MAX_KEY_BYTES) {
            return Optional.of("the key is " + keyBytes + " bytes long in UTF-8, over S3's limit of " + MAX_KEY_BYTES);
        }
        return Optional.empty();
    }

    /**
     * Why {@code prefix} cannot begin a canonical key, or empty if it can: a key prefix as a policy's scope names one,
     * compared character by character. It may end with '/' ({@code logs/}) or inside a segment ({@code logs/2026-}),
     * and is canonical exactly when a key that goes on after it can be.
     */
    public static Optional<String> prefixProblem(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return Optional.of("the prefix is empty");
        }
        int bytes = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes >= MAX_KEY_BYTES) {
            return Optional.of("the prefix is " + bytes + " bytes long in UTF-8: no key under it fits S3's limit of "
                    + MAX_KEY_BYTES);
        }
        // One more character makes it a key; whatever is wrong with that key is wrong with the prefix.
        return problem(prefix + "x").map(problem -> problem.replace("the key", "the prefix"));
    }

    /** Whether {@code key} is a canonical dataset key (see {@link #problem}). */
    public static boolean isCanonical(String key) {
        return problem(key).isEmpty();
    }

    private static Optional<String> segmentProblem(String key, int start, int end, int bytes) {
        int length = end - start;
        if (length == 0) {
            return Optional.of("the key has an empty segment ('//') at index " + start);
        }
        if (key.charAt(start) == '.' && (length == 1 || (length == 2 && key.charAt(start + 1) == '.'))) {
            return Optional.of("the key has a '" + key.substring(start, end) + "' segment at index " + start);
        }
        if (bytes > MAX_SEGMENT_BYTES) {
            return Optional.of("the key has a segment of " + bytes + " bytes at index " + start + ", over the "
                    + MAX_SEGMENT_BYTES + " a file name may have");
        }
        return Optional.empty();
    }
}
