package io.tierflow.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>The hyperparameters are fixed here, not searched: choosing them by the test split would report a figure the
 * model cannot reproduce on the next period.
 */
final class XgboostTrainer {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int TREE_ROUNDS = 200;
    static final int TREE_DEPTH = 4;
    static final int LINEAR_ROUNDS = 100;

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
    static TreesFit trees(List<String> featureNames, List<LabelledPoint> train, long seed) {
        double prior = prior(train);
        Map<String, Object> params = common(prior, seed);
        params.put("booster", "gbtree");
        params.put("tree_method", "hist");
        params.put("max_depth", TREE_DEPTH);
        params.put("eta", 0.1);
        params.put("subsample", 0.8);
        params.put("min_child_weight", 1.0);
        Booster booster = train(featureNames, train, null, null, params, TREE_ROUNDS);
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
            return new TreesFit(model, maxDifference);
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
    record TreesFit(TrainedModel.Trees model, double maxDifferenceFromBooster) {
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
