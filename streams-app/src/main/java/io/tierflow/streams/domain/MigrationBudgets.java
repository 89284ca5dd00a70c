package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task's migration budget split into pools by the policies' budget shares: a policy with a share has a pool of
 * that fraction of the budget kept for the moves of its datasets, and every other dataset's moves use the common pool,
 * what the shares leave. Each pool is a {@link MigrationBudget} with its own order of waiting moves; a pool's moves
 * never use another pool's room, so a busy scope cannot starve one whose share was kept for it, and the pools together
 * never exceed the budget. Evacuations of a site marked down go whatever their pool holds, as in every budget.
 *
 * <p>A dataset whose policy changes moves to the new policy's pool at its next request; a copy already counted stays
 * counted where it was admitted until its hour ends. All pools keep their changes in the same {@link
 * MigrationBudget.Journal}: a dataset has at most one copy in flight and one waiting move, wherever they are.
 */
public final class MigrationBudgets {
    /** The pool of every dataset whose policy keeps no share. */
    public static final String COMMON = "";

    private final MigrationBudget.Journal journal;
    private final Map<String, MigrationBudget> pools = new LinkedHashMap<>();
    private Map<String, Double> shares = Map.of();

    public MigrationBudgets(MigrationBudget.Journal journal) {
        this.journal = journal;
        pools.put(COMMON, new MigrationBudget(journal));
    }

    /**
     * Sets the pools from the task's share of the budget and the policies' shares (policy name → fraction; they add up
     * to at most 1, as the catalogue's rules check). A pool whose policy no longer keeps a share stays until it holds
     * nothing, with no room of its own: what it counts still counts, and its waiting moves go to the common pool when
     * they are next requested.
     */
    public void share(long taskBytesPerHour, Map<String, Double> policyShares) {
        shares = Map.copyOf(policyShares);
        double kept = 0.0;
        for (Map.Entry<String, Double> share : shares.entrySet()) {
            kept += share.getValue();
            pools.computeIfAbsent(share.getKey(), k -> emptyPool())
                    .share(fraction(taskBytesPerHour, share.getValue()));
        }
        pools.get(COMMON).share(fraction(taskBytesPerHour, Math.max(0.0, 1.0 - kept)));
        pools.entrySet().removeIf(pool -> !pool.getKey().equals(COMMON) && !shares.containsKey(pool.getKey())
                && pool.getValue().countedBytes() == 0 && pool.getValue().backlog().moves() == 0);
        for (Map.Entry<String, MigrationBudget> pool : pools.entrySet()) {
            if (!pool.getKey().equals(COMMON) && !shares.containsKey(pool.getKey())) {
                pool.getValue().share(0);
            }
        }
    }

    /** A pool with no room until {@link #share} gives it some (a budget starts unlimited). */
    private MigrationBudget emptyPool() {
        MigrationBudget pool = new MigrationBudget(journal);
        pool.share(0);
        return pool;
    }

    private static long fraction(long bytesPerHour, double share) {
        if (bytesPerHour == MigrationBudget.UNLIMITED) {
            return MigrationBudget.UNLIMITED;
        }
        return (long) Math.floor(bytesPerHour * share);
    }

    /** The pool a dataset under {@code policyName} moves in. */
    public String poolOf(String policyName) {
        return shares.containsKey(policyName) ? policyName : COMMON;
    }

    /** The pool's share of the task's budget now, bytes per hour. */
    public long share(String pool) {
        MigrationBudget budget = pools.get(pool);
        return budget == null ? 0 : budget.share();
    }

    /**
     * Whether {@code move} may start at {@code now} in {@code pool} (see {@link MigrationBudget#request}); a wait in
     * another pool (the dataset's policy changed) ends first.
     */
    public boolean request(String pool, MigrationBudget.Move move, long now) {
        for (Map.Entry<String, MigrationBudget> other : pools.entrySet()) {
            if (!other.getKey().equals(pool) && other.getValue().isWaiting(move.key())) {
                other.getValue().withdraw(move.key());
            }
        }
        return pools.computeIfAbsent(pool, k -> emptyPool()).request(move, now);
    }

    /** The dataset's copy in flight ended, in whichever pool admitted it. */
    public void ended(String key, long now) {
        for (MigrationBudget budget : pools.values()) {
            budget.ended(key, now);
        }
    }

    /** The dataset waits no more, in whichever pool it waited. */
    public void withdraw(String key) {
        for (MigrationBudget budget : pools.values()) {
            if (budget.isWaiting(key)) {
                budget.withdraw(key);
            }
        }
    }

    public boolean isWaiting(String key) {
        for (MigrationBudget budget : pools.values()) {
            if (budget.isWaiting(key)) {
                return true;
            }
        }
        return false;
    }

    /** The waiting moves every pool would admit now, each pool's best first. */
    public List<String> release(long now) {
        List<String> keys = new ArrayList<>();
        for (MigrationBudget budget : pools.values()) {
            keys.addAll(budget.release(now));
        }
        return keys;
    }

    /** All pools' waiting moves and bytes; they drain when the slowest pool has drained. */
    public MigrationBudget.Backlog backlog() {
        long moves = 0;
        long bytes = 0;
        double drain = 0.0;
        for (MigrationBudget budget : pools.values()) {
            MigrationBudget.Backlog backlog = budget.backlog();
            moves += backlog.moves();
            bytes += backlog.bytes();
            drain = Math.max(drain, backlog.drainSeconds());
        }
        return new MigrationBudget.Backlog(moves, bytes, drain);
    }

    /** Bytes counted in every pool: copies in flight and those ended within the hour. */
    public long countedBytes() {
        long counted = 0;
        for (MigrationBudget budget : pools.values()) {
            counted += budget.countedBytes();
        }
        return counted;
    }

    public List<String> inFlightKeys() {
        List<String> keys = new ArrayList<>();
        for (MigrationBudget budget : pools.values()) {
            keys.addAll(budget.inFlightKeys());
        }
        return keys;
    }

    /** Puts back what the journal kept, into the pool the dataset's policy names now (a task starting). */
    public void restore(String pool, MigrationBudget.Copy copy) {
        pools.computeIfAbsent(pool, k -> emptyPool()).restore(copy);
    }

    public void restore(String pool, MigrationBudget.Move move) {
        pools.computeIfAbsent(pool, k -> emptyPool()).restore(move);
    }
}
