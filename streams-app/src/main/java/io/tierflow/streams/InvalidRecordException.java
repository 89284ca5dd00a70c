package io.tierflow.streams;

/**
 * A record read from Kafka that breaks a rule of its topic (a key that is not canonical, an event dated in the future,
 * a policy with its thresholds the wrong way round). Thrown by the processor that checks it, so that
 * {@link DeadLetterHandler} writes it to {@code dead-letters} with its coordinates and this reason, in the task's
 * transaction, and processing goes on. Without a stack trace: the reason says everything, and a producer sending many
 * such records should not cost a stack walk each.
 */
final class InvalidRecordException extends RuntimeException {
    InvalidRecordException(String reason) {
        super(reason, null, false, false);
    }
}
