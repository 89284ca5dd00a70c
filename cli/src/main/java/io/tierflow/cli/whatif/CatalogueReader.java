package io.tierflow.cli.whatif;

import io.tierflow.topics.Topic;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The latest value per key of a compacted catalogue topic (sites, policies, models), read from its start to the end
 * it had when the read began, by a consumer with no group: it reads and commits nothing.
 */
public final class CatalogueReader {
    private CatalogueReader() {
    }

    public static <V> Map<String, V> latest(String bootstrapServers, Topic<String, V> topic, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tierflow-whatif-catalogue");
        Map<String, V> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            var infos = consumer.partitionsFor(topic.name(), timeout);
            if (infos == null || infos.isEmpty()) {
                throw new WhatIfException("Kafka at " + bootstrapServers + " has no topic " + topic.name()
                        + " (run tierflow init or tierflow local first)");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new WhatIfException("could not read " + topic.name() + " within " + timeout.toSeconds()
                            + " s");
                }
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
            }
        } catch (KafkaException e) {
            throw new WhatIfException("could not read " + topic.name() + " at " + bootstrapServers + ": "
                    + e.getMessage());
        }
        return latest;
    }
}
