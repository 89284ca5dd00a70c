package io.tierflow.streams;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link DueIndex} with a task's worth of scheduled datasets: the punctuator's step (take the earliest due dataset and
 * schedule it again, as its evaluation does) and the rescheduling of an arbitrary dataset.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DueIndexBenchmark {
    private static final long HOUR = 3_600_000L;
    private static final int DRAWS = 1 << 16;

    @Param("40000")
    int datasets;

    private DueIndex index;
    private String[] keys;
    /** Random dataset numbers and delays, drawn up front so that the benchmark does not measure the generator. */
    private final int[] datasetDraws = new int[DRAWS];
    private final long[] delayDraws = new long[DRAWS];
    private long now;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        index = new DueIndex();
        keys = new String[datasets];
        for (int i = 0; i < datasets; i++) {
            keys[i] = String.format("datasets/d%06d", i);
            index.add(random.nextLong(HOUR), keys[i]);
        }
        for (int i = 0; i < DRAWS; i++) {
            datasetDraws[i] = random.nextInt(datasets);
            delayDraws[i] = 1 + random.nextLong(HOUR);
        }
    }

    @Benchmark
    public long takeEarliestAndReschedule() {
        List<DueIndex.Due> due = index.takeDue(Long.MAX_VALUE, 1);
        DueIndex.Due earliest = due.get(0);
        now = earliest.at();
        index.add(now + delayDraws[next++ & (DRAWS - 1)], earliest.key());
        return now;
    }

    @Benchmark
    public int rescheduleAny() {
        int draw = next++ & (DRAWS - 1);
        index.add(now + delayDraws[draw], keys[datasetDraws[draw]]);
        return draw;
    }
}
