package io.tierflow.streams;

import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.PlacementExplanation;
import io.tierflow.schemas.ReplicationStatus;
import io.tierflow.schemas.SiteScore;
import io.tierflow.schemas.TierCandidate;
import io.tierflow.streams.domain.CostBasedTier;
import io.tierflow.streams.domain.DatasetEvaluator;
import io.tierflow.streams.domain.PlacementDecision;
import io.tierflow.streams.domain.Quorum;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.TieringPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Looks at a dataset (its record loaded for change, and its activity): charges the reads since the last look and
 * checks their alerts, decides ({@link DatasetEvaluator}), publishes the placement when the decision or its copies
 * verified changed, issues the next migration step and schedules the next look. The caller saves the record and the
 * activity.
 */
final class DatasetEvaluation {
    private final ProcessorContext<String, TieringOutput> context;
    private final Catalogue catalogue;
    private final CostLedgerWriter costs;
    private final DatasetAlerts alerts;
    private final MigrationCommands commands;
    private final DueScheduler due;
    private final TieringMetrics metrics;
    private final LiveModelScoring live;
    private final SiteCapacity capacity;

    DatasetEvaluation(ProcessorContext<String, TieringOutput> context, Catalogue catalogue, CostLedgerWriter costs,
            DatasetAlerts alerts, MigrationCommands commands, DueScheduler due, TieringMetrics metrics,
            LiveModelScoring live, SiteCapacity capacity) {
        this.live = live;
        this.capacity = capacity;
        this.context = context;
        this.catalogue = catalogue;
        this.costs = costs;
        this.alerts = alerts;
        this.commands = commands;
        this.due = due;
        this.metrics = metrics;
    }

    /** Evaluates a dataset that has an inventory entry, at {@code now}. */
    void evaluate(DatasetState state, DatasetActivity dataset, long now) {
        long started = System.nanoTime();
        CostLedgerWriter.ReadCosts reads = costs.price(state, dataset.uncharged);
        alerts.checkReads(state, reads, now);
        costs.chargeReads(state, dataset.uncharged, reads, now);

        Dataset inventory = state.getInventory();
        DatasetRecords.copyScopeFacts(inventory, dataset, catalogue.policiesMatchOnOwnerOrMediaType());
        TieringPolicy policy = catalogue.policyOf(state);
        DatasetEvaluator.Facts facts = new DatasetEvaluator.Facts(state.getKey(), inventory.getSizeBytes(),
                inventory.getLatencySlaMs(), StateMapper.tier(state.getTier()), state.getPrimarySite(),
                state.getReplicaSites(), state.getStorageClass(), state.getLastMoveAt(), state.getInFlight() != null,
                inventory.getUpdatedAt().toEpochMilli());
        // A site full to this task's share of its capacity is offered with only the room left: placed elsewhere,
        // and the explanation says capacity bound.
        DatasetEvaluator.Evaluation evaluation = DatasetEvaluator.evaluate(facts, dataset.activity, policy,
                catalogue.scorer(), capacity.offersFor(state, catalogue.sites()), GlobalPins.inForce(state, now), now);

        live.scored(state.getKey(), dataset.activity, inventory.getSizeBytes(), policy, evaluation.pHotSoon(), now);

        Placement placement = placement(state, evaluation, policy, catalogue.scorer().version(), now);
        placement.getExplanation().setReplication(replication(state, evaluation, policy, catalogue.sites()));
        placement.getExplanation().setGlobalPass(GlobalPins.explanation(evaluation.pin()));
        if (!sameDecision(state.getLastPlacement(), placement)) {
            context.forward(new Record<>(state.getKey(), TieringOutput.placement(placement), now));
        }
        state.setLastPlacement(placement);
        state.setTier(StateMapper.tier(evaluation.tier()));
        if (dataset.tier != evaluation.tier()) {
            dataset.tier = evaluation.tier(); // only if it changes: see WriteBehindStore.put on why
        }
        if (!Objects.equals(dataset.staying, evaluation.staying())) {
            dataset.staying = evaluation.staying();
        }
        commands.issueWithinBudget(state, evaluation.step(), evaluation.placement(), now);
        due.scheduleAfterLook(state, now, GlobalPins.lookAgainBy(evaluation.pin(), evaluation.demotionAtMs(), now));
        metrics.evaluated(evaluation.tier(), System.nanoTime() - started, evaluation.heat());
    }

