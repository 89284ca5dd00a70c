package io.tierflow.streams;

import io.tierflow.streams.store.KeyPartitions;
import io.tierflow.keys.DatasetKeys;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.Dataset;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The edge of the dataset inputs, before the dataset processor: every record read from {@code access-events},
 * {@code datasets}, {@code migration-status} and the REOPTIMIZE requests of {@code control} passes here.
 * <ul>
 * <li>A record that breaks its topic's rules goes to {@code dead-letters} with the reason (see
 * {@link InvalidRecordException}): an inventory record or access event whose key is not canonical
 * ({@link DatasetKeys}), an access event dated in the future or before the retention horizon, with negative bytes or a
 * latency that is not a number from 0 up ({@link AccessEventRules}), a record without a key.</li>
 * <li>A record on a partition that does not own its key is written back to the topic it was read from, on the
 * partition that does (Kafka's default partitioner, with a {@link DatasetInputs#REROUTED_HEADER} header), within the
 * task's transaction; it is processed when that partition's task reads it. Not through a repartition topic of its
 * own: that would be one more input partition of the dataset task, which Kafka Streams checks before every record,
 * for records that are rare. One task owns all of a dataset's state, and Kafka's default partitioner
 * (murmur2 of the key) decides which; a producer built on librdkafka uses CRC32 unless told otherwise, and its events
 * would otherwise be counted under a second, phantom entry of the dataset on the wrong task.</li>
 * <li>Everything else goes on to the dataset processor.</li>
 * </ul>
 * On the path of every access event, so the checks are loops over the key's characters and a few comparisons: the
 * partition count and this task's partition are read once, when the task starts. It is the dataset processor's first
 * step rather than a node of its own: every node between the source and the processor is a step each event takes.
 */
final class DatasetInputsGate {
    /**
     * The partition count of the dataset inputs, which must be equal (TieringApp checks it at start and sets it). A
     * task's partition is that of each of its inputs.
     */
    static final String PARTITIONS_CONFIG = "tierflow.dataset-inputs.partitions";

    private final AccessEventRules rules;
    private final TieringMetrics metrics;
    private ProcessorContext<String, TieringOutput> context;
    private int partitions;
    private int partition;

    DatasetInputsGate(AccessEventRules rules, TieringMetrics metrics) {
        this.rules = rules;
        this.metrics = metrics;
    }

    void init(ProcessorContext<String, TieringOutput> context) {
        this.context = context;
        partitions = partitions(context.appConfigs().get(PARTITIONS_CONFIG));
        partition = context.taskId().partition();
    }

    static int partitions(Object configured) {
        int count;
        try {
            count = configured == null ? -1 : Integer.parseInt(configured.toString());
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1) {
            throw new ConfigException(PARTITIONS_CONFIG, configured, "the dataset inputs' partition count must be set "
                    + "(TieringApp sets it from the broker at start) to check that each record is on the partition "
                    + "that owns its dataset");
        }
        return count;
    }

    /**
     * Whether the dataset processor takes {@code record}, read from {@code topic}: false if it was written back to its
     * topic for the partition that owns its key; a record that breaks its topic's rules is thrown out (see
     * {@link InvalidRecordException}).
     */
    boolean admits(Record<String, Object> record, String topic) {
        String key = record.key();
        if (key == null) {
            throw rejected(topic, "the record has no key (the dataset key)");
        }
        Object value = record.value();
        if (value instanceof AccessEvent event) {
            Optional<String> problem = DatasetKeys.problem(key);
            if (problem.isEmpty()) {
                problem = rules.problem(event, context.currentStreamTimeMs());
            }
            if (problem.isPresent()) {
                throw rejected(topic, problem.get());
            }
        } else if (value instanceof Dataset) {
            Optional<String> problem = DatasetKeys.problem(key);
            if (problem.isPresent()) {
                throw rejected(topic, problem.get());
            }
        } else if (value instanceof ControlCommand && DatasetChanges.ALL.equals(key)) {
            return true; // a REOPTIMIZE of every dataset is written to each partition on purpose
        }
        if (partitions > 1 && KeyPartitions.of(key, partitions) != partition
                && record.headers().lastHeader(DatasetInputs.REROUTED_HEADER) == null) {
            // Written back once only: a record that carries the header was sent to the partition Kafka's default
            // partitioner gives its key, this one unless the partition count changed since (TieringApp refuses to
            // start with unequal counts) or a task reads every partition (TopologyTestDriver). Round again could only
            // loop, so it is processed here.
            metrics.rerouted(topic);
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            headers.add(DatasetInputs.REROUTED_HEADER, new byte[0]);
            context.forward(new Record<>(key, TieringOutput.rerouted(value), record.timestamp(), headers));
            return false;
        }
        return true;
    }

    /** Counts the refusal; thrown, it sends the record to dead-letters with the reason (DeadLetterHandler). */
    private InvalidRecordException rejected(String topic, String reason) {
        metrics.rejected(topic);
        return new InvalidRecordException(reason);
    }
}
