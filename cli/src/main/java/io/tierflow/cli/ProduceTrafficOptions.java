package io.tierflow.cli;

import io.tierflow.cli.traffic.BurstSchedule;
import io.tierflow.cli.traffic.DiurnalCycle;
import io.tierflow.cli.traffic.TrafficConfig;
import io.tierflow.cli.traffic.ZipfSampler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of {@code tierflow produce} that shape the traffic (how many datasets, how fast, for how long, with
 * which popularity, cycle and bursts), and the {@link TrafficConfig} they make. A picocli mixin of
 * {@link ProduceCommand}, so the options stay where they were in its help.
 */
final class ProduceTrafficOptions {
    @Option(names = "--datasets", paramLabel = "N", description = "Number of datasets (default: ${DEFAULT-VALUE}).")
    int datasets = 1000;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S",
            description = "Mean events per second of event time over a day, before bursts (default: "
                    + "${DEFAULT-VALUE}). Sent at rate × speedup per second of real time.")
    double rate = 200;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Stop after this much event time, e.g. 30s, 5m, 1h, 1d or PT30S (default: no limit).")
    Duration duration;

    @Option(names = "--events", paramLabel = "N", description = "Stop after N events (default: no limit).")
    Long events;

    @Option(names = "--seed", description = "Seed of every random choice (default: ${DEFAULT-VALUE}); the same "
            + "seed, --start and options give the same datasets and events.")
    long seed = 42;

    @Option(names = "--start", paramLabel = "INSTANT|now", converter = Converters.StartConverter.class,
            description = "Event time of the first event, e.g. 2026-03-02T00:00:00Z (default: now for live traffic "
                    + "at --speedup 1; otherwise early enough that the run ends about now, because the broker "
                    + "rejects timestamps more than an hour ahead).")
    Instant start;

    @Option(names = "--speedup", paramLabel = "X",
            description = "Event time runs X times as fast as real time (default: ${DEFAULT-VALUE}).")
    double speedup = 1;

    @Option(names = "--unthrottled",
            description = "Send as fast as possible, for load tests; event times are still spaced by --rate. "
                    + "Needs --events or --duration.")
    boolean unthrottled;

    @Option(names = "--zipf-exponent", paramLabel = "S",
            description = "Popularity skew: rank r gets traffic in proportion to 1/r^S (default: ${DEFAULT-VALUE}).")
    double zipfExponent = ZipfSampler.DEFAULT_EXPONENT;

    @Option(names = "--diurnal-amplitude", paramLabel = "A",
            description = "Daily cycle: rate × (1 + A·sin(2π(hour − 6)/24)), hour in UTC, A in [0, 1) "
                    + "(default: ${DEFAULT-VALUE}).")
    double diurnalAmplitude = 0.5;

    @Option(names = "--regions", split = ",", paramLabel = "REGION",
            description = "Client regions; each dataset has one as its home, where 70% of its clients are "
                    + "(default: us-east,eu-west,us-central,ap-south).")
    List<String> regions = new ArrayList<>(TrafficConfig.DEFAULT_REGIONS);

    @Option(names = "--burst-keys", split = ",", paramLabel = "KEY|RANK",
            description = "Datasets that burst, as keys (datasets/d000042) or popularity ranks (42) (default: none).")
    List<String> burstKeys = new ArrayList<>();

    @Option(names = "--burst-every", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "A burst starts every DURATION of event time (default: 10m).")
    Duration burstEvery = Duration.ofMinutes(10);

    @Option(names = "--burst-length", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How long each burst lasts (default: 2m).")
    Duration burstLength = Duration.ofMinutes(2);

    @Option(names = "--burst-factor", paramLabel = "F",
            description = "During a burst the burst datasets get F times their usual traffic (default: ${DEFAULT-VALUE}).")
    double burstFactor = 50;

    /**
     * The traffic these options describe, starting at --start or, without it, at a start derived from {@code now}.
     *
     * @throws ParameterException (a usage error of {@code commandLine}) for options that cannot work together
     */
    TrafficConfig trafficConfig(Instant now, CommandLine commandLine) {
        List<String> problems = new ArrayList<>();
        if (datasets < 1) {
            problems.add("--datasets must be at least 1");
        }
        if (!(speedup > 0) || Double.isInfinite(speedup)) {
            problems.add("--speedup must be a positive number");
        }
        if (events != null && events < 1) {
            problems.add("--events must be at least 1");
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            problems.add("--duration must be positive");
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            problems.add("--rate must be a positive number of events per second");
        }
        if (!(diurnalAmplitude >= 0 && diurnalAmplitude < 1)) {
            problems.add("--diurnal-amplitude must be in [0, 1)");
        }
        if (unthrottled && events == null && duration == null) {
            problems.add("--unthrottled needs --events or --duration, or it would never stop");
        }
        if (!problems.isEmpty()) {
            throw new ParameterException(commandLine, String.join("; ", problems));
        }
        try {
            BurstSchedule bursts = burstKeys.isEmpty()
                    ? BurstSchedule.none()
                    : new BurstSchedule(BurstSchedule.parseRanks(burstKeys, datasets), burstEvery, burstLength,
                            burstFactor);
            return new TrafficConfig(seed, start == null ? defaultStart(now) : start, rate, zipfExponent,
                    new DiurnalCycle(diurnalAmplitude), regions, bursts);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage(), e);
        }
    }

    /**
     * Live traffic starts now. A run that is faster than the clock starts early enough to end about now, because
     * the broker rejects record timestamps more than an hour in the future.
     */
    private Instant defaultStart(Instant now) {
        if (!unthrottled && speedup == 1) {
            return now;
        }
        Duration span = longestSpan();
        return span == null ? now : now.minus(span);
    }

    /**
     * The most event time this run can cover: --duration, or --events at the slowest rate of the day (bursts
     * only make it faster); null when the run has no end.
     */
    Duration longestSpan() {
        if (duration != null) {
            return duration;
        }
        if (events != null) {
            return Duration.ofMillis((long) Math.ceil(events / (rate * (1 - diurnalAmplitude)) * 1000));
        }
        return null;
    }
}
