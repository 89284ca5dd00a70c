package io.tierflow.streams.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The scorer's inputs for one dataset at one moment. Names match the {@code Model} feature names; {@link #NAMES} lists
 * them in the order of {@link #valueAt}, which scorers use to look a feature up by number on the hot path.
 *
 * @param bytesReadGb decayed bytes read from every region, as of now, in GB
 * @param readFraction mean bytes per read over the object's size (a range read is below 1); 0 with no reads
 * @param regionCount client regions read from
 * @param meanInterarrivalSeconds mean time between reads implied by the decayed read rate, at most
 *     {@link #NO_READS_INTERARRIVAL_S}
 * @param readsSoFar reads counted since the dataset was first seen
 * @param ageSeconds time since the first access; 0 if never accessed
 * @param readsPerDay reads so far over the age in days, the age counted as at least a day
 * @param previousRecencySeconds time since the newest access before the last; with none, the recency plus 30 days
 * @param lifetimeInterarrivalSeconds time from the first to the last access over the number of gaps between the
 *     accesses; {@link #NO_READS_INTERARRIVAL_S} with fewer than two
 * @param activeDays UTC days on which the dataset was accessed
 */
public record Features(double count1h, double count24h, double recencySeconds, double logSize, double hourOfDay,
        double dayOfWeek, double heat, double forecast, double bytesReadGb, double readFraction, double regionCount,
        double meanInterarrivalSeconds, double readsSoFar, double ageSeconds, double readsPerDay,
        double previousRecencySeconds, double lifetimeInterarrivalSeconds, double activeDays) {

    /** Every feature's name, in {@link #valueAt} order. */
    public static final List<String> NAMES = List.of("count_1h", "count_24h", "recency_s", "log_size", "hour_of_day",
            "day_of_week", "heat", "forecast", "bytes_read_gb", "read_fraction", "region_count",
            "mean_interarrival_s", "reads_so_far", "age_s", "reads_per_day", "previous_recency_s",
            "lifetime_interarrival_s", "active_days");

    /** The mean inter-arrival time of a dataset with no reads: the same 30 days as the recency of one never read. */
    public static final double NO_READS_INTERARRIVAL_S = 30.0 * 24 * 3600;

    /** The number of {@code name} in {@link #NAMES}, or empty if no feature has that name. */
    public static OptionalInt index(String name) {
        int i = NAMES.indexOf(name);
        return i < 0 ? OptionalInt.empty() : OptionalInt.of(i);
    }

    /** The value of the feature numbered {@code index} in {@link #NAMES}. */
    public double valueAt(int index) {
        return switch (index) {
            case 0 -> count1h;
            case 1 -> count24h;
            case 2 -> recencySeconds;
            case 3 -> logSize;
            case 4 -> hourOfDay;
            case 5 -> dayOfWeek;
            case 6 -> heat;
            case 7 -> forecast;
            case 8 -> bytesReadGb;
            case 9 -> readFraction;
            case 10 -> regionCount;
            case 11 -> meanInterarrivalSeconds;
            case 12 -> readsSoFar;
            case 13 -> ageSeconds;
            case 14 -> readsPerDay;
            case 15 -> previousRecencySeconds;
            case 16 -> lifetimeInterarrivalSeconds;
            case 17 -> activeDays;
            default -> throw new IndexOutOfBoundsException("no feature numbered " + index);
        };
    }

    /** Every feature by name, in {@link #NAMES} order. */
    public Map<String, Double> byName() {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
            values.put(NAMES.get(i), valueAt(i));
        }
        return values;
    }

    /** The feature called {@code name}; 0 for a name no feature has (a validated model names none). */
    public double get(String name) {
        int i = NAMES.indexOf(name);
        return i < 0 ? 0.0 : valueAt(i);
    }
}