    private static Placement placement(DatasetState state, DatasetEvaluator.Evaluation evaluation,
            TieringPolicy policy, String modelVersion, long now) {
        PlacementDecision decision = evaluation.placement();
        List<SiteScore> scores = new ArrayList<>();
        for (PlacementDecision.SiteEvaluation e : decision.evaluations()) {
            scores.add(SiteScore.newBuilder().setSite(e.site()).setStorageUsdPerMonth(finite(e.storageUsd()))
                    .setEgressUsdPerMonth(finite(e.egressUsd())).setMoveUsd(finite(e.moveUsd()))
                    .setFeasible(e.feasible()).setRejectedBecause(e.rejectedBecause()).build());
        }
        boolean placed = decision.isPlaced();
        return Placement.newBuilder()
                .setKey(state.getKey())
                .setTier(StateMapper.tier(decision.tier()))
                .setPrimarySite(placed ? decision.primary() : Objects.requireNonNullElse(state.getPrimarySite(), ""))
                .setReplicaSites(placed ? decision.replicas() : state.getReplicaSites())
                .setStorageClass(placed ? decision.storageClass()
                        : Objects.requireNonNullElse(state.getStorageClass(), ""))
                .setObjectiveUsdPerMonth(finite(decision.objective()))
                .setExplanation(PlacementExplanation.newBuilder()
                        .setHeat(evaluation.heat()).setPHotSoon(evaluation.pHotSoon())
                        .setBoostedHeat(evaluation.boostedHeat())
                        .setHotThreshold(policy.hotThreshold()).setWarmThreshold(policy.warmThreshold())
                        .setModelVersion(modelVersion)
                        .setPolicyName(policy.name())
                        .setBindingConstraint(decision.bindingConstraint())
                        .setSiteScores(scores)
                        .setDecision(policy.decision().name())
                        .setExpectedReads(finite(evaluation.expectedReads()))
                        .setCandidates(candidates(evaluation))
                        .build())
                .setDecidedAt(Instant.ofEpochMilli(now))
                .build();
    }

    /** The dataset's copies verified against those its policy wants at the decided tier. */
    private static ReplicationStatus replication(DatasetState state, DatasetEvaluator.Evaluation evaluation,
            TieringPolicy policy, List<SiteOffer> sites) {
        PlacementDecision decision = evaluation.placement();
        List<String> desired = new ArrayList<>();
        if (decision.isPlaced()) {
            desired.add(decision.primary());
            desired.addAll(decision.replicas());
        }
        Quorum.Status status = Quorum.of(state.getPrimarySite(), state.getReplicaSites(), desired,
                policy.replicationFor(evaluation.tier()), policy.writeQuorumFor(evaluation.tier()), sites);
        // The constructor, not the builder: this runs at every look, and Avro's builder validates and copies each field.
        return new ReplicationStatus(status.wanted(), status.verified(), status.writeQuorum(), status.durable(),
                status.repair());
    }

    private static List<TierCandidate> candidates(DatasetEvaluator.Evaluation evaluation) {
        List<TierCandidate> candidates = new ArrayList<>(evaluation.candidates().size());
        for (CostBasedTier.Candidate c : evaluation.candidates()) {
            boolean feasible = c.feasible();
            candidates.add(TierCandidate.newBuilder().setTier(StateMapper.tier(c.tier())).setFeasible(feasible)
                    .setPrimarySite(feasible ? c.placement().primary() : null)
                    .setStorageClass(feasible ? c.placement().storageClass() : null)
                    .setStorageUsd(finite(c.storageUsd())).setReadsUsd(finite(c.readsUsd()))
                    .setEgressUsd(finite(c.egressUsd())).setOneOffUsd(finite(c.oneOffUsd()))
                    .setTotalUsd(finite(c.totalUsd())).build());
        }
        return candidates;
    }

    /** Same tier, sites, class, binding constraint and policy: re-publishing it would only repeat the decision. */
    private static boolean sameDecision(Placement previous, Placement next) {
        return previous != null && previous.getTier() == next.getTier()
                && previous.getPrimarySite().equals(next.getPrimarySite())
                && previous.getReplicaSites().equals(next.getReplicaSites())
                && previous.getStorageClass().equals(next.getStorageClass())
                && Objects.equals(previous.getExplanation().getBindingConstraint(),
                        next.getExplanation().getBindingConstraint())
                && previous.getExplanation().getPolicyName().equals(next.getExplanation().getPolicyName())
                && sameCopies(previous.getExplanation().getReplication(), next.getExplanation().getReplication());
    }

    /** Same copies wanted and verified: a copy made, lost or back with its site is news to the placement's readers. */
    private static boolean sameCopies(ReplicationStatus previous, ReplicationStatus next) {
        return previous != null && next != null && previous.getCopiesWanted() == next.getCopiesWanted()
                && previous.getCopiesVerified() == next.getCopiesVerified()
                && previous.getWriteQuorum() == next.getWriteQuorum();
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0.0;
    }
}
