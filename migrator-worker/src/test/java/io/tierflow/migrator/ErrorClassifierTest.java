package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class ErrorClassifierTest {
    @Test
    void shouldMapS3AnswersToCodes() {
        assertEquals(ErrorCode.MISSING_SOURCE,
                ErrorClassifier.classify(NoSuchKeyException.builder().statusCode(404).build()));
        assertEquals(ErrorCode.VERSION_CONFLICT,
                ErrorClassifier.classify(S3Exception.builder().statusCode(412).build()));
        assertEquals(ErrorCode.SITE_UNAVAILABLE,
                ErrorClassifier.classify(S3Exception.builder().statusCode(503).build()));
        assertEquals(ErrorCode.INTERNAL, ErrorClassifier.classify(S3Exception.builder().statusCode(400).build()));
    }

    @Test
    void shouldTreatUnansweredRequestsAsSiteUnavailable() {
        assertEquals(ErrorCode.SITE_UNAVAILABLE, ErrorClassifier.classify(
                SdkClientException.create("Unable to execute HTTP request", new ConnectException("refused"))));
    }

    @Test
    void shouldKeepTheCodeOfAMigrationFailureEvenWhenWrapped() {
        assertEquals(ErrorCode.POLICY_BLOCKED, ErrorClassifier.classify(
                new RuntimeException(new MigrationFailure(ErrorCode.POLICY_BLOCKED, "unencrypted"))));
    }
}
