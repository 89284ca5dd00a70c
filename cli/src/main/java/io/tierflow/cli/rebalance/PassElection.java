package io.tierflow.cli.rebalance;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects the one instance that runs the periodic pass: every instance joins one consumer group on a topic of one
 * partition, and the member the group assigns that partition is the elected one. Kafka's group protocol does the
 * rest: one owner at a time, a new one within the session timeout when it leaves or dies. The topic carries no
 * records; it only gives the group something to assign. An instance may lose the partition in the middle of a pass
 * and another start one: both publish pins, which is harmless (a later pin replaces an earlier one, and the topology
 * holds every move to its budget and capacity whatever the pins say).
 */
final class PassElection implements AutoCloseable {
    /** The one-partition topic whose partition 0 its owner runs the pass for. */
    static final String TOPIC = "rebalance-election";
    private static final Logger log = LoggerFactory.getLogger(PassElection.class);
    private static final TopicPartition ONLY = new TopicPartition(TOPIC, 0);

    private final AtomicBoolean elected = new AtomicBoolean();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    /** Joins the group {@code groupId}; creates the topic if it is missing. */
    PassElection(String bootstrapServers, String groupId) throws InterruptedException, ExecutionException {
        createTopicIfMissing(bootstrapServers);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // The consumer is not thread-safe: one thread owns it, polling (which keeps the membership) until close.
        thread = new Thread(this::pollUntilClosed, "tierflow-rebalance-election");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether this instance owns the partition now. */
    boolean elected() {
        return elected.get();
    }

    private void pollUntilClosed() {
        try {
            consumer.subscribe(List.of(TOPIC), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (partitions.contains(ONLY) && !elected.getAndSet(true)) {
                        log.info("this instance runs the global placement pass");
                    }
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (partitions.contains(ONLY) && elected.getAndSet(false)) {
                        log.info("another instance runs the global placement pass now");
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    onPartitionsRevoked(partitions);
                }
            });
            while (running) {
                consumer.poll(Duration.ofMillis(500));
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("the election's consumer failed; this instance runs no pass until restarted", e);
        } finally {
            elected.set(false);
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private static void createTopicIfMissing(String bootstrapServers) throws InterruptedException,
            ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            // The broker's default replication factor: the topic holds no data, only the group's assignment.
            admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(1), Optional.empty()))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Leaves the group (another instance is elected at once); closing again does nothing. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
