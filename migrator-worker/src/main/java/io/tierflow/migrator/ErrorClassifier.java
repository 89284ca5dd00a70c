package io.tierflow.migrator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** Maps what a site threw to the error code a status reports, so callers decide on codes, not exception types. */
public final class ErrorClassifier {
    private ErrorClassifier() {
    }

    public static ErrorCode classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof MigrationFailure failure) {
                return failure.code();
            }
            if (t instanceof InvalidKeyException) {
                return ErrorCode.INVALID_KEY;
            }
            if (t instanceof FileAlreadyExistsException || t instanceof NotDirectoryException
                    || t instanceof DirectoryNotEmptyException) {
                // The key collides with another key's file or directory ("a" and "a/b"): this command's fault, and
                // no sign that the site is down.
                return ErrorCode.INVALID_KEY;
            }
            if (t instanceof SdkServiceException service) {
                int status = service.statusCode();
                if (status == 404) {
                    return ErrorCode.MISSING_SOURCE;
                }
                if (status == 412 || status == 409) {
                    return ErrorCode.VERSION_CONFLICT; // a precondition (If-Match / If-None-Match) did not hold
                }
                if (status >= 500 || status == 429 || status == 408) {
                    return ErrorCode.SITE_UNAVAILABLE;
                }
                return ErrorCode.INTERNAL;
            }
            if (t instanceof NoSuchFileException) {
                return ErrorCode.MISSING_SOURCE;
            }
            if (t instanceof SdkClientException || t instanceof IOException || t instanceof UncheckedIOException) {
                // The request never got an answer: connection refused, reset, timed out.
                return ErrorCode.SITE_UNAVAILABLE;
            }
        }
        return ErrorCode.INTERNAL;
    }
}
