package io.tierflow.streams;

import io.tierflow.schemas.DeadLetter;
import io.tierflow.serde.AvroSerializer;
import io.tierflow.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that cannot be deserialized or processed, or that breaks a rule of its topic
 * ({@link InvalidRecordException}, stage {@code validation in <processor>}), to {@code dead-letters}, as a
 * {@link DeadLetter} with its source topic, partition, offset, raw bytes and the reason, and lets processing go on. Written through Kafka
 * Streams' own dead-letter mechanism, so it is part of the same (exactly-once) transaction as the task's output.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);
    /** The catalogue topics the global stores read. */
    private static final Set<String> GLOBAL_TOPICS = Set.of(Topics.POLICIES, Topics.SITES, Topics.MODELS);
    private AvroSerializer<DeadLetter> serializer;
    private String applicationId;
    private TieringMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        serializer = new AvroSerializer<>();
        serializer.configure(configs, false);
        Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        applicationId = id == null ? "unknown" : id.toString();
        // Kafka Streams creates the handler from its class name, so the app hands it the metrics in the config.
        metrics = configs.get(TieringMetrics.CONFIG) instanceof TieringMetrics m ? m : TieringMetrics.noop();
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record, Exception exception) {
        log.warn("dead-lettering unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                exception.getMessage());
        metrics.deadLetter(true);
        if (GLOBAL_TOPICS.contains(record.topic())) {
            // Read by the global thread. Kafka Streams 4.3.1 writes no dead letters for it, and handed some it casts
            // the global context to a record collector and the thread dies (ModelRolloutIT): so none is handed, the
            // refusal alert is how the operator hears of it, and the last good record for the key stays in force.
            if (record.key() != null) {
                metrics.catalogueRefusals().refused(record.topic(), new String(record.key(), StandardCharsets.UTF_8),
                        "cannot be read (" + exception.getMessage() + ")");
            }
            return DeserializationExceptionHandler.Response.resume(List.of());
        }
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(record.topic(), record.partition(),
                record.offset(), record.timestamp(), record.key(), record.value(), "deserialization", exception)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
            Exception exception) {
        boolean invalid = exception instanceof InvalidRecordException;
        log.warn("dead-lettering record {}-{}@{} that {} {}: {}", context.topic(), context.partition(),
                context.offset(), invalid ? "was refused by" : "failed in", context.processorNodeId(),
                exception.toString());
        if (invalid) {
            metrics.invalidDeadLetter();
        } else {
            metrics.deadLetter(false);
        }
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(context.topic(), context.partition(),
                context.offset(), context.timestamp(), context.sourceRawKey(), context.sourceRawValue(),
                (invalid ? "validation in " : "processing in ") + context.processorNodeId(), exception)));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(String topic, int partition, long offset, long timestamp,
            byte[] key, byte[] value, String stage, Exception exception) {
        DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(topic == null ? "unknown" : topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setSourceTimestamp(timestamp)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setStage(stage)
                .setReason(String.valueOf(exception.getMessage()))
                .setExceptionClass(exception.getClass().getName())
                .setApplication(applicationId)
                .setAt(Instant.now())
                .build();
        byte[] letterKey = key != null ? key : (topic + "-" + partition + "@" + offset).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(Topics.DEAD_LETTERS, null, timestamp >= 0 ? timestamp : null, letterKey,
                serializer.serialize(Topics.DEAD_LETTERS, letter));
    }
}
