package io.tierflow.migrator;

/** A command step that cannot go on, with the code to report. */
public class MigrationFailure extends Exception {
    private final ErrorCode code;

    public MigrationFailure(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public MigrationFailure(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
