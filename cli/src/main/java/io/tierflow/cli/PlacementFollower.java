package io.tierflow.cli;

import io.tierflow.cli.traffic.CurrentPlacements;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Site;
import io.tierflow.streams.domain.MigrationPlanner;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Keeps {@link CurrentPlacements} up to date on a thread of its own, so the traffic serves reads from where the bytes
 * are: it reads {@code sites} and {@code datasets} from the beginning, then {@code migration-status} from the
 * beginning, and goes on following all three. {@code placements} is not followed: a placement is a decision, whose
 * copies may not exist yet; a completed step of {@code migration-status} is what moves bytes. Statuses come after the
 * inventory because a step applies only to a dataset whose inventory entry (and checksum) is known. No consumer group:
 * every traffic generator sees everything.
 */
final class PlacementFollower implements AutoCloseable {
    private static final List<String> CATALOGUE_TOPICS = List.of(Topics.SITES, Topics.DATASETS);

    private final KafkaConsumer<String, byte[]> consumer;
    private final CurrentPlacements placements;
    private final Deserializer<Site> sites;
    private final Deserializer<Dataset> datasets;
    private final Deserializer<MigrationStatus> statuses;
    private final PrintWriter log;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    /** End offsets to reach before the next stage: the catalogue's, then the statuses'. */
    private Map<TopicPartition, Long> catchUpTo;
    private boolean followingStatuses;
    private long unreadable;

    private PlacementFollower(String bootstrapServers, Topics topics, CurrentPlacements placements, PrintWriter log) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.placements = placements;
        this.sites = topics.sites.valueSerde().deserializer();
        this.datasets = topics.datasets.valueSerde().deserializer();
        this.statuses = topics.migrationStatus.valueSerde().deserializer();
        this.log = log;
        this.thread = new Thread(this::follow, "tierflow-placement-follower");
        this.thread.setDaemon(true);
    }

    /** Starts following; the placements fill in as the topics are read ({@link #awaitCaughtUp}). */
    static PlacementFollower start(String bootstrapServers, Topics topics, CurrentPlacements placements,
            PrintWriter log) {
        PlacementFollower follower = new PlacementFollower(bootstrapServers, topics, placements, log);
        follower.thread.start();
        return follower;
    }

    /** Waits until what the topics held when following began has been read; false if that took longer. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void follow() {
        try {
            List<TopicPartition> catalogue = partitionsOf(CATALOGUE_TOPICS);
            consumer.assign(catalogue);
            consumer.seekToBeginning(catalogue);
            catchUpTo = consumer.endOffsets(catalogue);
            while (true) {
                if (reachedCatchUpPoint()) {
                    nextStage(catalogue);
                    if (consumer.assignment().isEmpty()) {
                        caughtUp.countDown();
                        return; // none of the topics exists: nothing will ever move
                    }
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.println("tierflow produce: stopped following where the datasets are (" + e + "); reads are served "
                    + "from where they were last known to be");
            log.flush();
        } finally {
            consumer.close();
        }
    }

    private boolean reachedCatchUpPoint() {
        if (catchUpTo == null) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> end : catchUpTo.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    // The catalogue read: go on with the statuses from their beginning; those read too: caught up.
    private void nextStage(List<TopicPartition> catalogue) {
        if (followingStatuses) {
            catchUpTo = null;
            caughtUp.countDown();
            return;
        }
        List<TopicPartition> statusPartitions = partitionsOf(List.of(Topics.MIGRATION_STATUS));
        List<TopicPartition> all = new ArrayList<>(catalogue);
        all.addAll(statusPartitions);
        consumer.assign(all); // the catalogue's partitions keep their positions
        consumer.seekToBeginning(statusPartitions);
        catchUpTo = consumer.endOffsets(statusPartitions);
        followingStatuses = true;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            switch (record.topic()) {
                case Topics.SITES -> {
                    Site site = record.value() == null ? null : sites.deserialize(record.topic(), record.value());
                    if (site == null) {
                        placements.siteRemoved(record.key());
                    } else {
                        placements.site(offer(site));
                    }
                }
                case Topics.DATASETS -> {
                    Dataset dataset = record.value() == null ? null
                            : datasets.deserialize(record.topic(), record.value());
                    if (dataset == null) {
                        placements.deleted(record.key());
                    } else {
                        placements.inventory(dataset.getKey(), dataset.getPrimarySite(), dataset.getReplicaSites(),
                                dataset.getSha256());
                    }
                }
                case Topics.MIGRATION_STATUS -> {
                    MigrationStatus status = record.value() == null ? null
                            : statuses.deserialize(record.topic(), record.value());
                    if (status != null && status.getPhase() == MigrationPhase.COMPLETED) {
                        placements.completed(status.getKey(), MigrationPlanner.Action.valueOf(status.getAction().name()),
                                status.getSourceSite(), status.getDestinationSite(), status.getSha256());
                    }
                }
                default -> throw new IllegalStateException("not a topic this follows: " + record.topic());
            }
        } catch (SerializationException e) {
            // Not a record anyone can act on (the topology sends it to dead-letters); the traffic goes on without it.
            if (unreadable++ == 0) {
                log.println("tierflow produce: skipping an unreadable record of " + record.topic() + " at offset "
                        + record.offset() + " (" + e.getMessage() + ")");
                log.flush();
            }
        }
    }

    private List<TopicPartition> partitionsOf(List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        Map<String, List<org.apache.kafka.common.PartitionInfo>> existing = new HashMap<>(consumer.listTopics());
        for (String topic : topics) {
            for (org.apache.kafka.common.PartitionInfo info : existing.getOrDefault(topic, List.of())) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        return partitions;
    }

    // What serving a read needs of a site; prices are not needed to choose the copy.
    private static SiteOffer offer(Site site) {
        return new SiteOffer(site.getName(), site.getProvider().name(), site.getRegion(), site.getP95LatencyMs(),
                site.getEgressPricePerGb(), site.getEncrypted(), site.getUp(), site.getCapacityBytes(), List.of());
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
