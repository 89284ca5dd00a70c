package io.tierflow.api;

import io.tierflow.topics.Topic;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The write endpoints' records produced to Kafka (idempotent, {@code acks=all}), each serialized with its topic's
 * serde and awaited until the broker acknowledges it.
 */
final class KafkaRecordSink implements RecordSink {
    private static final long ACK_TIMEOUT_SECONDS = 10;
    private final Producer<String, byte[]> producer;

    /** @param kafkaConfig the node's Kafka client settings; the producer takes the ones that apply to it */
    KafkaRecordSink(Map<String, ?> kafkaConfig) {
        this.producer = new KafkaProducer<>(producerConfig(kafkaConfig), new StringSerializer(),
                new ByteArraySerializer());
    }

    /** How many partitions a topic has, from the broker; fails with advice when it cannot be read. */
    int partitionsOf(String topic) {
        try {
            return producer.partitionsFor(topic).size();
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot read the partitions of '" + topic + "' from Kafka ("
                    + e.getMessage() + "): is the broker up and the topic created?", e);
        }
    }

    @Override
    public <V> Written send(Topic<String, V> topic, String key, V value, Integer partition) {
        byte[] bytes;
        try {
            bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        } catch (SerializationException e) {
            throw ApiException.unavailable("the schema registry did not take the write to " + topic.name() + " ("
                    + e.getMessage() + "); retry shortly", 1);
        }
        try {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic.name(), partition, key, bytes))
                    .get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new Written(metadata.topic(), metadata.partition(), metadata.offset());
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw ApiException.unavailable("Kafka did not accept the write to " + topic.name() + " ("
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage() + "); retry shortly", 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while writing to " + topic.name(), 1);
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    private static Map<String, Object> producerConfig(Map<String, ?> kafkaConfig) {
        // Every client setting the node has (bootstrap, security.protocol, sasl.*, ssl.*, ...), then our own.
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key) && value != null) {
                config.put(key, value);
            }
        });
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "tierflow-api");
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return config;
    }
}
