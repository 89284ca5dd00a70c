package io.tierflow.cli.train;

import io.tierflow.cli.whatif.WhatIfException;
import io.tierflow.schemas.Model;
import io.tierflow.streams.RecordMapping;
import io.tierflow.topics.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a trained model to the compacted {@code models} topic under its name. The topic keeps the newest record
 * per name; earlier versions stay in its history until compaction, and the report of each run stays in the output
 * directory. A model the streams app would refuse is not published at all.
 */
final class ModelPublisher {
    private ModelPublisher() {
    }

    static void publish(String bootstrapServers, Topics topics, Model model, Duration timeout) {
        try {
            RecordMapping.scoringModel(model.getName(), model);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the streams app would refuse the model, so it is not published: "
                    + e.getMessage(), e);
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        try (KafkaProducer<String, Model> producer = new KafkaProducer<>(props, topics.models.keySerde().serializer(),
                topics.models.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.MODELS, model.getName(), model))
                    .get(Math.max(timeout.toMillis(), 30_000), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new WhatIfException("could not publish the model to " + Topics.MODELS + " at " + bootstrapServers
                    + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new WhatIfException("could not publish the model to " + Topics.MODELS + " at " + bootstrapServers
                    + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WhatIfException("interrupted while publishing the model", e);
        } catch (org.apache.kafka.common.KafkaException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause(); // "Failed to construct kafka producer" says nothing without its cause
            }
            throw new WhatIfException("could not publish the model to " + Topics.MODELS + " at " + bootstrapServers
                    + ": " + e.getMessage() + (cause == e ? "" : " (" + cause.getMessage() + ")"), e);
        }
    }
}
