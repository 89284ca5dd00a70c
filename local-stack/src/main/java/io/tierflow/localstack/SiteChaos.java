package io.tierflow.localstack;

import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets another process (the {@code tierflow chaos} command) stop and restart this stack's S3-compatible sites: it
 * follows topic {@code control} and acts on {@link ControlType#OTHER} commands whose parameter {@value #ACTION} is
 * {@value #STOP_SITE} or {@value #START_SITE}, with the site's name as target. Through Kafka rather than an HTTP
 * port of its own, so any process running a {@link LocalStack} honours it with nothing more to open or secure, and
 * the request is recorded with who asked and when. Only requests made after the stack started count: an old one
 * replayed on restart must not stop a site.
 */
public final class SiteChaos implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SiteChaos.class);
    /** The parameter of an OTHER control command that carries the chaos action. */
    public static final String ACTION = "local-stack";
    public static final String STOP_SITE = "stop-site";
    public static final String START_SITE = "start-site";

    /** What the listener drives; {@link LocalStack} in production, something simpler where that is enough. */
    interface Sites {
        void stopSite(String name) throws Exception;

        void startSite(String name) throws Exception;
    }

    private final KafkaConsumer<String, ControlCommand> consumer;
    private final Sites sites;
    private final Thread thread;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean running = true;

    SiteChaos(String bootstrapServers, Topic<String, ControlCommand> control, Sites sites) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tierflow-local-stack-chaos");
        this.consumer = new KafkaConsumer<>(props, control.keySerde().deserializer(),
                control.valueSerde().deserializer());
        this.sites = sites;
        this.thread = new Thread(() -> run(control.name()), "tierflow-local-stack-chaos");
        thread.setDaemon(true);
    }

    /** A command asking the local stack to stop ({@code stop=true}) or start one of its sites. */
    public static ControlCommand request(String site, boolean stop, String operator) {
        return ControlCommand.newBuilder()
                .setType(ControlType.OTHER)
                .setTarget(site)
                .setParameters(Map.of(ACTION, stop ? STOP_SITE : START_SITE))
                .setOperator(operator)
                .setIssuedAt(Instant.now())
                .build();
    }

    /** Starts following {@code control} from its current end; returns once positioned there. */
    void start(Duration timeout) throws InterruptedException {
        thread.start();
        if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("could not follow topic control within " + timeout);
        }
    }

    private void run(String topic) {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end now, not at the first poll
            ready.countDown();
            while (running) {
                try {
                    for (ConsumerRecord<String, ControlCommand> record : consumer.poll(Duration.ofMillis(200))) {
                        handle(record.value());
                    }
                } catch (RecordDeserializationException e) {
                    log.warn("unreadable control record at {} offset {} skipped: {}", e.topicPartition(),
                            e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("following topic control failed; chaos requests are no longer honoured", e);
        } finally {
            ready.countDown();
            consumer.close();
        }
    }

    private void handle(ControlCommand command) {
        if (command == null || command.getType() != ControlType.OTHER) {
            return; // alert acks, site marks and the like are the streams app's
        }
        String action = command.getParameters().get(ACTION);
        if (action == null) {
            return;
        }
        String site = command.getTarget();
        try {
            switch (action) {
                case STOP_SITE -> {
                    log.warn("chaos: stopping site {} as {} asked", site, command.getOperator());
                    sites.stopSite(site);
                }
                case START_SITE -> {
                    log.warn("chaos: starting site {} as {} asked", site, command.getOperator());
                    sites.startSite(site);
                }
                default -> log.warn("chaos: unknown action '{}' for site {} ignored", action, site);
            }
        } catch (Exception e) {
            log.error("chaos: could not {} {}: {}", action, site, e.toString());
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
