package io.tierflow.migrator;

/**
 * A dataset key that is not canonical ({@link io.tierflow.keys.DatasetKeys}): a fault of one command, never of the
 * site, so it is classified {@link ErrorCode#INVALID_KEY} and does not count against the site's circuit breaker.
 */
public final class InvalidKeyException extends IllegalArgumentException {
    public InvalidKeyException(String key, String reason) {
        super("key '" + printable(key) + "' is not canonical: " + reason);
    }

    /** The key with control characters escaped, so a log line cannot be forged by one. */
    static String printable(String key) {
        if (key == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        key.codePoints().limit(300).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
