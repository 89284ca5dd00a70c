package io.tierflow.streams;

import io.tierflow.streams.store.KeyPartitions;
import io.tierflow.keys.DatasetKeys;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.Dataset;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

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
 * partition count and this task's partition are read once, when the task starts.
 */
final class DatasetInputsGate implements Processor<String, Object, String, Object> {
    /**
     * The partition count of the dataset inputs, which must be equal (TieringApp checks it at start and sets it). A
     * task's partition is that of each of its inputs.
     */
    static final String PARTITIONS_CONFIG = "tierflow.dataset-inputs.partitions";

    private final AccessEventRules rules;
    private final TieringMetrics metrics;
    private final String processorChild;
    private final String reroutedChild;
    private ProcessorContext<String, Object> context;
    private int partitions;
    private int partition;

    /**
     * @param processorChild name of the node that leads to the dataset processor
     * @param reroutedChild name of the sink that writes re-routed records back to their topic
     */
    DatasetInputsGate(AccessEventRules rules, TieringMetrics metrics, String processorChild, String reroutedChild) {
        this.rules = rules;
        this.metrics = metrics;
        this.processorChild = processorChild;
        this.reroutedChild = reroutedChild;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
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

    @Override
    public void process(Record<String, Object> record) {
        String key = record.key();
        if (key == null) {
            throw rejected("the record has no key (the dataset key)");
        }
        Object value = record.value();
        if (value instanceof AccessEvent event) {
            Optional<String> problem = DatasetKeys.problem(key);
            if (problem.isEmpty()) {
                problem = rules.problem(event, context.currentStreamTimeMs());
            }
            if (problem.isPresent()) {
                throw rejected(problem.get());
            }
        } else if (value instanceof Dataset) {
            Optional<String> problem = DatasetKeys.problem(key);
            if (problem.isPresent()) {
                throw rejected(problem.get());
            }
        } else if (value instanceof ControlCommand && DatasetChanges.ALL.equals(key)) {
            // A REOPTIMIZE of every dataset is written to each partition on purpose.
            context.forward(record, processorChild);
            return;
        }
        if (partitions > 1 && KeyPartitions.of(key, partitions) != partition) {
            reroute(record);
            return;
        }
        context.forward(record, processorChild);
    }

    private void reroute(Record<String, Object> record) {
        if (record.headers().lastHeader(DatasetInputs.REROUTED_HEADER) != null) {
            // Written back by a gate already, to the partition Kafka's default partitioner gives its key: this one,
            // unless the partition count changed since (TieringApp refuses to start with unequal counts) or a task
            // reads every partition (TopologyTestDriver). Sending it round again could only loop.
            context.forward(record, processorChild);
            return;
        }
        metrics.rerouted(context.recordMetadata().map(RecordMetadata::topic).orElse(""));
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(DatasetInputs.REROUTED_HEADER, new byte[0]);
        context.forward(record.withHeaders(headers), reroutedChild);
    }

    /** Counts the refusal; thrown, it sends the record to dead-letters with the reason (DeadLetterHandler). */
    private InvalidRecordException rejected(String reason) {
        metrics.rejected(context.recordMetadata().map(RecordMetadata::topic).orElse(""));
        return new InvalidRecordException(reason);
    }
}
