package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Counts the members of a group alert and keeps the worst few of them, in one pass and bounded memory however many
 * members there are.
 *
 * @param <T> a member
 */
public final class WorstMembers<T> {
    private final int keep;
    private final Comparator<T> worseFirst;
    /** The kept members, the least bad at the head (it is the one a worse member replaces). */
    private final PriorityQueue<T> kept;
    private long count;

    /**
     * @param keep how many of the worst members to keep
     * @param worseFirst orders a worse member before a less bad one (ties broken by the comparator, so the result
     *     does not depend on the order members come in)
     */
    public WorstMembers(int keep, Comparator<T> worseFirst) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, not " + keep);
        }
        this.keep = keep;
        this.worseFirst = worseFirst;
        this.kept = new PriorityQueue<>(keep + 1, worseFirst.reversed());
    }

    public void add(T member) {
        count++;
        kept.add(member);
        if (kept.size() > keep) {
            kept.poll();
        }
    }

    public long count() {
        return count;
    }

    /** The worst members seen, worst first: at most {@code keep}. */
    public List<T> worst() {
        List<T> worst = new ArrayList<>(kept);
        worst.sort(worseFirst);
        return worst;
    }
}
