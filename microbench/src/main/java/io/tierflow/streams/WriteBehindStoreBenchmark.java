package io.tierflow.streams;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
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
 * {@link WriteBehindStore} of activity values, every value held (as between two commits): a reader's {@code get} (a
 * copy), the access event's path ({@code getForUpdate}, change in place, {@code put} back, {@code finishUpdates}), and
 * the path that replaced it (a copy from {@code get}, {@code put} back). Datasets are drawn at random, so values are
 * rarely in the CPU's cache, as in a run over many datasets. An in-memory store stands behind it; no commit happens.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WriteBehindStoreBenchmark {
    private static final int DRAWS = 1 << 16;

    @Param("30000")
    int datasets;

    private WriteBehindStore<DatasetActivity> store;
    private String[] keys;
    private final int[] draws = new int[DRAWS];
    private int next;

    @Setup
    public void setUp() {
        store = new WriteBehindStore<>(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("dataset-activity"),
                Serdes.String(), new DatasetActivitySerde()).withLoggingDisabled().withCachingDisabled().build(),
                DatasetActivity::copy, TieringTopology.ACTIVITIES_HELD_PER_TASK);
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        keys = new String[datasets];
        for (int i = 0; i < datasets; i++) {
            keys[i] = String.format("datasets/d%06d", i);
            store.put(keys[i], ActivitySamples.busy(200, i));
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
    public DatasetActivity get() {
        return store.get(nextKey());
    }

    @Benchmark
    public DatasetActivity getForUpdateAndPut() {
        String key = nextKey();
        DatasetActivity value = store.getForUpdate(key);
        value.sizeBytes++; // the change in place
        store.put(key, value);
        store.finishUpdates();
        return value;
    }

    @Benchmark
    public DatasetActivity getCopyAndPut() {
        String key = nextKey();
        DatasetActivity value = store.get(key);
        value.sizeBytes++;
        store.put(key, value);
        return value;
    }

    private String nextKey() {
        return keys[draws[next++ & (DRAWS - 1)]];
    }
}
