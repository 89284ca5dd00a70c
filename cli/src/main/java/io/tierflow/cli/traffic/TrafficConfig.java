package io.tierflow.cli.traffic;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What traffic to generate. Every field takes part in the events, so the same configuration over the same
 * datasets gives the same events, ids included.
 *
 * @param seed seed of every random choice
 * @param start event time of the start of the run (kept to the millisecond, as events carry it)
 * @param rate mean events per second of event time, before the diurnal cycle and bursts modulate it
 * @param zipfExponent popularity exponent s: rank r is accessed in proportion to 1/r^s
 * @param diurnal the daily rhythm
 * @param regions client regions; each dataset has one of them as its home, where most of its clients are
 * @param bursts which datasets burst, and when
 */
public record TrafficConfig(long seed, Instant start, double rate, double zipfExponent, DiurnalCycle diurnal,
        List<String> regions, BurstSchedule bursts) {

    /** The client regions used when none are given: those of the local sites plus one far away. */
    public static final List<String> DEFAULT_REGIONS = List.of("us-east", "eu-west", "us-central", "ap-south");

    public TrafficConfig {
        start = start.truncatedTo(ChronoUnit.MILLIS);
        regions = List.copyOf(regions);
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("the rate must be a positive number of events per second, got " + rate);
        }
        if (regions.isEmpty() || regions.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("need at least one client region, and no blank ones: " + regions);
        }
    }
}
