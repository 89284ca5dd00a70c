package io.tierflow.cli.whatif;

import io.tierflow.cli.trace.ProgressBar;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Recorded topics as replay inputs: the inventory and access-event topics (and, to replay a live run's migration
 * outcomes, its statuses), every partition read by one plain consumer with no group (it commits nothing and joins
 * nothing) from the start of the time range to the end offsets seen when the read began, and merged into one
 * stream in timestamp order: a partition's next record is handed on only once every partition not yet at its end has
 * one buffered, so the merge is exact whatever the broker returns first. Reads only; it never writes.
 */
public final class TopicReplaySource implements ReplaySource {
    /** Records buffered per partition before it is paused, so a fast partition cannot fill the heap. */
    private static final int BUFFER_PER_PARTITION = 2_000;

    private record Buffered(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
    }

    private final String bootstrapServers;
    private final Deserializer<Dataset> datasets;
    private final Deserializer<AccessEvent> events;
    private final Deserializer<MigrationStatus> statuses;
    private long undecodable;
    private final List<String> topicNames;
    private final String datasetsTopic;
    private final String statusTopic;
    private final Instant from;
    private final Instant to;
    private final String eventsTopic;
    private final long maxEvents;
    /** The first event time read: {@code from}, or later when the range held more than {@code maxEvents}. */
    private volatile Instant readFrom;
    /** Records the read will go through, once known (0 before). */
    private volatile long planned;
    private final Duration timeout;
    private final PrintWriter err;
    private final String command;

    /**
     * @param statusTopic the live run's statuses to replay, or null to leave migrations to the simulated migrator
     * @param from the first event time to read, or null for the topics' start
     * @param to the last event time to read, or null for their end
     * @param command the command reading them, which its progress line and consumer client id name
     */
    public TopicReplaySource(String bootstrapServers, Topics topics, String datasetsTopic, String eventsTopic,
            String statusTopic, Instant from, Instant to, Duration timeout, PrintWriter err, String command) {
        this(bootstrapServers, topics, datasetsTopic, eventsTopic, statusTopic, from, to, Long.MAX_VALUE, timeout, err,
                command);
    }

