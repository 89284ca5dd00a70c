package io.tierflow.cli.rebalance;

import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.streams.GlobalPins;
import io.tierflow.topics.Topic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Hands a pass's result to the topology: one REOPTIMIZE per pinned dataset on {@code control}, keyed by the dataset
 * (so it reaches the task that owns it), carrying the site, the pass's id and the pin's expiry ({@link GlobalPins}).
 * The owning task decides with the pin and moves the dataset through its own planner, migration budget and capacity
 * share; the pass never issues a migration command itself.
 */
final class PinPublisher implements AutoCloseable {
    private final KafkaProducer<String, ControlCommand> producer;
    private final String topic;

    PinPublisher(String bootstrapServers, Topic<String, ControlCommand> control) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        this.producer = new KafkaProducer<>(props, control.keySerde().serializer(), control.valueSerde().serializer());
        this.topic = control.name();
    }

    /**
     * Publishes {@code pins} of pass {@code pass}, held until {@code expiresAt}, and waits until the broker has every
     * one.
     *
     * @return how many were published
     */
    int publish(String pass, List<PassPins.Pin> pins, Instant expiresAt, Instant now)
            throws InterruptedException, ExecutionException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(pins.size());
        for (PassPins.Pin pin : pins) {
            ControlCommand command = ControlCommand.newBuilder().setType(ControlType.REOPTIMIZE).setTarget(pin.key())
                    .setKeys(List.of(pin.key()))
                    .setParameters(Map.of(GlobalPins.SITE, pin.site(), GlobalPins.PASS, pass,
                            GlobalPins.EXPIRES_AT, Long.toString(expiresAt.toEpochMilli())))
                    .setOperator("rebalance").setIssuedAt(now).build();
            sent.add(producer.send(new ProducerRecord<>(topic, pin.key(), command)));
        }
        producer.flush();
        for (Future<RecordMetadata> result : sent) {
            result.get(); // a failed send fails the pass: the report must not claim pins the topology never got
        }
        return sent.size();
    }

    @Override
    public void close() {
        producer.close();
    }
}
