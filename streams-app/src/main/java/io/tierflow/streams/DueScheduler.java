package io.tierflow.streams;

import io.tierflow.schemas.DatasetState;
import io.tierflow.streams.domain.DueTimes;
import java.util.List;

/**
 * When each dataset of a task is next looked at: its due time, kept both in its record ({@code dueAt}, which survives
 * a restart) and in the in-memory {@link DueIndex} the punctuator takes due datasets from. A record's due time is the
 * one its last look scheduled; the index may hold an earlier one (a first read since that look, a change of the
 * catalogue), which it forgets on a restart and {@link #restore} makes up for.
 */
final class DueScheduler {
    private final TieringSettings settings;
    private final TieringMetrics metrics;
    private DueIndex index;
    /** The catalogue changed since the due datasets were last taken: every dataset is due. */
    private boolean everyDatasetDue;

    DueScheduler(TieringSettings settings, TieringMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Starts an empty index, to {@link #restore} every record into (when the task starts). */
    void clear() {
        close();
        index = new DueIndex();
        metrics.track(index);
    }

    /**
     * Puts a record of the task, as it was stored, in the index (see {@link DueTimes#onStart}): its last look is when
     * its reads were last charged, which every look does.
     */
    void restore(String key, DatasetState record) {
        long dueAt = DueTimes.onStart(record.getDueAt(), record.getInventory() != null, record.getCostAccruedAt(),
                settings.maxReevaluation().toMillis());
        if (dueAt >= 0) {
            index.add(dueAt, key);
        }
    }

    /** Schedules the dataset's next look at {@code dueAt}, instead of any it had. */
    void schedule(DatasetState state, long dueAt) {
        index.add(dueAt, state.getKey());
        state.setDueAt(dueAt);
    }

    /**
     * Schedules the next look after one at {@code now} (see {@link DueTimes#afterLook}): an idle dataset is not looked
     * at until its tier can change (a restart is the exception: see {@link #restore}).
     */
    void scheduleAfterLook(DatasetState state, long now, long demotionAt) {
        long dueAt = DueTimes.afterLook(now, demotionAt, settings.minReevaluation().toMillis());
        if (dueAt == DueTimes.NEVER) {
            index.unschedule(state.getKey());
            state.setDueAt(DueTimes.NEVER);
        } else {
            schedule(state, dueAt);
        }
    }

    /**
     * A dataset's first read since its last look: looked at again within the longest interval, to charge it and to
     * check its latency and cost alerts (and whether its readers' regions favour other sites). The index only: the
     * look that follows writes the record's next due time.
     */
    void firstReadSinceLook(String key, long now) {
        index.addBy(now + settings.maxReevaluation().toMillis(), key);
    }

    /**
     * Looks at the dataset by {@code at} (earlier if it is due earlier already); the index only: the look writes the
     * record's next due time. A move waiting for the migration budget is made due so when the budget has room for it.
     */
    void dueBy(String key, long at) {
        index.addBy(at, key);
    }

    /** Keeps the dataset in the index with no due time (one with nothing to place until its inventory comes). */
    void unschedule(String key) {
        index.unschedule(key);
    }

    /** Takes a dataset that is gone out of the index. */
    void remove(String key) {
        index.remove(key);
    }

    /**
     * Prices, sites, the policy or the model changed, or an operator asked to reoptimize everything: every dataset is
     * looked at again, within the bound per punctuation. Only the index changes; a restart before they all were makes each dataset due within the longest
     * interval since its last look (see {@link #restore}).
     */
    void makeEveryDatasetDue() {
        everyDatasetDue = true;
    }

    /** Takes the datasets due at {@code now} out of the index, earliest first, at most the bound per punctuation. */
    List<DueIndex.Due> takeDue(long now) {
        if (everyDatasetDue) {
            index.addEveryBy(now);
            everyDatasetDue = false;
        }
        return index.takeDue(now, settings.maxEvaluationsPerPunctuation());
    }

    /** A dataset taken from the index is about to be looked at: its record has no due time until the look sets one. */
    static void taken(DatasetState state) {
        state.setDueAt(DueTimes.NEVER);
    }

    void close() {
        if (index != null) {
            metrics.untrack(index);
        }
    }
}
