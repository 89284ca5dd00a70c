package io.tierflow.streams;

import java.util.Map;

/**
 * A dataset's activity as the API shows it.
 *
 * @param count1h accesses in the hour ending at the time the view was taken
 * @param count24h accesses in the 24 hours ending then
 * @param heat decayed heat as of {@code heatAt}
 * @param heatAt event time (epoch ms) {@code heat} and {@code regionDemand} refer to; 0 if never accessed
 * @param lastAccess event time (epoch ms) of the newest access; 0 if never accessed
 * @param regionDemand decayed bytes read per client region, as of {@code heatAt}
 * @param forecastHourlyRate expected accesses in the coming hour (Holt forecast)
 * @param totalEvents accesses counted since the dataset was first seen
 */
public record ActivityView(long count1h, long count24h, double heat, long heatAt, long lastAccess,
        Map<String, Double> regionDemand, double forecastHourlyRate, long totalEvents) {
}
