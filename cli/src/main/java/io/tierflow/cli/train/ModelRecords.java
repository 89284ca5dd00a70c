package io.tierflow.cli.train;

import io.tierflow.schemas.FeatureWeight;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Tree;
import io.tierflow.schemas.TreeNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A trained model as the {@code Model} record (v2) the streams app loads from the {@code models} topic. */
public final class ModelRecords {
    static final String TARGET = "read_within_horizon";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private ModelRecords() {
    }

    /**
     * The record of {@code model} under {@code name}. Its version is {@code train-<time>-<hash>}, the hash over what
     * it scores with (kind, numbers, trees), so two runs that learnt the same model say so.
     *
     * @param featureNames the table's feature order, which {@code model}'s feature indices refer to
     */
    public static Model of(String name, TrainedModel model, List<String> featureNames, long horizonMs, double threshold,
            Map<String, Double> metrics, Instant trainedAt) {
        Model.Builder builder = Model.newBuilder().setName(name).setVersion("").setKind(model.kind())
                .setTarget(TARGET).setHorizonSeconds(horizonMs / 1000).setThreshold(threshold)
                .setMetrics(Map.copyOf(metrics)).setTrainedAt(Instant.EPOCH);
        if (model instanceof TrainedModel.Logistic l) {
            List<FeatureWeight> weights = new ArrayList<>();
            for (int i = 0; i < featureNames.size(); i++) {
                weights.add(FeatureWeight.newBuilder().setName(featureNames.get(i)).setMean(l.means()[i])
                        .setScale(l.scales()[i]).setCoefficient(l.coefficients()[i]).build());
            }
            builder.setIntercept(l.intercept()).setFeatures(weights).setTrees(List.of());
        } else if (model instanceof TrainedModel.Trees t) {
            List<FeatureWeight> used = new ArrayList<>();
            for (String feature : featureNames) {
                used.add(FeatureWeight.newBuilder().setName(feature).setMean(0).setScale(1).setCoefficient(0)
                        .build());
            }
            List<Tree> trees = new ArrayList<>();
            for (TrainedModel.Node root : t.trees()) {
                List<TreeNode> nodes = new ArrayList<>();
                flatten(root, featureNames, nodes);
                trees.add(Tree.newBuilder().setNodes(nodes).build());
            }
            builder.setIntercept(t.intercept()).setFeatures(used).setTrees(trees);
        }
        String hash = hash(builder.build());
        return builder.setVersion("train-" + STAMP.format(trainedAt) + "-" + hash).setTrainedAt(trainedAt).build();
    }

    /** Adds {@code node} and its subtree in pre-order (so node 0 is the root); returns its index. */
    private static int flatten(TrainedModel.Node node, List<String> featureNames, List<TreeNode> nodes) {
        int index = nodes.size();
        if (node.isLeaf()) {
            nodes.add(TreeNode.newBuilder().setValue(node.value()).build());
            return index;
        }
        nodes.add(null); // the split's place, filled once its children's indices are known
        int left = flatten(node.left(), featureNames, nodes);
        int right = flatten(node.right(), featureNames, nodes);
        nodes.set(index, TreeNode.newBuilder().setFeature(featureNames.get(node.feature()))
                .setThreshold(node.threshold()).setLeft(left).setRight(right).build());
        return index;
    }

    /** First 8 hex digits of SHA-256 over what the model scores with (its metrics and times left out). */
    private static String hash(Model model) {
        Model scoring = Model.newBuilder(model).setMetrics(Map.of()).setThreshold(0).build();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(scoring.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
