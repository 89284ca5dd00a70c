package io.tierflow.localstack;

import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Plain Kafka producers and consumers for integration tests against the local broker. */
public final class KafkaTestClients {
    private KafkaTestClients() {
    }

    /** Creates a topic with 3 partitions (the local broker does not create topics on first use). */
    public static void createTopic(String bootstrap, String topic) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
    }

    /** Writes the records (key, value pairs) and waits until the broker acknowledged every one. */
    public static <K, V> void produce(String bootstrap, String topic, Serializer<K> keys, Serializer<V> values,
            List<ProducerRecord<K, V>> records) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<K, V> producer = new KafkaProducer<>(props, keys, values)) {
            for (ProducerRecord<K, V> record : records) {
                producer.send(record).get();
            }
        }
    }

    /**
     * Reads the topic from the beginning until {@code count} records arrived, failing after {@code timeout}.
     * Returns exactly the records read (more than {@code count} if they came in the same poll).
     */
    public static <K, V> List<ConsumerRecord<K, V>> consume(String bootstrap, String topic, Deserializer<K> keys,
            Deserializer<V> values, int count, Duration timeout) {
        return consume(bootstrap, topic, keys, values, record -> true, count, timeout);
    }

    /** Like {@link #consume(String, String, Deserializer, Deserializer, int, Duration)}, keeping matching records only. */
    public static <K, V> List<ConsumerRecord<K, V>> consume(String bootstrap, String topic, Deserializer<K> keys,
            Deserializer<V> values, Predicate<ConsumerRecord<K, V>> keep, int count, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // only what a transaction committed
        // close() waits for the fetch still in flight, which the broker holds up to fetch.max.wait.ms (500 ms by
        // default) when no new record comes: half a second of every call, however fast the records arrived.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        List<ConsumerRecord<K, V>> read = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
            consumer.subscribe(List.of(topic));
            while (read.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + read.size() + " of " + count + " records arrived on " + topic
                            + " within " + timeout);
                }
                for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (keep.test(record)) {
                        read.add(record);
                    }
                }
            }
        }
        return read;
    }
}
