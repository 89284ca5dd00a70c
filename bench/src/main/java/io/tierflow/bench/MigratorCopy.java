package io.tierflow.bench;

import io.tierflow.localstack.LocalStack;
import io.tierflow.migrator.MigratorSettings;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The measured side of the migration benchmark: one copy command per object to the migrator pool, done when every
 * command's status is COMPLETED; and the worker, command producer and status consumer it talks through.
 */
final class MigratorCopy {
    private final MigrationBenchmark.Settings settings;
    private final Progress progress;
    private final MigrationObjects objects;
    private final KafkaProducer<String, MigrationCommand> commands;
    private final KafkaConsumer<String, MigrationStatus> statuses;

    MigratorCopy(MigrationBenchmark.Settings settings, Progress progress, MigrationObjects objects,
            KafkaProducer<String, MigrationCommand> commands, KafkaConsumer<String, MigrationStatus> statuses) {
        this.settings = settings;
        this.progress = progress;
        this.objects = objects;
        this.commands = commands;
        this.statuses = statuses;
    }

    MeasuredCopy run(List<MigrationObjects.Seeded> seeded, String label, int run) throws Exception {
        objects.clearDestination();
        Set<String> pending = new HashSet<>();
        ThreadCpu threadsBefore = ThreadCpu.now();
        long cpuBefore = MeasuredCopy.jvmCpuNanos();
        long started = System.nanoTime();
        for (MigrationObjects.Seeded object : seeded) {
            MigrationCommand command = MigrationCommand.newBuilder()
                    .setId("bench-" + run + "-" + object.key())
                    .setKey(object.key())
                    .setAction(MigrationAction.COPY)
                    .setSourceSite(settings.from())
                    .setDestinationSite(settings.to())
                    .setStorageClass("STANDARD")
                    .setExpectedVersionToken(object.etag())
                    .setExpectedSha256(object.sha256())
                    .setSizeBytes(object.size())
                    .setIssuedAt(Instant.now())
                    .build();
            pending.add(command.getId());
            commands.send(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, command.getKey(), command));
        }
        commands.flush();
        long deadline = started + MigrationBenchmark.RUN_TIMEOUT.toNanos();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label + ": " + pending.size() + " commands unfinished after "
                        + MigrationBenchmark.RUN_TIMEOUT);
            }
            for (ConsumerRecord<String, MigrationStatus> record : statuses.poll(Duration.ofMillis(20))) {
                MigrationStatus status = record.value();
                if (status.getPhase() == MigrationPhase.FAILED && pending.contains(status.getCommandId())) {
                    throw new IllegalStateException(label + ": command " + status.getCommandId() + " failed: "
                            + status.getErrorCode() + " " + status.getErrorMessage());
                }
                if (status.getPhase() == MigrationPhase.COMPLETED) {
                    pending.remove(status.getCommandId());
                }
            }
        }
        long elapsed = System.nanoTime() - started;
        long cpu = MeasuredCopy.jvmCpuNanos() - cpuBefore;
        progress.say("%s: CPU by thread: %s", label, ThreadCpu.now().since(threadsBefore, cpu));
        return MeasuredCopy.report(progress, label, settings.totalBytes(), elapsed, cpu);
    }

    static Properties workerConfig(MigrationBenchmark.Settings settings, LocalStack stack) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
        config.put(MigratorSettings.CONCURRENCY, String.valueOf(settings.concurrency()));
        config.put(MigratorSettings.WORKER_ID, "bench");
        config.putAll(MigratorSettings.pinning(stack.config().sitePlaces()));
        config.put(MigratorSettings.MAX_ATTEMPTS, "1"); // a failure must show, not hide in a retry
        settings.migratorSettings().forEach((k, v) -> config.put(k.startsWith(MigratorSettings.PREFIX) ? k
                : MigratorSettings.PREFIX + k, v));
        return config;
    }

    static Map<String, String> credentials(LocalStack stack) {
        return Map.of("TIERFLOW_S3_ACCESS_KEY", stack.config().s3AccessKey(),
                "TIERFLOW_S3_SECRET_KEY", stack.config().s3SecretKey());
    }

    static KafkaConsumer<String, MigrationStatus> statusConsumer(LocalStack stack) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Topics topics = stack.topics();
        KafkaConsumer<String, MigrationStatus> consumer = new KafkaConsumer<>(props,
                topics.migrationStatus.keySerde().deserializer(), topics.migrationStatus.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.MIGRATION_STATUS).stream()
                .map(p -> new TopicPartition(Topics.MIGRATION_STATUS, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    static KafkaProducer<String, MigrationCommand> commandProducer(LocalStack stack) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        Topics topics = stack.topics();
        return new KafkaProducer<>(props, topics.migrationCommands.keySerde().serializer(),
                topics.migrationCommands.valueSerde().serializer());
    }
}
