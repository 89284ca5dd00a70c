package io.tierflow.cli;

/** A failure of {@code tierflow produce} that the user can act on; its message is printed as one line. */
final class ProduceException extends Exception {
    ProduceException(String message) {
        super(message);
    }

    ProduceException(String message, Throwable cause) {
        super(message, cause);
    }
}
