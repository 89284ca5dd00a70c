package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.TreeEnsembleScorer.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TreeEnsembleScorerTest {
    /** count_1h < 3 ? (heat < 10 ? -2 : 0.5) : 1.5 */
    private static final List<Node> STUMPY = List.of(
            Node.split("count_1h", 3, 1, 2),
            Node.split("heat", 10, 3, 4),
            Node.leaf(1.5),
            Node.leaf(-2),
            Node.leaf(0.5));

    private static Features features(double count1h, double heat) {
        return new Features(count1h, 0, 0, 0, 0, 0, heat, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void shouldAddTheLeavesReachedToTheInterceptAndGoLeftBelowTheThreshold() {
        TreeEnsembleScorer scorer = new TreeEnsembleScorer("t-1", 0.25, List.of(STUMPY, List.of(Node.leaf(-0.75))));

        assertEquals(sigmoid(0.25 - 2 - 0.75), scorer.score(features(2.9, 9)), 1e-12);
        assertEquals(sigmoid(0.25 + 0.5 - 0.75), scorer.score(features(0, 10)), 1e-12, "at the threshold: right");
        assertEquals(sigmoid(0.25 + 1.5 - 0.75), scorer.score(features(3, 0)), 1e-12);
        assertEquals(sigmoid(0.25 - 2 - 0.75), scorer.score(features(Double.NaN, Double.NaN)), 1e-12, "NaN: left");
        assertEquals("t-1", scorer.version());
        assertEquals(2, scorer.trees());
    }

    @Test
    void shouldScoreAsAPlainRecursiveWalkOnRandomEnsembles() {
        Random random = new Random(20);
        for (int round = 0; round < 2_000; round++) {
            List<List<Node>> trees = new ArrayList<>();
            for (int t = 0, n = 1 + random.nextInt(5); t < n; t++) {
                List<Node> nodes = new ArrayList<>();
                grow(nodes, random, 0);
                trees.add(List.copyOf(nodes));
            }
            double intercept = random.nextGaussian();
            TreeEnsembleScorer scorer = new TreeEnsembleScorer("r", intercept, trees);
            for (int probe = 0; probe < 5; probe++) {
                double[] v = new double[Features.NAMES.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = random.nextInt(10) == 0 ? Double.NaN : random.nextGaussian() * 10;
                }
                Features f = new Features(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
                        v[12], v[13], v[14], v[15], v[16], v[17]);
                double z = intercept;
                for (List<Node> tree : trees) {
                    z += walk(tree, 0, f);
                }
                assertEquals(sigmoid(z), scorer.score(f), 1e-12);
            }
        }
    }

    /** Appends a random subtree in the order a depth-first writer would, and returns the index of its root. */
    private static int grow(List<Node> nodes, Random random, int depth) {
        int at = nodes.size();
        if (depth >= 4 || random.nextInt(3) == 0) {
            nodes.add(Node.leaf(random.nextGaussian()));
            return at;
        }
        nodes.add(null); // placeholder until the children's indices are known
        String feature = Features.NAMES.get(random.nextInt(Features.NAMES.size()));
        double threshold = random.nextGaussian() * 10;
        int left = grow(nodes, random, depth + 1);
        int right = grow(nodes, random, depth + 1);
        nodes.set(at, Node.split(feature, threshold, left, right));
        return at;
    }

    private static double walk(List<Node> tree, int i, Features f) {
        Node node = tree.get(i);
        if (node.feature() == null) {
            return node.value();
        }
        double x = f.get(node.feature());
        return walk(tree, Double.isNaN(x) || x < node.threshold() ? node.left() : node.right(), f);
    }

    @Test
    void shouldRefuseATreeThatDoesNotEndInLeaves() {
        assertRefused("child 7, outside 0..2", List.of(Node.split("heat", 1, 1, 7), Node.leaf(0), Node.leaf(1)));
        assertRefused("child -1", List.of(Node.split("heat", 1, -1, 1), Node.leaf(0)));
        assertRefused("leads to node 0 again", List.of(Node.split("heat", 1, 1, 2), Node.leaf(0),
                Node.split("heat", 2, 0, 1)));
        assertRefused("leads to node 1 again", List.of(Node.split("heat", 1, 1, 1), Node.leaf(0)));
        assertRefused("unknown feature 'temperature'", List.of(Node.split("temperature", 1, 1, 2), Node.leaf(0),
                Node.leaf(1)));
        assertRefused("threshold must be a finite number", List.of(Node.split("heat", Double.NaN, 1, 2), Node.leaf(0),
                Node.leaf(1)));
        assertRefused("leaf value must be a finite number", List.of(Node.leaf(Double.POSITIVE_INFINITY)));
        assertRefused("has no nodes", List.of());
        IllegalArgumentException intercept = assertThrows(IllegalArgumentException.class,
                () -> new TreeEnsembleScorer("bad", Double.NaN, List.of(List.of(Node.leaf(0)))));
        assertTrue(intercept.getMessage().contains("intercept"), intercept.getMessage());
    }

    private static void assertRefused(String reason, List<Node> tree) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TreeEnsembleScorer("bad", 0, List.of(List.of(Node.leaf(0)), tree)));
        assertTrue(e.getMessage().contains(reason), () -> "expected '" + reason + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("tree 1"), e.getMessage());
    }
}