    /**
     * As above, reading at most about {@code maxEvents} records of the events topic: when {@code [from, to]} holds
     * more, the read starts later, at the latest time from which it holds no more ({@link #readFrom}), and stops at
     * the first record past {@code to} of each partition. Counted by offsets, so exact when each partition's
     * timestamps rise with its offsets, as the live topics' do (the producers stamp them at send).
     */
    public TopicReplaySource(String bootstrapServers, Topics topics, String datasetsTopic, String eventsTopic,
            String statusTopic, Instant from, Instant to, long maxEvents, Duration timeout, PrintWriter err,
            String command) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, not " + maxEvents);
        }
        this.eventsTopic = eventsTopic;
        this.maxEvents = maxEvents;
        this.readFrom = from;
        this.bootstrapServers = bootstrapServers;
        this.datasets = topics.datasets.valueSerde().deserializer();
        this.events = topics.accessEvents.valueSerde().deserializer();
        this.statuses = topics.migrationStatus.valueSerde().deserializer();
        this.datasetsTopic = datasetsTopic;
        this.statusTopic = statusTopic;
        this.topicNames = statusTopic == null ? List.of(datasetsTopic, eventsTopic)
                : List.of(datasetsTopic, eventsTopic, statusTopic);
        this.from = from;
        this.to = to;
        this.timeout = timeout;
        this.err = err;
        this.command = command;
    }

    /** The first event time read: the range's start, or a later one if it held more than the events allowed. */
    public Instant readFrom() {
        return readFrom;
    }

    /** The records the read goes through (inventory included), once it has started; 0 before. */
    public long planned() {
        return planned;
    }

    /** Records that could not be read as their topic's type, skipped. */
    public long undecodable() {
        return undecodable;
    }

    @Override
    public String description() {
        return "topics " + String.join(" + ", topicNames) + " at " + bootstrapServers;
    }

    @Override
    public long replay(Consumer<ReplayInput> sink) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, command.replace(' ', '-'));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topicNames) {
                var infos = consumer.partitionsFor(topic, timeout);
                if (infos == null || infos.isEmpty()) {
                    throw new WhatIfException("Kafka at " + bootstrapServers + " has no topic " + topic);
                }
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
            Map<TopicPartition, Long> start = startOffsets(consumer, partitions, end);
            if (maxEvents != Long.MAX_VALUE) {
                bound(consumer, partitions, start, end);
            }
            partitions.forEach(p -> consumer.seek(p, start.get(p)));
            long total = partitions.stream().mapToLong(p -> Math.max(0, end.get(p) - start.get(p))).sum();
            planned = total;
            return merge(consumer, partitions, end, total, sink);
        }
    }

    private Map<TopicPartition, Long> startOffsets(KafkaConsumer<String, byte[]> consumer,
            List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> start = new HashMap<>(consumer.beginningOffsets(partitions, timeout));
        if (from != null) {
            Map<TopicPartition, Long> at = new HashMap<>();
            // The inventory is read from its start whatever the range: a dataset's record may be older than --from.
            partitions.stream().filter(p -> !p.topic().equals(datasetsTopic))
                    .forEach(p -> at.put(p, from.toEpochMilli()));
            consumer.offsetsForTimes(at, timeout).forEach((p, found) -> {
                if (found != null) {
                    start.put(p, found.offset());
                } else {
                    start.put(p, end.get(p)); // nothing at or after --from: read none of it
                }
            });
        }
        return start;
    }

    /**
     * Ends each events partition at its first record past {@code to}, then, if the range still holds more than
     * {@code maxEvents} records, moves every non-inventory partition's start to the latest time from which it does not
     * (a binary search over time, each step one offsets-for-times lookup).
     */
    private void bound(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
        List<TopicPartition> events = partitions.stream().filter(p -> p.topic().equals(eventsTopic)).toList();
        if (to != null) {
            end.putAll(offsetsAt(consumer, events, to.toEpochMilli() + 1, end));
        }
        if (count(events, start, end) <= maxEvents) {
            return;
        }
        long low = from != null ? from.toEpochMilli() : 0; // holds too many
        long high = to != null ? to.toEpochMilli() + 1 : System.currentTimeMillis() + 1; // holds none after it
        while (high - low > 1) {
            long middle = low + (high - low) / 2;
            Map<TopicPartition, Long> at = offsetsAt(consumer, events, middle, end);
            if (count(events, at, end) <= maxEvents) {
                high = middle;
            } else {
                low = middle;
            }
        }
        long chosen = high;
        partitions.stream().filter(p -> !p.topic().equals(datasetsTopic)).forEach(p -> start.put(p,
                Math.max(start.get(p), offsetsAt(consumer, List.of(p), chosen, end).get(p))));
        readFrom = Instant.ofEpochMilli(chosen);
    }

    /** Each partition's first offset at or after {@code timeMs}, or its end when it has none. */
    private Map<TopicPartition, Long> offsetsAt(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
            long timeMs, Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, timeMs));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        consumer.offsetsForTimes(query, timeout).forEach((p, found) -> offsets.put(p,
                found == null ? end.get(p) : Math.min(found.offset(), end.get(p))));
        return offsets;
    }

    private static long count(List<TopicPartition> partitions, Map<TopicPartition, Long> start,
            Map<TopicPartition, Long> end) {
        return partitions.stream().mapToLong(p -> Math.max(0, end.get(p) - start.get(p))).sum();
    }

    private long merge(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> end, long total, Consumer<ReplayInput> sink) {
        Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> buffers = new HashMap<>();
        Map<TopicPartition, Long> position = new HashMap<>();
        for (TopicPartition p : partitions) {
            buffers.put(p, new ArrayDeque<>());
            position.put(p, consumer.position(p));
        }
        PriorityQueue<Buffered> heads = new PriorityQueue<>(Comparator
                .comparingLong((Buffered b) -> b.record().timestamp())
                .thenComparing(b -> !b.partition().topic().equals(datasetsTopic)) // inventory first at a tie
                .thenComparing(b -> b.partition().toString()));
        ProgressBar bar = new ProgressBar(err, command + ":", total, 500_000_000L, System.nanoTime());
        long read = 0;
        long handed = 0;
        while (true) {
            // A partition with nothing buffered and records left must be fetched before anything can be handed on.
            boolean starving = partitions.stream().anyMatch(p -> buffers.get(p).isEmpty()
                    && position.get(p) < end.get(p));
            if (starving) {
                List<TopicPartition> full = partitions.stream()
                        .filter(p -> buffers.get(p).size() >= BUFFER_PER_PARTITION).toList();
                consumer.pause(full);
                consumer.resume(partitions.stream().filter(p -> !full.contains(p)).toList());
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition p = new TopicPartition(record.topic(), record.partition());
                    position.put(p, record.offset() + 1);
                    if (record.offset() >= end.get(p)) {
                        continue; // written after the read began: not part of this replay
                    }
                    read++;
                    boolean wasEmpty = buffers.get(p).isEmpty();
                    buffers.get(p).add(record);
                    if (wasEmpty) {
                        heads.add(new Buffered(p, record));
                    }
                }
                for (TopicPartition p : partitions) {
                    position.put(p, Math.max(position.get(p), consumer.position(p)));
                }
                bar.update(read, handed, System.nanoTime());
                continue;
            }
            Buffered next = heads.poll();
            if (next == null) {
                break; // every partition at its end, every buffer empty
            }
            ArrayDeque<ConsumerRecord<String, byte[]>> buffer = buffers.get(next.partition());
            buffer.poll();
            if (!buffer.isEmpty()) {
                heads.add(new Buffered(next.partition(), buffer.peek()));
            }
            ReplayInput input;
            try {
                input = decode(next.record());
            } catch (SerializationException e) {
                undecodable++; // the live topology dead-letters such a record too; the replay skips it
                input = null;
            }
            if (input != null) {
                sink.accept(input);
                handed++;
            }
        }
        bar.finish(read, handed, System.nanoTime());
        return handed;
    }

    private ReplayInput decode(ConsumerRecord<String, byte[]> record) {
        long time = record.timestamp();
        if (to != null && time > to.toEpochMilli() && !record.topic().equals(datasetsTopic)) {
            return null;
        }
        Instant first = readFrom;
        if (first != null && time < first.toEpochMilli() && !record.topic().equals(datasetsTopic)) {
            return null;
        }
        if (record.topic().equals(datasetsTopic)) {
            Dataset dataset = record.value() == null ? null : datasets.deserialize(record.topic(), record.value());
            return new ReplayInput.Inventory(record.key(), dataset, time);
        }
        if (record.value() == null) {
            return null;
        }
        if (record.topic().equals(statusTopic)) {
            return new ReplayInput.Status(statuses.deserialize(record.topic(), record.value()), time);
        }
        return new ReplayInput.Access(events.deserialize(record.topic(), record.value()), time);
    }
}
