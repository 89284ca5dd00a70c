package io.tierflow.cli.whatif;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.internals.StreamTask;

/**
 * Pipes records into a {@link TopologyTestDriver}'s one task and processes them exactly as the driver's own
 * {@code pipeInput} does (each record, and everything it sends back to the task's own source and repartition topics,
 * before the next record; the outputs kept for the driver's output topics), without the two costs of that path a
 * replay cannot use: a commit and checkpoint after every record, and a regex compiled per source topic for every
 * record piped in and every record the task outputs. It moves the driver's wall clock too ({@link #advanceWallClock}),
 * committing only at the moves its caller asks to: the driver commits at every move.
 *
 * <p>The one place in Tierflow that reaches into the driver's private state (its task, producer and output queues),
 * and into the Kafka Streams internals the driver itself drives ({@code StreamTask}); docs/kafka-upgrade.md lists what
 * it relies on, and {@code TaskPipeTest} pins it: a replay through this pipe gives, record for record, the outputs and
 * the report of one through the driver's public API. If a Kafka version moves any of it, {@link #of} says so and the
 * replay falls back to the public API ({@link #available()} false), slower and the same.
 */
final class TaskPipe {
    private final TopologyTestDriver driver;
    private final StreamTask task;
    private final Time wallClock;
    private final MockProducer<byte[], byte[]> producer;
    private final Map<String, TopicPartition> partitionsByInputTopic;
    private final Map<String, TopicPartition> globalPartitionsByInputTopic;
    private final Map<TopicPartition, AtomicLong> offsets;
    private final Map<String, Queue<ProducerRecord<byte[], byte[]>>> outputs;
    private final Method processGlobalRecord;
    private final Method commit;

    @SuppressWarnings("unchecked")
    private TaskPipe(TopologyTestDriver driver) throws ReflectiveOperationException {
        this.driver = driver;
        this.task = (StreamTask) field("task").get(driver);
        this.wallClock = (Time) field("mockWallClockTime").get(driver);
        this.producer = (MockProducer<byte[], byte[]>) field("producer").get(driver);
        this.partitionsByInputTopic = (Map<String, TopicPartition>) field("partitionsByInputTopic").get(driver);
        this.globalPartitionsByInputTopic =
                (Map<String, TopicPartition>) field("globalPartitionsByInputTopic").get(driver);
        this.offsets = (Map<TopicPartition, AtomicLong>) field("offsetsByTopicOrPatternPartition").get(driver);
        this.outputs = (Map<String, Queue<ProducerRecord<byte[], byte[]>>>) field("outputRecordsByTopic").get(driver);
        this.processGlobalRecord = method("processGlobalRecord", TopicPartition.class, long.class, byte[].class,
                byte[].class, Headers.class);
        this.commit = method("commit", Map.class);
        if (task == null) {
            throw new NoSuchFieldException("the driver has no task (a topology of global stores only)");
        }
    }

    /**
     * A pipe into {@code driver}'s task, or empty if this Kafka version's driver is not built as this class expects
     * (then the driver's public API is the way in).
     */
    static Optional<TaskPipe> of(TopologyTestDriver driver) {
        try {
            return Optional.of(new TaskPipe(driver));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code topic} is one of the task's source topics by its exact name (the only kind this pipe takes). */
    boolean isSource(String topic) {
        return partitionsByInputTopic.containsKey(topic);
    }

    /**
     * Processes one record of source topic {@code topic} and everything it leads to inside the task, as the driver's
     * {@code pipeInput} does, but without committing.
     */
    void pipe(String topic, byte[] key, byte[] value, long timestampMs) {
        TopicPartition partition = partitionsByInputTopic.get(topic);
        if (partition == null) {
            throw new IllegalArgumentException("not a source topic of the replay's task: " + topic);
        }
        enqueue(topic, partition, timestampMs, key, value, new RecordHeaders());
        processQueued();
    }

    /**
     * Moves the driver's wall clock on by {@code ms} and fires the task's wall-clock punctuators, then processes what
     * they sent back to the task's own topics, as the driver's {@code advanceWallClockTime} does; but commits (the
     * stores flushed, the offsets committed, a checkpoint) only if {@code commit}, where the driver always does.
     */
    void advanceWallClock(long ms, boolean commit) {
        wallClock.sleep(ms);
        task.maybePunctuateSystemTime();
        if (commit) {
            invoke(this.commit, task.prepareCommit(true));
            task.postCommit(true);
        }
        processQueued();
    }

    /**
     * Drops the records the task sent to the driver's output topic {@code topic} and nobody read yet, without
     * deserializing them; returns how many there were.
     */
    int discardOutputs(String topic) {
        Queue<ProducerRecord<byte[], byte[]>> sent = outputs.get(topic);
        if (sent == null) {
            return 0;
        }
        int count = sent.size();
        sent.clear();
        return count;
    }

    /** The driver's loop (completeAllProcessableWork) without its commit and checkpoint per record. */
    private void processQueued() {
        captureOutputs();
        task.resumePollingForPartitionsWithAvailableSpace();
        task.updateLags();
        while (task.hasRecordsQueued() && task.isProcessable(wallClock.milliseconds())) {
            task.process(wallClock.milliseconds());
            task.maybePunctuateStreamTime();
            captureOutputs();
        }
    }

    private void enqueue(String topic, TopicPartition partition, long timestampMs, byte[] key, byte[] value,
            Headers headers) {
        long offset = offsets.get(partition).incrementAndGet() - 1;
        task.addRecords(partition, Collections.singleton(new ConsumerRecord<>(topic, partition.partition(), offset,
                timestampMs, TimestampType.CREATE_TIME, key == null ? ConsumerRecord.NULL_SIZE : key.length,
                value == null ? ConsumerRecord.NULL_SIZE : value.length, key, value, headers, Optional.empty())));
    }

    /**
     * The driver's captureOutputsAndReEnqueueInternalResults, with topics matched by name: the replay's topology
     * subscribes to no pattern, so the driver's regex per source topic only ever confirms a name lookup.
     */
    private void captureOutputs() {
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        if (sent.isEmpty()) {
            return;
        }
        producer.clear();
        for (ProducerRecord<byte[], byte[]> record : sent) {
            String topic = record.topic();
            outputs.computeIfAbsent(topic, t -> new LinkedList<>()).add(record);
            TopicPartition partition = partitionsByInputTopic.get(topic);
            if (partition != null) {
                enqueue(topic, partition, record.timestamp(), record.key(), record.value(), record.headers());
            }
            TopicPartition global = globalPartitionsByInputTopic.get(topic);
            if (global != null) {
                invoke(processGlobalRecord, global, record.timestamp(), record.key(), record.value(),
                        record.headers());
            }
        }
    }

    private Object invoke(Method method, Object... args) {
        try {
            return method.invoke(driver, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the driver's " + method.getName() + " is not accessible", e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field field = TopologyTestDriver.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    private static Method method(String name, Class<?>... parameters) throws NoSuchMethodException {
        Method method = TopologyTestDriver.class.getDeclaredMethod(name, parameters);
        method.setAccessible(true);
        return method;
    }
}
