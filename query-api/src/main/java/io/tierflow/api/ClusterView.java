package io.tierflow.api;

import io.tierflow.streams.domain.LiveModelFigures;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What the handlers know of the streams instances: who owns a key, this instance's stores and the way to the others.
 * {@link Cluster} answers over Kafka Streams' metadata and HTTP; the handler tests over stores in memory. The methods
 * are documented where Kafka Streams answers them, in {@link Cluster}. An abstract class rather than an interface so
 * that its methods stay package-private, as the handlers and Cluster are.
 */
abstract class ClusterView {
    abstract HostInfo self();

    abstract boolean isSelf(HostInfo host);

    abstract KafkaStreams.State state();

    /** The active host and partition of a key of a store among {@code partitions}. */
    abstract KeyQueryMetadata ownerOf(String store, String key, int partitions);

    /** This instance's active copy of a store for one partition. */
    abstract <V> ReadOnlyKeyValueStore<String, V> localStore(String store, int partition);

    /** Fails (to be retried, then 503) unless this instance's copy of a store partition is settled. */
    abstract void requireSettled(String store, int partition);

    /** A global store, complete on every instance. */
    abstract <V> ReadOnlyKeyValueStore<String, V> globalStore(String store);

    /** The instances hosting a store, with the partitions each owns of the topic the store is partitioned like. */
    abstract List<Cluster.Member> members(String store, Predicate<String> partitionedLike, int partitionCount);

    /** Another instance's answer to a GET, passed on as it came. */
    abstract Cluster.Forwarded forward(HostInfo host, String pathAndQuery);

    /** Another instance's answer to a GET, parsed. */
    abstract Cluster.Reply get(HostInfo host, String pathAndQuery);

    /** The live figures of the models in force on this instance's dataset tasks of {@code partitions}. */
    abstract List<LiveModelFigures> liveModels(Set<Integer> partitions);

    /** Runs a read, retrying while ownership moves or stores restore; then answers 503 with Retry-After. */
    abstract <T> T retrying(String what, Supplier<T> read);
}
