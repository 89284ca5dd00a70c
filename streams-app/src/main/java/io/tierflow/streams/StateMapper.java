package io.tierflow.streams;

import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.FeatureWeight;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.PendingCost;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.PolicyScope;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.schemas.Tree;
import io.tierflow.schemas.TreeNode;
import io.tierflow.streams.domain.Features;
import io.tierflow.streams.domain.LogisticScorer;
import io.tierflow.streams.domain.PolicyScopes;
import io.tierflow.streams.domain.Scorer;
import io.tierflow.streams.domain.ScorerProbe;
import io.tierflow.streams.domain.ScoringModel;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.TieringPolicy;
import io.tierflow.streams.domain.TreeEnsembleScorer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/** Converts between the Avro records Kafka carries and the domain's plain types. */
final class StateMapper {
    private StateMapper() {
    }

    /**
     * A dataset record with the schema's defaults, as {@code DatasetState.newBuilder().setKey(key).build()} makes it.
     * Set field by field because the builder deep-copies each default from the schema, which was a tenth of the work of
     * taking in a new dataset's inventory in the benchmark's profile; {@code StateMapperTest} compares the two, so a
     * field added with another default fails it.
     */
    static DatasetState newDatasetState(String key) {
        DatasetState state = new DatasetState();
        state.setKey(key);
        state.setReplicaSites(new ArrayList<>());
        state.setDueAt(-1L);
        state.setActiveAlerts(new ArrayList<>());
        state.setPendingCost(new PendingCost());
        state.setCopyVersions(new HashMap<>());
        return state;
    }

    static TieringPolicy policy(Policy p) {
        return new TieringPolicy(p.getName(), p.getHeatHalfLifeSeconds() * 1000, new HashMap<>(p.getOpWeights()),
                p.getBytesWeightPerGb(), p.getHotThreshold(), p.getWarmThreshold(), p.getHysteresis(),
                p.getScoreBoost(), p.getReplicationHot(), p.getReplicationWarm(), p.getReplicationCold(),
                p.getDefaultLatencySlaMs(), p.getEncryptedOnly(), p.getCooldownSeconds() * 1000, p.getHorizonDays(),
                p.getRetireGraceSeconds() * 1000, p.getLatenessSeconds() * 1000,
                TieringPolicy.Decision.valueOf(p.getDecision().name()),
                p.getCopies() == null ? 0 : p.getCopies(), p.getWriteQuorum() == null ? 0 : p.getWriteQuorum(),
                p.getPreCopyLookaheadSeconds() * 1000);
    }

    static PolicyScopes.Scope scope(PolicyScope scope) {
        return new PolicyScopes.Scope(scope.getPrefix(), scope.getOwner(), scope.getContentType());
    }

    /** {@code Model.kind} of a logistic regression. */
    static final String LOGISTIC = "logistic";
    /** {@code Model.kind} of a gradient-boosted tree ensemble. */
    static final String GRADIENT_BOOSTED_TREES = "gradient_boosted_trees";

    /**
     * The model published under {@code name}, checked and ready to score.
     *
     * @throws IllegalArgumentException saying why the model cannot score: an unknown kind or feature, a number that is
     *     not finite, a tree node pointing outside its tree or back into it, or a probe scored to something other than
     *     a probability (see {@link ScorerProbe})
     */
    static ScoringModel scoringModel(String name, Model model) {
        Scorer scorer = switch (model.getKind()) {
            case LOGISTIC -> logistic(model);
            case GRADIENT_BOOSTED_TREES -> trees(model);
            default -> throw new IllegalArgumentException("unknown kind '" + model.getKind() + "' (known: " + LOGISTIC
                    + ", " + GRADIENT_BOOSTED_TREES + ")");
        };
        ScorerProbe.problem(scorer).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        if (!(model.getThreshold() >= 0 && model.getThreshold() <= 1)) {
            throw new IllegalArgumentException("threshold must be a probability, not " + model.getThreshold());
        }
        if (model.getHorizonSeconds() < 0) {
            throw new IllegalArgumentException("horizonSeconds must not be negative");
        }
        return new ScoringModel(name, scorer, model.getTarget(), model.getHorizonSeconds() * 1000,
                model.getThreshold(), model.getMetrics());
    }

    /** Why the model published under {@code name} cannot score, or empty if it can (see {@link #scoringModel}). */
    static Optional<String> modelProblem(String name, Model model) {
        try {
            scoringModel(name, model);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static LogisticScorer logistic(Model model) {
        finite("intercept", model.getIntercept());
        List<LogisticScorer.Weight> weights = new ArrayList<>();
        for (FeatureWeight f : model.getFeatures()) {
            knownFeature(f.getName());
            finite("mean of feature '" + f.getName() + "'", f.getMean());
            finite("scale of feature '" + f.getName() + "'", f.getScale());
            finite("coefficient of feature '" + f.getName() + "'", f.getCoefficient());
            weights.add(new LogisticScorer.Weight(f.getName(), f.getMean(), f.getScale(), f.getCoefficient()));
        }
        return new LogisticScorer(model.getVersion(), model.getIntercept(), weights);
    }

    private static TreeEnsembleScorer trees(Model model) {
        finite("intercept", model.getIntercept());
        for (FeatureWeight f : model.getFeatures()) {
            knownFeature(f.getName());
        }
        if (model.getTrees().isEmpty()) {
            throw new IllegalArgumentException("a " + GRADIENT_BOOSTED_TREES + " model needs at least one tree");
        }
        List<List<TreeEnsembleScorer.Node>> trees = new ArrayList<>();
        for (Tree tree : model.getTrees()) {
            List<TreeEnsembleScorer.Node> nodes = new ArrayList<>(tree.getNodes().size());
            for (TreeNode n : tree.getNodes()) {
                nodes.add(new TreeEnsembleScorer.Node(n.getFeature(), n.getThreshold(), n.getLeft(), n.getRight(),
                        n.getValue()));
            }
            trees.add(nodes);
        }
        return new TreeEnsembleScorer(model.getVersion(), model.getIntercept(), trees);
    }

    private static void knownFeature(String name) {
        if (Features.index(name).isEmpty()) {
            throw new IllegalArgumentException("unknown feature '" + name + "' (known: "
                    + String.join(", ", Features.NAMES) + ")");
        }
    }

    private static void finite(String what, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " must be a finite number, not " + value);
        }
    }

    static SiteOffer site(Site site) {
        List<SiteOffer.StorageClassOffer> classes = new ArrayList<>();
        for (StorageClassPrice price : site.getStorageClasses()) {
            classes.add(new SiteOffer.StorageClassOffer(price.getName(), tier(price.getTier()),
                    price.getStoragePricePerGbMonth(), price.getRetrievalPricePerGb(), price.getRequestPricePer1000(),
                    price.getPutPricePer1000(), price.getMinimumStorageDays(), price.getMinimumBillableBytes(),
                    price.getMonitoringPricePerObjectMonth()));
        }
        return new SiteOffer(site.getName(), site.getProvider().name(), site.getRegion(), site.getP95LatencyMs(),
                site.getEgressPricePerGb(), site.getEncrypted(), site.getUp(), site.getCapacityBytes(), classes);
    }

    static Tier tier(io.tierflow.schemas.Tier tier) {
        return tier == null ? null : Tier.valueOf(tier.name());
    }

    static io.tierflow.schemas.Tier tier(Tier tier) {
        return tier == null ? null : io.tierflow.schemas.Tier.valueOf(tier.name());
    }
}
