package io.tierflow.cli.trace;

/** A line that is not in its format; the message says what is wrong with it. */
final class BadLineException extends Exception {
    BadLineException(String message) {
        super(message, null, false, false); // thrown per bad line: no stack trace to fill
    }
}
