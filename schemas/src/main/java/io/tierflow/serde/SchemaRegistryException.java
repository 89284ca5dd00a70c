package io.tierflow.serde;

/** A schema registry call that failed: the registry answered with an error, or could not be reached. */
public class SchemaRegistryException extends RuntimeException {
    /** HTTP status for an error answer, or -1 when the registry could not be reached. */
    private final int status;
    /** Confluent error code from the answer body (e.g. 40403 schema not found), or -1. */
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    /** True when the registry said the subject, version or schema does not exist. */
    public boolean isNotFound() {
        return status == 404;
    }

    /** True when the registry could not be reached at all. */
    public boolean isUnreachable() {
        return status == -1;
    }
}
