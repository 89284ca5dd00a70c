package io.tierflow.streams.domain;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Activity#record}, the activity update of every access event: one dataset read from four regions, an event
 * every quarter second of event time, so buckets roll over and the decayed figures move as they do in a run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ActivityRecordBenchmark {
    private static final String[] REGIONS = {"us-east", "eu-west", "us-central", "ap-south"};
    private static final int IDS = 1 << 12;

    private final String[] eventIds = new String[IDS];
    private Activity activity;
    private long eventTime;
    private int next;

    @Setup
    public void setUp() {
        for (int i = 0; i < IDS; i++) {
            eventIds[i] = "run-1-" + i; // repeats only after thousands of events: the duplicate check never hits
        }
        activity = new Activity();
        eventTime = 1_780_000_000_000L;
        for (int i = 0; i < 10_000; i++) {
            record();
        }
    }

    @Benchmark
    public Activity.Outcome record() {
        int i = next++;
        eventTime += 250;
        return activity.record(eventTime, "GET", 1 << 20, REGIONS[i & 3], eventIds[i & (IDS - 1)],
                TieringPolicy.BUILT_IN, eventTime);
    }
}
