package io.tierflow.streams.domain;

/**
 * Holt's linear exponential smoothing (level + trend) of the hourly request rate, fed one complete hour at a time.
 *
 * @param level smoothed requests per hour
 * @param trend smoothed change of the level per hour
 * @param observations hours fed so far
 */
public record HoltForecast(double level, double trend, long observations) {
    public static final double ALPHA = 0.5;
    public static final double BETA = 0.3;
    public static final HoltForecast EMPTY = new HoltForecast(0, 0, 0);

    /** The forecast after observing {@code requestsInHour} in the next complete hour. */
    public HoltForecast observe(double requestsInHour) {
        if (observations == 0) {
            return new HoltForecast(requestsInHour, 0, 1);
        }
        double newLevel = ALPHA * requestsInHour + (1 - ALPHA) * (level + trend);
        double newTrend = BETA * (newLevel - level) + (1 - BETA) * trend;
        return new HoltForecast(newLevel, newTrend, observations + 1);
    }

    /** Expected requests in the coming hour, never negative. */
    public double nextHour() {
        return Math.max(0.0, level + trend);
    }
}
