package io.tierflow.migrator;

import io.tierflow.schemas.DeadLetter;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.topics.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the pool's statuses to {@code migration-status} and unreadable commands to {@code dead-letters}. */
final class StatusWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);

    private final Topics topics;
    private final MigratorMetrics metrics;
    private final KafkaProducer<String, MigrationStatus> producer;
    private final KafkaProducer<String, DeadLetter> deadLetters;

    StatusWriter(Properties clients, Topics topics, MigratorMetrics metrics) {
        this.topics = topics;
        this.metrics = metrics;
        Properties producerProps = new Properties();
        producerProps.putAll(clients);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(producerProps, topics.migrationStatus.keySerde().serializer(),
                topics.migrationStatus.valueSerde().serializer());
        this.deadLetters = new KafkaProducer<>(producerProps, topics.deadLetters.keySerde().serializer(),
                topics.deadLetters.valueSerde().serializer());
    }

    List<KafkaProducer<?, ?>> producers() {
        return List.of(producer, deadLetters);
    }

    /** A progress status: a lost one is harmless, the terminal one decides. */
    void send(MigrationStatus status) {
        producer.send(new ProducerRecord<>(topics.migrationStatus.name(), status.getKey(), status),
                (metadata, error) -> {
                    if (error == null) {
                        metrics.statusWritten(status.getPhase());
                    } else {
                        log.warn("could not write a {} status of command {}: {}", status.getPhase(),
                                status.getCommandId(), error.toString());
                    }
                });
    }

    /** A terminal status; {@code acknowledged} is told null once the broker has it, else the error. */
    void sendTerminal(MigrationStatus status, Consumer<Exception> acknowledged) {
        producer.send(new ProducerRecord<>(topics.migrationStatus.name(), status.getKey(), status),
                (metadata, error) -> {
                    if (error == null) {
                        metrics.statusWritten(status.getPhase());
                        if (status.getPhase() == MigrationPhase.FAILED) {
                            metrics.failed(ErrorCode.fromCode(status.getErrorCode()));
                        }
                    }
                    acknowledged.accept(error);
                });
    }

    /**
     * A command we cannot read can never be executed: it goes to {@code dead-letters} durably (this blocks until the
     * broker has it), before the pool moves past it.
     */
    void deadLetter(RecordDeserializationException e, String application) {
        log.error("unreadable command at {} offset {} goes to {}: {}", e.topicPartition(), e.offset(),
                Topics.DEAD_LETTERS, e.getMessage());
        DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(e.topicPartition().topic())
                .setSourcePartition(e.topicPartition().partition())
                .setSourceOffset(e.offset())
                .setSourceTimestamp(e.timestamp())
                .setKey(e.keyBuffer() == null ? null : e.keyBuffer().duplicate())
                .setValue(e.valueBuffer() == null ? null : e.valueBuffer().duplicate())
                .setStage("deserialization: migrator")
                .setReason(String.valueOf(e.getMessage()))
                .setExceptionClass(e.getCause() == null ? e.getClass().getName() : e.getCause().getClass().getName())
                .setApplication(application)
                .setAt(Instant.now())
                .build();
        try {
            deadLetters.send(new ProducerRecord<>(topics.deadLetters.name(), null, letter)).get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a dead letter", interrupted);
        } catch (ExecutionException failed) {
            throw new IllegalStateException("could not write a dead letter; stopping", failed.getCause());
        }
    }

    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
        deadLetters.close();
    }
}
