package io.tierflow.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains both models with xgboost4j and turns what it learnt into plain {@link TrainedModel}s: a logistic regression
 * (xgboost's linear booster on standardised features, by coordinate descent) and gradient-boosted trees (its tree
 * booster). Why xgboost4j and not Tribuo (docs/adr/0016): one dependency gives both models; Tribuo's own ensembles
 * are random forests and extra trees, its gradient boosting wraps this same library, and its evaluation stack would
 * come along unused. The trees come out of {@code getModelDump(..., "json")}, which maps one to one onto the
 * {@code Model} record's nodes.
 *
 * <p>The hyperparameters are never chosen by the test split, which would report a figure the model cannot reproduce
 * on the next period. The trees' depth and rounds are chosen on a time-ordered validation split inside the training
 * part ({@link #chooseTrees}), the same rule one level down, when the training part is long enough for one (about two
 * horizons); otherwise they are the fixed {@link #FIXED_TREES}.
 */
final class XgboostTrainer {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int TREE_ROUNDS = 200;
    static final int TREE_DEPTH = 4;
    static final int LINEAR_ROUNDS = 100;
    /** The share of the training points, the latest, the trees' settings are validated on. */
    static final double VALIDATION_FRACTION = 0.3;

    /** A tree model's depth and number of boosting rounds. */
    record TreeSettings(int depth, int rounds) {
    }

    static final TreeSettings FIXED_TREES = new TreeSettings(TREE_DEPTH, TREE_ROUNDS);
    /** The settings tried, the fixed ones first (they win a tie): shallower and deeper, fewer and more rounds. */
    static final List<TreeSettings> TREE_GRID = List.of(FIXED_TREES, new TreeSettings(2, 200),
            new TreeSettings(3, 200), new TreeSettings(6, 200), new TreeSettings(4, 100), new TreeSettings(4, 400));

    /**
     * The trees' settings and how they were chosen.
     *
     * @param validationAuc ROC-AUC on the validation split of each setting tried; empty when none could be
     * @param how what the choice rests on, for the report
     */
    record TreeChoice(TreeSettings settings, Map<TreeSettings, Double> validationAuc, String how) {
    }

    private XgboostTrainer() {
    }

    /** Logistic regression on the standardised features. */
    static TrainedModel.Logistic logistic(List<String> featureNames, List<LabelledPoint> train, long seed) {
        int n = featureNames.size();
        double[] means = new double[n];
        double[] scales = new double[n];
        for (LabelledPoint p : train) {
            for (int f = 0; f < n; f++) {
                means[f] += p.features()[f] / train.size();
            }
        }
        for (LabelledPoint p : train) {
            for (int f = 0; f < n; f++) {
                double d = p.features()[f] - means[f];
                scales[f] += d * d / train.size();
            }
        }
        for (int f = 0; f < n; f++) {
            scales[f] = scales[f] > 0 ? Math.sqrt(scales[f]) : 1.0; // a constant feature: any scale, its weight is 0
        }
        double prior = prior(train);
        Map<String, Object> params = common(prior, seed);
        params.put("booster", "gblinear");
        params.put("updater", "coord_descent");
        params.put("feature_selector", "cyclic");
        params.put("eta", 0.5);
        params.put("lambda", 0.0);
        params.put("alpha", 0.0);
        Booster booster = train(featureNames, train, means, scales, params, LINEAR_ROUNDS);
        try {
            JsonNode dump = JSON.readTree(booster.getModelDump((String) null, false, "json")[0]);
            double bias = dump.get("bias").get(0).asDouble();
            double[] coefficients = new double[n];
            for (int f = 0; f < n; f++) {
                coefficients[f] = dump.get("weight").get(f).asDouble();
            }
            return new TrainedModel.Logistic(logit(prior) + bias, means, scales, coefficients);
        } catch (XGBoostError | java.io.IOException e) {
            throw new IllegalStateException("xgboost's linear model could not be read back: " + e.getMessage(), e);
        } finally {
            booster.dispose();
        }
    }

    /**
     * Gradient-boosted trees on the raw features (trees need no scaling), with how far the exported tree walk is
     * from xgboost's own probabilities on the training points.
     */
    static TreesFit trees(List<String> featureNames, List<LabelledPoint> train, long horizonMs, long seed) {
        TreeChoice choice = chooseTrees(featureNames, train, horizonMs, seed);
        double prior = prior(train);
        Booster booster = train(featureNames, train, null, null, treeParams(prior, choice.settings(), seed),
                choice.settings().rounds());
        try {
            List<TrainedModel.Node> trees = new ArrayList<>();
            JsonNode saved = JSON.readTree(booster.toByteArray("json"));
            for (JsonNode tree : saved.at("/learner/gradient_booster/model/trees")) {
                trees.add(node(tree, 0));
            }
            TrainedModel.Trees model = new TrainedModel.Trees(logit(prior), trees);
            DMatrix matrix = matrix(featureNames, train, null, null);
            float[][] predicted = booster.predict(matrix);
            matrix.dispose();
            double maxDifference = 0;
            for (int i = 0; i < predicted.length; i++) {
                maxDifference = Math.max(maxDifference,
                        Math.abs(predicted[i][0] - model.probability(train.get(i).features())));
            }
            return new TreesFit(model, maxDifference, choice);
        } catch (XGBoostError | java.io.IOException e) {
            throw new IllegalStateException("xgboost's trees could not be read back: " + e.getMessage(), e);
        } finally {
            booster.dispose();
        }
    }

    /**
     * Trees and the largest difference between their walk and xgboost's prediction on a training point: xgboost
     * compares in single precision, the walk in double, so a value within a float's rounding of a threshold may go
     * the other way; anything more is a bug in the export.
     */
    record TreesFit(TrainedModel.Trees model, double maxDifferenceFromBooster, TreeChoice choice) {
    }

    /**
     * Chooses the trees' settings by the ROC-AUC of each of {@link #TREE_GRID} on the latest
     * {@link #VALIDATION_FRACTION} of the training points, trained on the earlier ones whose label window ends by the
     * validation split ({@link TimeSplit}, as for the test split). With a training part too short for that (both
     * sides need points of both outcomes: at least about two horizons), the fixed settings.
     */
    static TreeChoice chooseTrees(List<String> featureNames, List<LabelledPoint> train, long horizonMs, long seed) {
        TimeSplit inner;
        try {
            inner = TimeSplit.of(new LabelledTable(featureNames, train, horizonMs, 0, 0, 0), VALIDATION_FRACTION);
        } catch (IllegalArgumentException e) {
            // One side would be empty or of one outcome: the training part spans less than about two horizons.
            return new TreeChoice(FIXED_TREES, Map.of(), "fixed: no validation split inside the training part, "
                    + "which is too short for one");
        }
        boolean[] labels = new boolean[inner.test().size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = inner.test().get(i).readWithinHorizon();
        }
        double prior = prior(inner.train());
        Map<TreeSettings, Double> auc = new LinkedHashMap<>();
        TreeSettings best = FIXED_TREES;
        for (TreeSettings settings : TREE_GRID) {
            Booster booster = train(featureNames, inner.train(), null, null, treeParams(prior, settings, seed),
                    settings.rounds());
            try {
                DMatrix matrix = matrix(featureNames, inner.test(), null, null);
                float[][] predicted = booster.predict(matrix);
                matrix.dispose();
                double[] scores = new double[predicted.length];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = predicted[i][0];
                }
                auc.put(settings, BinaryMetrics.rocAuc(scores, labels));
            } catch (XGBoostError e) {
                throw new IllegalStateException("xgboost could not score the validation split: " + e.getMessage(), e);
            } finally {
                booster.dispose();
            }
            if (auc.get(settings) > auc.get(best)) {
                best = settings;
            }
        }
        return new TreeChoice(best, auc, "validated: trained on " + inner.train().size() + " training points, "
                + "measured on the " + inner.test().size() + " latest");
    }

    private static Map<String, Object> treeParams(double prior, TreeSettings settings, long seed) {
        Map<String, Object> params = common(prior, seed);
        params.put("booster", "gbtree");
        params.put("tree_method", "hist");
        params.put("max_depth", settings.depth());
        params.put("eta", 0.1);
        params.put("subsample", 0.8);
        params.put("min_child_weight", 1.0);
        return params;
    }

    private static Map<String, Object> common(double prior, long seed) {
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        // Set, not estimated: the published intercept must be the margin xgboost started from.
        params.put("base_score", prior);
        params.put("seed", seed);
        params.put("nthread", 1); // the same trees on every machine and run
        params.put("verbosity", 0);
        return params;
    }

    private static Booster train(List<String> featureNames, List<LabelledPoint> train, double[] means,
            double[] scales, Map<String, Object> params, int rounds) {
        DMatrix matrix = null;
        try {
            matrix = matrix(featureNames, train, means, scales);
            float[] labels = new float[train.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = train.get(i).readWithinHorizon() ? 1f : 0f;
            }
            matrix.setLabel(labels);
            return XGBoost.train(matrix, params, rounds, Map.of(), null, null);
        } catch (XGBoostError e) {
            throw new IllegalStateException("xgboost could not train: " + e.getMessage(), e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    private static DMatrix matrix(List<String> featureNames, List<LabelledPoint> points, double[] means,
            double[] scales) throws XGBoostError {
        int n = featureNames.size();
        float[] data = new float[points.size() * n];
        for (int i = 0; i < points.size(); i++) {
            double[] x = points.get(i).features();
            for (int f = 0; f < n; f++) {
                data[i * n + f] = (float) (means == null ? x[f] : (x[f] - means[f]) / scales[f]);
            }
        }
        DMatrix matrix = new DMatrix(data, points.size(), n, Float.NaN);
        matrix.setFeatureNames(featureNames.toArray(String[]::new));
        return matrix;
    }

    /**
     * Node {@code id} of a tree as xgboost saves it (arrays indexed by node id: children, split feature, split
     * condition, which for a leaf is its value). Read from the saved model rather than the text dump, which prints
     * thresholds rounded to fewer digits than they have.
     */
    static TrainedModel.Node node(JsonNode tree, int id) {
        int left = tree.get("left_children").get(id).asInt();
        float condition = (float) tree.get("split_conditions").get(id).asDouble();
        if (left < 0) {
            return TrainedModel.Node.leaf(condition);
        }
        return new TrainedModel.Node(tree.get("split_indices").get(id).asInt(), doubleThreshold(condition),
                node(tree, left), node(tree, tree.get("right_children").get(id).asInt()), 0);
    }

    /**
     * The threshold that sends a double {@code x} left ({@code x < threshold}) exactly when xgboost, which compares
     * {@code (float) x < condition}, does: the midpoint below {@code condition}, where rounding to float changes
     * sides. A value exactly at the midpoint rounds to the float with the even significand, hence the last step.
     */
    static double doubleThreshold(float condition) {
        double midpoint = ((double) Math.nextDown(condition) + (double) condition) / 2;
        boolean evenSignificand = (Float.floatToRawIntBits(condition) & 1) == 0;
        return evenSignificand ? midpoint : Math.nextUp(midpoint);
    }

    static double prior(List<LabelledPoint> train) {
        long positive = train.stream().filter(LabelledPoint::readWithinHorizon).count();
        // Kept off 0 and 1, where the logit is infinite.
        return Math.min(0.999, Math.max(0.001, positive / (double) train.size()));
    }

    static double logit(double p) {
        return Math.log(p / (1 - p));
    }
}
