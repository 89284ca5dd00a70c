package io.tierflow.cli.trace;

/** Stops an import: a bad line under {@code --strict}, or event times the broker would reject. */
public final class TraceImportException extends RuntimeException {
    public TraceImportException(String message) {
        super(message);
    }
}
