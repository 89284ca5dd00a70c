package io.tierflow.streams.domain;

import java.util.Map;

/**
 * The policy knobs the decision logic uses.
 *
 * @param opWeights heat per access by operation name; operations not listed weigh 1
 * @param hysteresis under {@link Decision#HEAT}, the fraction below a threshold a dataset must fall before it is demoted;
 *     under {@link Decision#COST}, the fraction of the expected cost of staying that a change of tier must save
 * @param decision how the tier is chosen
 * @param preCopyLookaheadMs under {@link Decision#HEAT}, how far ahead the forecast may make a dataset hot before its
 *     burst ({@link PreCopy}); 0: off
 */
public record TieringPolicy(String name, long halfLifeMs, Map<String, Double> opWeights, double bytesWeightPerGb,
        double hotThreshold, double warmThreshold, double hysteresis, double scoreBoost, int replicationHot,
        int replicationWarm, int replicationCold, double defaultSlaMs, boolean encryptedOnly, long cooldownMs,
        double horizonDays, long retireGraceMs, long latenessMs, Decision decision, long preCopyLookaheadMs) {

    /**
     * How the tier is chosen. {@code HEAT}: boosted heat against the hot and warm thresholds. {@code COST}: the tier
     * whose best placement has the lowest expected cost over the horizon ({@link CostBasedTier}); heat and the model's
     * score remain features of the expected reads.
     */
    public enum Decision { HEAT, COST }

    /** Used until a policy named 'default' is published. */
    public static final TieringPolicy BUILT_IN = new TieringPolicy("built-in", 6 * 3_600_000L,
            Map.of("GET", 1.0, "PUT", 0.5, "HEAD", 0.1, "LIST", 0.1, "DELETE", 0.0), 0.0,
            20.0, 2.0, 0.25, 5.0, 2, 1, 1, 50.0, false, 15 * 60_000L, 30.0, 3_600_000L, 5 * 60_000L, Decision.HEAT,
            0L);

    public double weightOf(String op, long bytes) {
        return opWeights.getOrDefault(op, 1.0) + bytesWeightPerGb * bytes / 1e9;
    }

    public int replicationFor(Tier tier) {
        return switch (tier) {
            case HOT -> replicationHot;
            case WARM -> replicationWarm;
            case COLD -> replicationCold;
        };
    }

    public long horizonMs() {
        return (long) (horizonDays * 24 * 3_600_000L);
    }

    public double horizonMonths() {
        return horizonDays / 30.0;
    }
}
