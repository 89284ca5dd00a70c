package io.tierflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import io.tierflow.streams.LocalStateReadiness;
import io.tierflow.streams.ModelScoreboard;
import io.tierflow.streams.domain.LiveModelFigures;
import io.tierflow.streams.store.KeyPartitions;
import io.tierflow.streams.store.StoreImplementation;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Where data lives among the streams instances of one application, and how to reach it: the owner of a key
 * ({@code queryMetadataForKey} over {@code application.server}), this instance's stores one partition at a time, and
 * other instances over HTTP. While a rebalance is under way ownership is unknown or stores are closed; every read
 * is retried for a short while and then answered 503 with Retry-After, never with a wrong or empty answer.
 */
final class Cluster extends ClusterView {
    /** Header a forwarded request carries, so the receiver answers from its own state and never forwards again. */
    static final String FORWARDED_HEADER = "X-Tierflow-Forwarded-By";
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    private final KafkaStreams streams;
    private final LocalStateReadiness readiness;
    private final HostInfo self;
    private final Duration rebalanceWait;
    private final HttpClient http;
    /** The active stores of this instance's tasks, as found in the client's current stretch of RUNNING. */
    private final Map<StorePartition, TaskStore> taskStores = new ConcurrentHashMap<>();
    /** The owner of each store partition, as Kafka Streams said in the client's current stretch of RUNNING. */
    private final Map<StorePartition, KeptOwner> owners = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    /** How a task's store partition is asked of Kafka Streams (see {@link StoreImplementation#partitionQuery}). */
    private final QueryableStoreType<ReadOnlyKeyValueStore<?, ?>> partitionQuery;

    /** The live figures of the models in force on this instance's tasks. */
    private final ModelScoreboard models;

    /**
     * @param stores the streams app's store implementation, which says how its store partitions are read
     * @param models the streams app's live model figures
     */
    Cluster(KafkaStreams streams, LocalStateReadiness readiness, HostInfo self, Duration rebalanceWait,
            ObjectMapper json, StoreImplementation stores, ModelScoreboard models) {
        this.streams = streams;
        this.models = models;
        this.partitionQuery = stores.partitionQuery();
        this.readiness = readiness;
        this.self = self;
        this.rebalanceWait = rebalanceWait;
        this.json = json;
        // HTTP/1.1: peers are Jetty without h2c, and the JDK client's default (HTTP/2) tries an h2c upgrade over
        // cleartext (Upgrade and HTTP2-Settings headers) that can never succeed. Connections are kept alive and reused.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    HostInfo self() {
        return self;
    }

    @Override
    List<LiveModelFigures> liveModels(Set<Integer> partitions) {
        return models.figures(partitions);
    }

    KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Where a key of a store lives: its active host and partition. The owner of a partition is asked of Kafka Streams
     * once per stretch of RUNNING and kept, like {@link #localStore}: {@code queryMetadataForKey} is synchronized and
     * copies every instance's partition sets on each call (a visible share of an owned GET's CPU), while ownership
     * only moves in a rebalance. A kept owner can be out of date only around a rebalance, and is then safe: this instance reads
     * only its active stores (a task it no longer has fails the read, and {@link #retrying} looks again), and a peer
     * that is forwarded a key it does not own waits for ownership to settle (503 after the rebalance wait).
     *
     * @param partitions how many partitions the store's input topics have; the keys are placed by Kafka's default
     *     partitioner (murmur2 of the key's UTF-8 bytes), as the topology's inputs are
     */
    KeyQueryMetadata ownerOf(String store, String key, int partitions) {
        return retrying("the owner of '" + key + "'", () -> {
            long period = readiness.runningPeriod();
            StorePartition partition = new StorePartition(store, KeyPartitions.of(key, partitions));
            KeptOwner kept = owners.get(partition);
            if (kept != null && kept.runningPeriod() == period && period >= 0) {
                return kept.owner();
            }
            KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
            if (metadata == null || metadata.activeHost() == null
                    || metadata.activeHost().equals(HostInfo.unavailable())) {
                throw new InvalidStateStoreException("no active owner of the key while rebalancing");
            }
            // Kept only if Kafka Streams put the key where we would: otherwise every call asks it (never wrong).
            if (period >= 0 && metadata.partition() == partition.partition()) {
                owners.put(partition, new KeptOwner(period, metadata));
            }
            return metadata;
        });
    }

    /**
     * This instance's copy of a store for one partition (active only, never a stale standby). The task's store is
     * looked up once per stretch of RUNNING and kept: Kafka Streams' own handle looks the task up again on every read,
     * under a lock the stream thread takes in every loop iteration, so per-read lookups cost the API a tenth of a
     * read's CPU and make the stream thread wait for the API (with the stock store implementation, what is kept is that
     * handle: slower, but through the public API only). A store closed since (its task moved or was closed) fails its
     * reads, and {@link #retrying} then looks again.
     */
    <V> ReadOnlyKeyValueStore<String, V> localStore(String store, int partition) {
        long period = readiness.runningPeriod();
        StorePartition key = new StorePartition(store, partition);
        TaskStore kept = taskStores.get(key);
        if (kept == null || kept.runningPeriod() != period || period < 0) {
            kept = new TaskStore(period, streams.store(StoreQueryParameters.fromNameAndType(store, partitionQuery)
                    .withPartition(partition)));
            if (period >= 0) {
                taskStores.put(key, kept);
            }
        }
        @SuppressWarnings("unchecked") // the topology's dataset, ledger and alert stores are keyed by String
        ReadOnlyKeyValueStore<String, V> typed = (ReadOnlyKeyValueStore<String, V>) kept.store();
        return typed;
    }

    /**
     * Fails (to be retried, then 503) unless this instance's copy of a store partition is settled: right after a
     * rebalance a store may still be restoring, and a miss there does not mean the key does not exist.
     */
    void requireSettled(String store, int partition) {
        if (!readiness.settled(store, partition)) {
            throw new InvalidStateStoreException("partition " + partition + " of " + store
                    + " is being restored after a rebalance");
        }
    }

    /** A global store, complete on every instance. */
    <V> ReadOnlyKeyValueStore<String, V> globalStore(String store) {
        return retrying("the " + store + " store", () -> streams.store(
                StoreQueryParameters.<ReadOnlyKeyValueStore<String, V>>fromNameAndType(store,
                        QueryableStoreTypes.keyValueStore())));
    }

    /**
     * The instances hosting a store, with the partitions each one owns of the topic the store is partitioned like.
     * Fails (503) while any partition has no owner, so a list is never silently missing a part.
     */
    List<Member> members(String store, Predicate<String> partitionedLike, int partitionCount) {
        return retrying("the instances hosting " + store, () -> {
            List<Member> members = new ArrayList<>();
            Set<Integer> covered = new TreeSet<>();
            Collection<StreamsMetadata> all = streams.streamsMetadataForStore(store);
            for (StreamsMetadata metadata : all) {
                Set<Integer> partitions = new TreeSet<>();
                metadata.topicPartitions().stream().filter(tp -> partitionedLike.test(tp.topic()))
                        .forEach(tp -> partitions.add(tp.partition()));
                covered.addAll(partitions);
                members.add(new Member(metadata.hostInfo(), partitions));
            }
            if (covered.size() < partitionCount) {
                throw new InvalidStateStoreException("only partitions " + covered + " of " + partitionCount
                        + " have an owner");
            }
            return members;
        });
    }

    boolean isSelf(HostInfo host) {
        return self.equals(host);
    }

    /**
     * GETs a path from another instance and returns its answer as it came: status, body bytes, content type and the
     * instance that answered. For a single dataset, which is passed on unchanged, so it is not parsed and written again.
     * An unreachable peer is a 503.
     */
    Forwarded forward(HostInfo host, String pathAndQuery) {
        try {
            HttpResponse<byte[]> response = http.send(request(host, pathAndQuery),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Forwarded(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse("application/json"),
                    response.headers().firstValue(QueryServer.INSTANCE_HEADER).orElse(null));
        } catch (IOException e) {
            throw unreachable(host, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while asking " + host.host() + ":" + host.port(), 1);
        }
    }

    /**
     * GETs a path from another instance and returns its status and JSON body. An unreachable peer is a 503: its
     * share of the answer cannot be given now.
     */
    Reply get(HostInfo host, String pathAndQuery) {
        try {
            HttpResponse<byte[]> response = http.send(request(host, pathAndQuery),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), json.readTree(response.body()));
        } catch (IOException e) {
            throw unreachable(host, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while asking " + host.host() + ":" + host.port(), 1);
        }
    }

    private HttpRequest request(HostInfo host, String pathAndQuery) {
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery);
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header(FORWARDED_HEADER, self.host() + ":" + self.port()).GET().build();
    }

    private static ApiException unreachable(HostInfo host, IOException e) {
        return ApiException.unavailable("instance " + host.host() + ":" + host.port() + " did not answer ("
                + e.getClass().getSimpleName() + "); retry shortly", 1);
    }

    /**
     * Runs a read, retrying while the streams client is rebalancing or a store is closed for migration; after the
     * rebalance wait it answers 503 with Retry-After.
     */
    <T> T retrying(String what, Supplier<T> read) {
        long deadline = System.nanoTime() + rebalanceWait.toNanos();
        while (true) {
            try {
                return read.get();
            } catch (IllegalStateException e) {
                // Kafka Streams throws this when the client is not running (starting, shutting down, failed).
                throw ApiException.unavailable("this instance's streams client is " + streams.state()
                        + "; retry shortly", 1);
            } catch (InvalidStateStoreException e) { // includes StreamsNotStartedException and StreamsRebalancingException
                // A kept store may be the one that closed, a kept owner the one that moved: look everything up again.
                taskStores.clear();
                owners.clear();
                if (System.nanoTime() >= deadline) {
                    throw ApiException.unavailable("cannot read " + what + " right now (" + streams.state()
                            + ": " + e.getMessage() + "); retry shortly", 1);
                }
                try {
                    Thread.sleep(RETRY_PAUSE.toMillis()); // backing off while the rebalance completes
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ApiException.unavailable("interrupted while waiting for a rebalance", 1);
                }
            }
        }
    }

    private record StorePartition(String store, int partition) {
    }

    /** The owner of a store partition and the stretch of RUNNING it was looked up in. */
    private record KeptOwner(long runningPeriod, KeyQueryMetadata owner) {
    }

    /** A task's store and the stretch of RUNNING it was looked up in. */
    private record TaskStore(long runningPeriod, ReadOnlyKeyValueStore<?, ?> store) {
    }

    /** One instance and the partitions of a store it owns. */
    record Member(HostInfo host, Set<Integer> partitions) {
    }

    /** Another instance's answer, unparsed; {@code instance} is who answered (null if it did not say). */
    record Forwarded(int status, byte[] body, String contentType, String instance) {
    }

    /** Another instance's answer. */
    record Reply(int status, JsonNode body) {
    }
}
