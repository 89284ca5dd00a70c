package io.tierflow.cli.whatif;

/** A what-if that cannot go on, with a one-line reason for the user. */
public final class WhatIfException extends RuntimeException {
    public WhatIfException(String message) {
        super(message);
    }

    public WhatIfException(String message, Throwable cause) {
        super(message, cause);
    }
}
