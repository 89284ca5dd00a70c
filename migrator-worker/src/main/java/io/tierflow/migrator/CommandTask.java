package io.tierflow.migrator;

import io.tierflow.schemas.MigrationCommand;
import org.apache.kafka.common.TopicPartition;

/**
 * One delivery of a command, bound to the partition assignment it came with.
 *
 * @param replayed read again below the committed offset (a RETIRE an earlier owner had deferred)
 */
record CommandTask(MigrationCommand command, TopicPartition partition, long offset, int epoch, int attempt,
        boolean waitReported, boolean replayed) {
    CommandTask nextAttempt() {
        return new CommandTask(command, partition, offset, epoch, attempt + 1, false, replayed);
    }

    CommandTask waiting() {
        return new CommandTask(command, partition, offset, epoch, attempt, true, replayed);
    }
}
