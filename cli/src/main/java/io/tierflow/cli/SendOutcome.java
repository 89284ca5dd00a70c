package io.tierflow.cli;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;

/**
 * Counts acknowledged sends and keeps the failure worth reporting. The broker fails a whole batch for one invalid
 * record, and only that record's callback says why; the others get a generic "part of a batch" error, so the
 * specific rejection is kept apart and reported first.
 */
final class SendOutcome implements Callback {
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final AtomicReference<Exception> rejection = new AtomicReference<>();

    @Override
    public void onCompletion(RecordMetadata metadata, Exception e) {
        if (e == null) {
            acknowledged.incrementAndGet();
            return;
        }
        firstFailure.compareAndSet(null, e);
        if (e instanceof InvalidRecordException || e instanceof InvalidTimestampException) {
            rejection.compareAndSet(null, e);
        }
    }

    /** Records a failure of the producer itself (e.g. send() timed out waiting for metadata). */
    void failed(Exception e) {
        firstFailure.compareAndSet(null, e);
    }

    boolean hasFailed() {
        return firstFailure.get() != null;
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** The failure as a one-line message, or null if every send so far succeeded. */
    ProduceException toException(String topic, String bootstrapServers) {
        Exception rejected = rejection.get();
        if (rejected != null) {
            // Event times too far ahead of the broker's clock are the one way our records can be invalid.
            boolean timestamp = rejected instanceof InvalidTimestampException
                    || String.valueOf(rejected.getMessage()).startsWith("Timestamp");
            return new ProduceException("the broker rejected records for topic " + topic + ": " + rejected.getMessage()
                    + (timestamp ? " (event time ran more than log.message.timestamp.after.max.ms, 1 h by default, "
                            + "ahead of the broker's clock: use an earlier --start or a lower --speedup)" : ""),
                    rejected);
        }
        Exception first = firstFailure.get();
        if (first == null) {
            return null;
        }
        return new ProduceException("could not write to topic " + topic + " at " + bootstrapServers + ": "
                + rootMessage(first), first);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e || root.getMessage() == null ? String.valueOf(e.getMessage())
                : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
