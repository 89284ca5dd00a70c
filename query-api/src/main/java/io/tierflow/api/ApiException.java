package io.tierflow.api;

/** An answer other than 200, with the message the client gets as JSON. Never carries a stack trace out. */
final class ApiException extends RuntimeException {
    private final int status;
    private final int retryAfterSeconds;
    private final String field;

    private ApiException(int status, String message, int retryAfterSeconds) {
        this(status, message, retryAfterSeconds, null);
    }

    private ApiException(int status, String message, int retryAfterSeconds, String field) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.field = field;
    }

    /** The same answer, saying which field of the request body it is about (answered as {@code field}). */
    ApiException about(String field) {
        return new ApiException(status, getMessage(), retryAfterSeconds, field);
    }

    /** The field of the request body the answer is about; null if none in particular. */
    String field() {
        return field;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message, 0);
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, message, 0);
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, message, 0);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message, 0);
    }

    /** 409: the request is well-formed but contradicts what is in force (e.g. moving a site elsewhere). */
    static ApiException conflict(String message) {
        return new ApiException(409, message, 0);
    }

    static ApiException tooLarge(String message) {
        return new ApiException(413, message, 0);
    }

    /** 503 with Retry-After: the answer exists but cannot be given right now (rebalance, peer unreachable). */
    static ApiException unavailable(String message, int retryAfterSeconds) {
        return new ApiException(503, message, retryAfterSeconds);
    }

    int status() {
        return status;
    }

    int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
