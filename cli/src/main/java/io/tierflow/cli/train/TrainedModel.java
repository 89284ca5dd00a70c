package io.tierflow.cli.train;

import java.util.List;

/**
 * A model as it will be published and scored: plain numbers walked or summed here, so the metrics measure exactly what
 * the topology will run, not the training library's own prediction.
 */
public sealed interface TrainedModel {
    /** The scorer family, as the {@code Model} record's {@code kind} names it. */
    String kind();

    /** Probability of a read within the horizon for {@code features} (in the table's feature order). */
    double probability(double[] features);

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /**
     * {@code p = sigmoid(intercept + sum(coefficient_i * (x_i - mean_i) / scale_i))}.
     */
    record Logistic(double intercept, double[] means, double[] scales, double[] coefficients)
            implements TrainedModel {
        @Override
        public String kind() {
            return "logistic";
        }

        @Override
        public double probability(double[] features) {
            double z = intercept;
            for (int i = 0; i < coefficients.length; i++) {
                z += coefficients[i] * (features[i] - means[i]) / scales[i];
            }
            return sigmoid(z);
        }
    }

    /**
     * {@code p = sigmoid(intercept + sum of the leaves reached)}; at a split, values below the threshold go left.
     */
    record Trees(double intercept, List<Node> trees) implements TrainedModel {
        public Trees {
            trees = List.copyOf(trees);
        }

        @Override
        public String kind() {
            return "gradient_boosted_trees";
        }

        @Override
        public double probability(double[] features) {
            double z = intercept;
            for (Node tree : trees) {
                Node node = tree;
                while (!node.isLeaf()) {
                    node = features[node.feature()] < node.threshold() ? node.left() : node.right();
                }
                z += node.value();
            }
            return sigmoid(z);
        }

        /** Number of nodes over all trees. */
        public int size() {
            return trees.stream().mapToInt(Node::size).sum();
        }
    }

    /**
     * A tree node: a split on the feature at index {@code feature} (-1 for a leaf) or a leaf's {@code value}.
     */
    record Node(int feature, double threshold, Node left, Node right, double value) {
        static Node leaf(double value) {
            return new Node(-1, 0, null, null, value);
        }

        boolean isLeaf() {
            return feature < 0;
        }

        int size() {
            return isLeaf() ? 1 : 1 + left.size() + right.size();
        }
    }
}
