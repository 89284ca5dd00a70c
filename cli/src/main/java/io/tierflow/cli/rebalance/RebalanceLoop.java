package io.tierflow.cli.rebalance;

import io.tierflow.streams.domain.placement.InfeasibleEstateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic global pass: every {@code every}, if this instance is the elected one, one applied pass
 * ({@link RebalancePass}), its report printed and its figures logged. A pass that fails (the API unreachable or
 * answering 503 while a rebalance moves partitions, an estate that does not fit) is logged and the next one runs on
 * time.
 */
public final class RebalanceLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RebalanceLoop.class);

    private final RebalancePass pass;
    private final BooleanSupplier elected;
    private final PrintWriter out;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tierflow-rebalance");
        thread.setDaemon(true);
        return thread;
    });
    private final AutoCloseable[] owned;

    RebalanceLoop(RebalancePass pass, BooleanSupplier elected, PrintWriter out, AutoCloseable... owned) {
        this.pass = pass;
        this.elected = elected;
        this.out = out;
        this.owned = owned;
    }

    /**
     * The applied pass every {@code every} (the first after {@code every}) on the estate the API at {@code api}
     * shows, its pins published to the control topic at {@code bootstrapServers}, run by the one instance of all
     * those started with the same {@code groupId} that the election chooses.
     */
    public static RebalanceLoop start(URI api, String bootstrapServers, String schemaRegistryUrl, String groupId,
            Duration every, double headroom, PrintWriter out) throws InterruptedException, ExecutionException {
        PassElection election = new PassElection(bootstrapServers, groupId);
        PinPublisher publisher = new PinPublisher(bootstrapServers, RebalanceCommand.controlTopic(schemaRegistryUrl));
        RebalancePass pass = new RebalancePass(new RebalancePass.Settings(api, headroom, null, every.multipliedBy(2),
                20), publisher, Clock.systemUTC());
        RebalanceLoop loop = new RebalanceLoop(pass, election::elected, out, publisher, election);
        loop.every(every, every);
        return loop;
    }

    /** Runs a pass every {@code every}, the first after {@code first}. */
    void every(Duration first, Duration every) {
        timer.scheduleWithFixedDelay(this::runOnce, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One turn: a pass if this instance is the elected one; false if it ran none or the pass failed. */
    boolean runOnce() {
        if (!elected.getAsBoolean()) {
            log.debug("not the elected instance: no global pass this turn");
            return false;
        }
        StringWriter report = new StringWriter();
        try (PrintWriter writer = new PrintWriter(report)) {
            RebalancePass.Outcome outcome = pass.run(writer);
            writer.flush();
            if (outcome == null) {
                log.info("global pass: no dataset evaluated yet, nothing to place");
                return false;
            }
            log.info("global pass {}: datasets={} objective_usd={} bound_usd={} gap={} moves={} not_worth_moving={} "
                    + "pins_refused={} pins_published={}", outcome.pass(), outcome.datasets(), outcome.objectiveUsd(),
                    outcome.boundUsd(), outcome.gap(), outcome.moves(), outcome.notWorthMoving(),
                    outcome.pinsRefused(), outcome.pinsPublished());
            if (outcome.pinsRefused() > 0) {
                log.warn("global pass {}: the topology refused {} pins of earlier passes (reasons in the report)",
                        outcome.pass(), outcome.pinsRefused());
            }
            synchronized (out) {
                out.print(report);
                out.flush();
            }
            return true;
        } catch (IOException | InfeasibleEstateException | ExecutionException e) {
            log.warn("global pass failed, next one on time: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("global pass failed, next one on time", e);
        }
        return false;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("while stopping the global pass: {}", e.toString());
            }
        }
    }
}
