package io.tierflow.streams.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * {@code p = sigmoid(intercept + sum over trees of the leaf value reached)}, a gradient-boosted ensemble. At a split
 * the walk goes left when the feature's value is below the threshold (NaN goes left too), else right.
 *
 * <p>Every tree's nodes sit in one set of flat arrays, children as absolute indices and features by number, so
 * scoring allocates nothing. The constructor checks the structure, so a walk always ends at a leaf.
 */
public final class TreeEnsembleScorer implements Scorer {
    private static final int LEAF = -1;

    /**
     * One node as published: a leaf when {@code feature} is null, else a split with the indices of its children in its
     * own tree's node list.
     */
    public record Node(String feature, double threshold, int left, int right, double value) {
        public static Node leaf(double value) {
            return new Node(null, 0, -1, -1, value);
        }

        public static Node split(String feature, double threshold, int left, int right) {
            return new Node(feature, threshold, left, right, 0);
        }
    }

    private final String version;
    private final double intercept;
    private final int[] roots;
    private final int[] feature;
    private final double[] threshold;
    private final int[] left;
    private final int[] right;
    private final double[] value;

    /**
     * @param trees each tree's nodes, node 0 its root
     * @throws IllegalArgumentException saying what is wrong if a tree is empty, a node names a feature
     *     {@link Features} does not have, a child index is out of range, a node is reached twice (a cycle, or a child
     *     shared by two parents) or a number is not finite
     */
    public TreeEnsembleScorer(String version, double intercept, List<List<Node>> trees) {
        if (!Double.isFinite(intercept)) {
            throw new IllegalArgumentException("intercept must be a finite number, not " + intercept);
        }
        this.version = version;
        this.intercept = intercept;
        int total = trees.stream().mapToInt(List::size).sum();
        roots = new int[trees.size()];
        feature = new int[total];
        threshold = new double[total];
        left = new int[total];
        right = new int[total];
        value = new double[total];
        int offset = 0;
        for (int t = 0; t < trees.size(); t++) {
            List<Node> nodes = trees.get(t);
            checkTree(t, nodes);
            roots[t] = offset;
            for (int i = 0; i < nodes.size(); i++) {
                Node node = nodes.get(i);
                int at = offset + i;
                if (node.feature() == null) {
                    feature[at] = LEAF;
                    value[at] = node.value();
                } else {
                    feature[at] = Features.index(node.feature()).getAsInt();
                    threshold[at] = node.threshold();
                    left[at] = offset + node.left();
                    right[at] = offset + node.right();
                }
            }
            offset += nodes.size();
        }
    }

    /** Checks that walking tree {@code t} from its root reaches every node at most once and ends at leaves. */
    private static void checkTree(int t, List<Node> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("tree " + t + " has no nodes");
        }
        boolean[] reached = new boolean[nodes.size()];
        int[] pending = new int[nodes.size()];
        int top = 0;
        pending[top++] = 0;
        reached[0] = true;
        while (top > 0) {
            int i = pending[--top];
            Node node = nodes.get(i);
            String where = "tree " + t + " node " + i;
            if (node.feature() == null) {
                if (!Double.isFinite(node.value())) {
                    throw new IllegalArgumentException(where + ": leaf value must be a finite number, not "
                            + node.value());
                }
                continue;
            }
            if (Features.index(node.feature()).isEmpty()) {
                throw new IllegalArgumentException(where + " splits on unknown feature '" + node.feature()
                        + "' (known: " + String.join(", ", Features.NAMES) + ")");
            }
            if (!Double.isFinite(node.threshold())) {
                throw new IllegalArgumentException(where + ": threshold must be a finite number, not "
                        + node.threshold());
            }
            for (int child : new int[] {node.left(), node.right()}) {
                if (child < 0 || child >= nodes.size()) {
                    throw new IllegalArgumentException(where + " has child " + child + ", outside 0.."
                            + (nodes.size() - 1));
                }
                if (reached[child]) {
                    throw new IllegalArgumentException(where + " leads to node " + child
                            + " again: a tree's nodes form no cycle and share no child");
                }
                reached[child] = true;
                pending[top++] = child;
            }
        }
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public double score(Features features) {
        double z = intercept;
        for (int root : roots) {
            int n = root;
            while (feature[n] != LEAF) {
                // Written so that NaN, which compares false with everything, goes left.
                n = features.valueAt(feature[n]) >= threshold[n] ? right[n] : left[n];
            }
            z += value[n];
        }
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** Number of trees. */
    public int trees() {
        return roots.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreeEnsembleScorer other && version.equals(other.version)
                && Double.compare(intercept, other.intercept) == 0 && Arrays.equals(roots, other.roots)
                && Arrays.equals(feature, other.feature) && Arrays.equals(threshold, other.threshold)
                && Arrays.equals(left, other.left) && Arrays.equals(right, other.right)
                && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, intercept, Arrays.hashCode(feature), Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "TreeEnsembleScorer[" + version + ", " + roots.length + " trees]";
    }
}
