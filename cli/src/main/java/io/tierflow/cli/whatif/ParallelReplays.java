package io.tierflow.cli.whatif;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The policies' replays of one what-if, each on a thread of its own: the one reader hands every input to every
 * replay, in order, through a bounded queue per replay, so N replays run side by side and each sees exactly the inputs,
 * in exactly the order, it would see alone (the replays share nothing they change, so the result does not depend on
 * how the threads interleave). Each input is serialized once, on the reader's thread, and its bytes go to every
 * replay ({@link InputEncoding}). Inputs go over in batches, so a queue hand-off is rare next to a topology run. A
 * replay that fails stops its thread; the reader learns of it at its next hand-off, or at {@link #costs}, as a
 * {@link WhatIfException} naming the policy.
 */
final class ParallelReplays implements AutoCloseable {
    /** Inputs per hand-off. */
    static final int BATCH = 256;
    /** Batches a replay may fall behind the reader before the reader waits: bounds the memory the queues hold. */
    static final int QUEUED_BATCHES = 64;
    /** How often a reader waiting on a full queue looks whether its replay has failed. */
    private static final long FAILURE_CHECK_MS = 100;

    private final List<Lane> lanes = new ArrayList<>();
    private final InputEncoding encoding;
    private List<InputEncoding.Encoded> batch = new ArrayList<>(BATCH);

    /**
     * Starts one thread per replay; each waits for inputs.
     *
     * @param encoding what the replays were made with ({@link PolicyReplay#PolicyReplay(String, WhatIfSetup,
     *     io.tierflow.schemas.Policy, InputEncoding)}); used on the reader's thread only
     */
    ParallelReplays(List<PolicyReplay> replays, InputEncoding encoding) {
        this.encoding = encoding;
        for (PolicyReplay replay : replays) {
            Lane lane = new Lane(replay);
            lanes.add(lane);
            lane.thread.start();
        }
    }

    /** Hands one input to every replay (at the latest once a batch is full); waits while a replay is far behind. */
    void offer(ReplayInput input) {
        batch.add(encoding.encode(input));
        if (batch.size() == BATCH) {
            handOver(new Batch(List.copyOf(batch), false, 0));
            batch = new ArrayList<>(BATCH);
        }
    }

    /** Hands over what is left and has each replay finish at {@code endMs}, without waiting for them. */
    void finishAt(long endMs) {
        handOver(new Batch(List.copyOf(batch), true, endMs));
        batch = new ArrayList<>();
    }

    /**
     * Waits for every replay to finish ({@link #finishAt}).
     *
     * @return each replay's costs, in the order the replays were given
     */
    List<PolicyCosts> costs() {
        List<PolicyCosts> rows = new ArrayList<>();
        for (Lane lane : lanes) {
            join(lane);
            lane.throwIfFailed();
            rows.add(lane.costs);
        }
        return rows;
    }

    private void handOver(Batch next) {
        for (Lane lane : lanes) {
            try {
                while (!lane.queue.offer(next, FAILURE_CHECK_MS, TimeUnit.MILLISECONDS)) {
                    lane.throwIfFailed();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WhatIfException("interrupted while replaying", e);
            }
            lane.throwIfFailed();
        }
    }

    private static void join(Lane lane) {
        try {
            lane.thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WhatIfException("interrupted while waiting for policy " + lane.replay.name(), e);
        }
    }

    /** Stops threads still running (the reader failed, or a replay did) and waits for them to end. */
    @Override
    public void close() {
        lanes.forEach(lane -> lane.thread.interrupt()); // after a finish, all have ended already
        boolean interrupted = false;
        for (Lane lane : lanes) {
            while (lane.thread.isAlive()) {
                try {
                    lane.thread.join();
                } catch (InterruptedException e) {
                    interrupted = true; // the threads are stopping: wait for them before their drivers are closed
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A run of inputs; the last one also tells the replay to finish at {@code endMs}. */
    private record Batch(List<InputEncoding.Encoded> inputs, boolean last, long endMs) {
    }

    private static final class Lane {
        final PolicyReplay replay;
        final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
        final Thread thread;
        /** Written by the lane's thread before it ends, read by the reader after joining it. */
        PolicyCosts costs;
        volatile Throwable failure;

        Lane(PolicyReplay replay) {
            this.replay = replay;
            this.thread = new Thread(this::run, "whatif-" + replay.name());
            thread.setDaemon(true);
        }

        private void run() {
            try {
                while (true) {
                    Batch next = queue.take();
                    for (InputEncoding.Encoded input : next.inputs()) {
                        replay.offer(input);
                    }
                    if (next.last()) {
                        costs = replay.finish(next.endMs());
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // stopped by close(): the run is being abandoned
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }

        void throwIfFailed() {
            Throwable failed = failure;
            if (failed != null) {
                String reason = failed.getMessage() != null ? failed.getMessage() : failed.getClass().getName();
                throw new WhatIfException("the replay of policy " + replay.name() + " failed: " + reason, failed);
            }
        }
    }
}
