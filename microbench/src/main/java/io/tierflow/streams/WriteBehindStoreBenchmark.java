package io.tierflow.streams;

import io.tierflow.streams.domain.Activity;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link WriteBehindStore} of activities (the bulk of a {@code dataset-activity} value), every value held, as between
 * two commits: a reader's {@code get} (a copy), the access event's path ({@code getForUpdate}, change in place,
 * {@code put} back, {@code finishUpdates}), and the path that it replaced (a copy from {@code get}, {@code put} back).
 * Datasets are drawn at random, so values are rarely in the CPU's cache, as in a run over many datasets. No commit
 * happens, so the in-memory store behind is never read or written. Only public types besides the store itself, so the
 * benchmark can follow the store to whichever package it lives in.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WriteBehindStoreBenchmark {
    private static final int DRAWS = 1 << 16;
    /** Values per generation: the topology's figure for dataset-activity (TieringTopology.ACTIVITIES_HELD_PER_TASK). */
    private static final int HELD = 30_000;

    @Param("30000")
    int datasets;

    private WriteBehindStore<Activity> store;
    private String[] keys;
    private final int[] draws = new int[DRAWS];
    private int next;

    @Setup
    public void setUp() {
        store = new WriteBehindStore<>(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("dataset-activity"),
                Serdes.String(), new NeverStored()).withLoggingDisabled().withCachingDisabled().build(),
                Activity::copy, HELD);
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        keys = new String[datasets];
        for (int i = 0; i < datasets; i++) {
            keys[i] = String.format("datasets/d%06d", i);
            store.put(keys[i], ActivitySamples.activity(200, i));
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < DRAWS; i++) {
            draws[i] = random.nextInt(datasets);
        }
    }

    @TearDown
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public Activity get() {
        return store.get(nextKey());
    }

    @Benchmark
    public Activity getForUpdateAndPut() {
        String key = nextKey();
        Activity value = store.getForUpdate(key);
        store.put(key, value);
        store.finishUpdates();
        return value;
    }

    @Benchmark
    public Activity getCopyAndPut() {
        String key = nextKey();
        Activity value = store.get(key);
        store.put(key, value);
        return value;
    }

    private String nextKey() {
        return keys[draws[next++ & (DRAWS - 1)]];
    }

    /** The serde of the store behind, which this benchmark never reaches (no commit, no value missing). */
    private static final class NeverStored implements Serde<Activity> {
        @Override
        public Serializer<Activity> serializer() {
            return (topic, value) -> {
                throw new UnsupportedOperationException("the benchmark writes nothing through to the store behind");
            };
        }

        @Override
        public Deserializer<Activity> deserializer() {
            return (topic, data) -> {
                throw new UnsupportedOperationException("the benchmark reads nothing from the store behind");
            };
        }
    }
}
