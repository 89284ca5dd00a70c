package io.tierflow.streams.domain;

import java.util.Map;

/** The scorer's inputs for one dataset at one moment. Names match the {@code Model} feature names. */
public record Features(double count1h, double count24h, double recencySeconds, double logSize, double hourOfDay,
        double dayOfWeek, double heat, double forecast) {

    public Map<String, Double> byName() {
        return Map.of("count_1h", count1h, "count_24h", count24h, "recency_s", recencySeconds, "log_size", logSize,
                "hour_of_day", hourOfDay, "day_of_week", dayOfWeek, "heat", heat, "forecast", forecast);
    }

    public double get(String name) {
        return switch (name) {
            case "count_1h" -> count1h;
            case "count_24h" -> count24h;
            case "recency_s" -> recencySeconds;
            case "log_size" -> logSize;
            case "hour_of_day" -> hourOfDay;
            case "day_of_week" -> dayOfWeek;
            case "heat" -> heat;
            case "forecast" -> forecast;
            default -> 0.0; // an unknown feature contributes nothing rather than failing every decision
        };
    }
}
