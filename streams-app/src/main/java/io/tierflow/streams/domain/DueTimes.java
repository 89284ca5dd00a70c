package io.tierflow.streams.domain;

/**
 * When a dataset is next looked at (epoch ms; {@link #NEVER}: not until something happens to it). A dataset is looked
 * at when its tier can change by time alone; a read, a migration step, an operator or a change of the catalogue makes
 * it due when it happens.
 */
public final class DueTimes {
    /** No due time: nothing but an event, a migration step or a change of the catalogue can change the decision. */
    public static final long NEVER = -1L;

    private DueTimes() {
    }

    /**
     * After a look at {@code nowMs}: when the heat will have decayed to the tier's demotion threshold
     * ({@code Long.MAX_VALUE}: never), but not sooner than {@code minIntervalMs} after the look.
     */
    public static long afterLook(long nowMs, long demotionAtMs, long minIntervalMs) {
        return demotionAtMs == Long.MAX_VALUE ? NEVER : Math.max(nowMs + minIntervalMs, demotionAtMs);
    }

    /**
     * When the task starts and finds the record: its own due time ({@link #NEVER} or any negative: none), and for a
     * dataset with an inventory entry no later than {@code maxIntervalMs} after its last look ({@code lastLookMs}), so
     * that what made it due earlier in memory only (a read to charge, a change of the catalogue) and a restart lost is
     * caught up on.
     */
    public static long onStart(long dueAtMs, boolean placed, long lastLookMs, long maxIntervalMs) {
        if (!placed) {
            return dueAtMs;
        }
        long lookBy = lastLookMs + maxIntervalMs;
        return dueAtMs >= 0 ? Math.min(dueAtMs, lookBy) : lookBy;
    }
}
