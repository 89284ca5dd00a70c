package io.tierflow.streams.domain;

/**
 * Predictive pre-copy: the heat the hourly forecast says a dataset will have within the policy's lookahead, so a
 * dataset whose accesses are climbing is made hot, and its copies reach the hot placement, before its burst rather than
 * during it. The forecast is the activity's Holt forecast (level and trend of the hourly access count) brought up to
 * now; each hour ahead is expected to bring {@code level + trend · h} accesses (never fewer than none), spread evenly
 * over the hour and weighing one each, as a GET does. The heat projected with them decays at the policy's half-life
 * like the real heat; the highest it reaches at an hour's end within the lookahead is what the tier may be decided on.
 *
 * <p>A forecast that does not come true fades by itself: every hour that passes without the accesses it expected
 * feeds a lower count into the forecast, so the dataset is looked at again each hour while the forecast holds its
 * tier ({@link #nextLookMs}).
 */
public final class PreCopy {
    private static final long HOUR_MS = Activity.COARSE_BUCKET_MS;
    /** Hours of silence fed to a forecast at most: after a week of zeros the forecast is nothing either way. */
    private static final int MAX_CATCH_UP_HOURS = 7 * 24;

    private PreCopy() {
    }

    /**
     * The highest heat the forecast projects within the policy's lookahead, from the heat at {@code nowMs}; the heat
     * now when pre-copy is off or nothing has been forecast yet.
     */
    public static double forecastHeat(Activity activity, TieringPolicy policy, long nowMs) {
        double heat = activity.heatAt(nowMs, policy.halfLifeMs());
        long lookahead = policy.preCopyLookaheadMs();
        if (lookahead <= 0) {
            return heat;
        }
        HoltForecast forecast = forecastAt(activity, nowMs);
        if (forecast.observations() == 0) {
            return heat;
        }
        double halfLife = policy.halfLifeMs();
        double best = heat;
        double projected = heat;
        for (long ahead = 0, hour = 1; ahead < lookahead; ahead += HOUR_MS, hour++) {
            long step = Math.min(HOUR_MS, lookahead - ahead);
            double accesses = Math.max(0.0, forecast.level() + forecast.trend() * hour) * step / HOUR_MS;
            double decay = Math.pow(2.0, -step / halfLife);
            // Accesses spread evenly over the step, each decayed from its time to the step's end: their mean decay.
            double meanDecay = (1.0 - decay) * halfLife / (step * Math.log(2.0));
            projected = projected * decay + accesses * meanDecay;
            best = Math.max(best, projected);
        }
        return best;
    }

    /**
     * The activity's forecast brought up to {@code nowMs}: the hours completed since it was last fed are fed now (the
     * activity feeds it only when an access opens a new hour, so a dataset that went quiet still holds the forecast
     * of its last busy hour). The activity itself is not changed.
     */
    static HoltForecast forecastAt(Activity activity, long nowMs) {
        BucketedCounts hourly = activity.coarse();
        long currentHour = Math.floorDiv(nowMs, HOUR_MS);
        HoltForecast forecast = activity.holt();
        long from = Math.max(activity.holtHour() + 1, currentHour - MAX_CATCH_UP_HOURS);
        if (forecast.observations() == 0) {
            // Never fed: start at the first hour with an access (zeros before it are not a trend).
            from = Math.max(from, hourly.newestBucket() - Activity.COARSE_BUCKETS + 1);
            while (from < currentHour && hourly.countOf(from) == 0) {
                from++;
            }
        }
        for (long hour = from; hour < currentHour; hour++) {
            forecast = forecast.observe(hourly.countOf(hour));
        }
        return forecast;
    }

    /** When a tier held by the forecast is looked at again: the next hour's start, when the forecast next changes. */
    public static long nextLookMs(long nowMs) {
        return (Math.floorDiv(nowMs, HOUR_MS) + 1) * HOUR_MS;
    }
}
