package io.tierflow.streams;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link DatasetActivitySerde}: writing an activity value (once per commit for each dataset written since the last,
 * into RocksDB and the changelog) and reading it (when a value is not held, and on restore).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DatasetActivitySerdeBenchmark {
    private DatasetActivity value;
    private byte[] bytes;

    @Setup
    public void setUp() {
        value = ActivitySamples.busy(2_000, 1);
        bytes = DatasetActivitySerde.write(value);
    }

    @Benchmark
    public byte[] write() {
        return DatasetActivitySerde.write(value);
    }

    @Benchmark
    public DatasetActivity read() {
        return DatasetActivitySerde.read(bytes, "dataset-activity-changelog");
    }
}
