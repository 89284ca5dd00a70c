package io.tierflow.streams;

import io.tierflow.streams.store.KeyPartitions;
import io.tierflow.keys.DatasetKeys;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.Dataset;
import java.nio.charset.StandardCharsets;
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
 * <li>A record on a partition that does not own its key goes on through the {@code dataset-inputs-rerouted}
 * repartition topic to the one that does. One task owns all of a dataset's state, and Kafka's default partitioner
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
    private String reroutedTopic;

    /**
     * @param processorChild name of the node that leads to the dataset processor
     * @param reroutedChild name of the node that leads to the re-routing topic
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
        reroutedTopic = DatasetInputs.reroutedTopic(context.applicationId());
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
        RecordMetadata read = context.recordMetadata().orElseThrow();
        if (read.topic().equals(reroutedTopic)) {
            // Already re-routed: written by the default partitioner to the re-routing topic, whose partition count
            // Kafka Streams keeps equal to the inputs' (it refuses to start on one of another size). Sending it round
            // again could only loop; this is reached only where a task reads every partition (TopologyTestDriver).
            context.forward(record, processorChild);
            return;
        }
        metrics.rerouted(read.topic());
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(DatasetInputs.ORIGIN_TOPIC_HEADER);
        headers.add(DatasetInputs.ORIGIN_TOPIC_HEADER, read.topic().getBytes(StandardCharsets.UTF_8));
        context.forward(record.withHeaders(headers), reroutedChild);
    }

    /** Counts the refusal; thrown, it sends the record to dead-letters with the reason (DeadLetterHandler). */
    private InvalidRecordException rejected(String reason) {
        metrics.rejected(context.recordMetadata().map(RecordMetadata::topic).orElse(""));
        return new InvalidRecordException(reason);
    }
}
