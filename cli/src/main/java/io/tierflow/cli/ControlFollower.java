package io.tierflow.cli;

import io.tierflow.cli.traffic.OperatorBursts;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the control topic from its end and starts the BURST commands an operator issues on the traffic being
 * produced. No consumer group: every traffic generator sees every command, and none is replayed on restart.
 */
final class ControlFollower implements AutoCloseable {
    private final KafkaConsumer<String, ControlCommand> consumer;
    private final Thread thread;

    private ControlFollower(KafkaConsumer<String, ControlCommand> consumer, Thread thread) {
        this.consumer = consumer;
        this.thread = thread;
    }

    static ControlFollower start(String bootstrapServers, Topics topics, OperatorBursts bursts, PrintWriter log) {
        KafkaConsumer<String, ControlCommand> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), topics.control.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.CONTROL).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start now: commands issued from here on count
        Thread thread = new Thread(() -> {
            try {
                while (true) {
                    org.apache.kafka.clients.consumer.ConsumerRecords<String, ControlCommand> records;
                    try {
                        records = consumer.poll(Duration.ofSeconds(1));
                    } catch (org.apache.kafka.common.errors.RecordDeserializationException e) {
                        consumer.seek(e.topicPartition(), e.offset() + 1); // not a command anyone can act on
                        continue;
                    }
                    for (ConsumerRecord<String, ControlCommand> record : records) {
                        actOn(record.value(), bursts, log, System.nanoTime());
                    }
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                log.println("tierflow produce: stopped following control (" + e + "); traffic goes on without "
                        + "operator bursts");
                log.flush();
            } finally {
                consumer.close();
            }
        }, "tierflow-control-follower");
        thread.setDaemon(true);
        thread.start();
        return new ControlFollower(consumer, thread);
    }

    /**
     * Starts the burst a BURST command asks for, from {@code nowNanos}; other commands are not the traffic's business.
     * Rate and length are bounded as the API bounds them, so a command written to the topic by other means cannot
     * flood or overflow the schedule; a parameter missing or unreadable takes the API's default.
     */
    static void actOn(ControlCommand command, OperatorBursts bursts, PrintWriter log, long nowNanos) {
        if (command == null || command.getType() != ControlType.BURST) {
            return;
        }
        double rate = Math.min(10_000, Math.max(0, number(command, "eventsPerSecond", 50)));
        long seconds = (long) Math.min(86_400, Math.max(0, number(command, "durationSeconds", 60)));
        List<String> keys = bursts.add(command.getKeys(), rate, Duration.ofSeconds(seconds), nowNanos);
        log.printf("tierflow produce: operator burst by %s: %s at %.0f events/s for %d s%n", command.getOperator(),
                keys, rate, seconds);
        log.flush();
    }

    private static double number(ControlCommand command, String name, double dflt) {
        String value = command.getParameters().get(name);
        try {
            double number = value == null ? dflt : Double.parseDouble(value);
            return Double.isNaN(number) ? dflt : number; // NaN would pass both bounds
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
