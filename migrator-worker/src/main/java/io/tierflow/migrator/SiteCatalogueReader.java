package io.tierflow.migrator;

import io.tierflow.schemas.Site;
import io.tierflow.topics.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link SiteStores} up to date from the compacted {@code sites} topic: every partition, from the
 * beginning, with no consumer group (every worker needs the whole catalogue).
 */
final class SiteCatalogueReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SiteCatalogueReader.class);

    private final KafkaConsumer<String, Site> consumer;
    private final SiteStores sites;
    private final String topic;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    SiteCatalogueReader(Properties clientConfig, Topic<String, Site> topic, SiteStores sites) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.sites = sites;
        this.topic = topic.name();
        this.thread = new Thread(this::run, "tierflow-migrator-sites");
        thread.setDaemon(true);
    }

    /** Starts reading and waits until the catalogue as it is now has been read. */
    void start(Duration timeout) throws InterruptedException {
        thread.start();
        if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("could not read topic " + topic + " within " + timeout);
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, Site> record : consumer.poll(Duration.ofMillis(500))) {
                    sites.update(record.key(), record.value());
                    log.debug("site {} updated", record.key());
                }
                if (caughtUp.getCount() > 0
                        && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("reading the site catalogue failed; sites stay as last read", e);
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
