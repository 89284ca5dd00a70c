package io.tierflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.streams.domain.LiveModelFigures;
import io.tierflow.streams.store.KeyPartitions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The handlers' view of the cluster held in memory: this instance's stores per partition, which partitions peers own
 * and what they answer. Keys are placed as {@link Cluster} places them; a read that finds a store restoring is
 * answered 503 at once, as {@link Cluster#retrying} does once its rebalance wait is over.
 */
final class FakeCluster extends ClusterView {
    static final HostInfo SELF = new HostInfo("127.0.0.1", 7070);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int partitions;
    private final Map<String, Map<Integer, MemoryStore<?>>> stores = new HashMap<>();
    private final Map<String, MemoryStore<?>> globalStores = new HashMap<>();
    private final Map<Integer, HostInfo> owners = new HashMap<>();
    private final Set<String> restoring = new HashSet<>();
    private final Map<HostInfo, Peer> peers = new LinkedHashMap<>();
    /** The paths (and queries) asked of peers, in order. */
    final List<String> asked = new ArrayList<>();
    KafkaStreams.State state = KafkaStreams.State.RUNNING;
    /** The live model figures this instance's tasks published, by partition. */
    final Map<Integer, List<LiveModelFigures>> liveModels = new HashMap<>();

    /** How a peer answers a GET: status and body for the path and query it was asked. */
    interface Peer {
        Cluster.Forwarded answer(String pathAndQuery);
    }

    FakeCluster(int partitions) {
        this.partitions = partitions;
    }

    /** This instance's store partition, created empty on first use. */
    @SuppressWarnings("unchecked")
    <V> MemoryStore<V> store(String store, int partition) {
        return (MemoryStore<V>) stores.computeIfAbsent(store, s -> new HashMap<>())
                .computeIfAbsent(partition, p -> new MemoryStore<>());
    }

    /** This instance's store partition that holds a key. */
    <V> MemoryStore<V> storeOf(String store, String key) {
        return store(store, KeyPartitions.of(key, partitions));
    }

    @SuppressWarnings("unchecked")
    <V> MemoryStore<V> global(String store) {
        return (MemoryStore<V>) globalStores.computeIfAbsent(store, s -> new MemoryStore<>());
    }

    /** A peer that owns these partitions (of every store) and answers with {@code peer}. */
    FakeCluster peer(HostInfo host, Set<Integer> owned, Peer peer) {
        owned.forEach(partition -> owners.put(partition, host));
        peers.put(host, peer);
        return this;
    }

    /** Marks a store partition as still restoring after a rebalance. */
    FakeCluster restoring(String store, int partition) {
        restoring.add(store + "/" + partition);
        return this;
    }

    @Override
    HostInfo self() {
        return SELF;
    }

    @Override
    boolean isSelf(HostInfo host) {
        return SELF.equals(host);
    }

    @Override
    KafkaStreams.State state() {
        return state;
    }

    @Override
    KeyQueryMetadata ownerOf(String store, String key, int partitionCount) {
        int partition = KeyPartitions.of(key, partitionCount);
        return new KeyQueryMetadata(owners.getOrDefault(partition, SELF), Set.of(), partition);
    }

    @Override
    <V> ReadOnlyKeyValueStore<String, V> localStore(String store, int partition) {
        if (!SELF.equals(owners.getOrDefault(partition, SELF))) {
            throw new InvalidStateStoreException("partition " + partition + " of " + store + " is not this instance's");
        }
        return store(store, partition);
    }

    @Override
    void requireSettled(String store, int partition) {
        if (restoring.contains(store + "/" + partition)) {
            throw new InvalidStateStoreException("partition " + partition + " of " + store + " is being restored");
        }
    }

    @Override
    <V> ReadOnlyKeyValueStore<String, V> globalStore(String store) {
        return global(store);
    }

    @Override
    List<Cluster.Member> members(String store, Predicate<String> partitionedLike, int partitionCount) {
        Map<HostInfo, Set<Integer>> owned = new LinkedHashMap<>();
        owned.put(SELF, new TreeSet<>());
        peers.keySet().forEach(host -> owned.put(host, new TreeSet<>()));
        for (int partition = 0; partition < partitionCount; partition++) {
            owned.get(owners.getOrDefault(partition, SELF)).add(partition);
        }
        List<Cluster.Member> members = new ArrayList<>();
        owned.forEach((host, partitions) -> members.add(new Cluster.Member(host, partitions)));
        return members;
    }

    @Override
    Cluster.Forwarded forward(HostInfo host, String pathAndQuery) {
        asked.add(pathAndQuery);
        return peers.get(host).answer(pathAndQuery);
    }

    @Override
    Cluster.Reply get(HostInfo host, String pathAndQuery) {
        Cluster.Forwarded answer = forward(host, pathAndQuery);
        try {
            JsonNode body = JSON.readTree(answer.body());
            return new Cluster.Reply(answer.status(), body);
        } catch (IOException e) {
            throw new IllegalStateException("the fake peer answered something that is not JSON", e);
        }
    }

    @Override
    List<LiveModelFigures> liveModels(Set<Integer> partitions) {
        List<LiveModelFigures> figures = new ArrayList<>();
        partitions.forEach(p -> figures.addAll(liveModels.getOrDefault(p, List.of())));
        return figures;
    }

    @Override
    <T> T retrying(String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (InvalidStateStoreException e) {
            throw ApiException.unavailable("cannot read " + what + " right now (" + e.getMessage() + ")", 1);
        }
    }
}
