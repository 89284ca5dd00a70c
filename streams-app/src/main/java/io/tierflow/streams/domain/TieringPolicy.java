package io.tierflow.streams.domain;

import java.util.Map;

/**
 * The policy knobs the decision logic uses.
 *
 * @param opWeights heat per access by operation name; operations not listed weigh 1
 * @param hysteresis under {@link Decision#HEAT}, the fraction below a threshold a dataset must fall before it is demoted;
 *     under {@link Decision#COST}, the fraction of the expected cost of staying that a change of tier must save
 * @param decision how the tier is chosen
 * @param copies copies (primary included) of every dataset whatever its tier, each on a distinct provider; 0: the
 *     tier's own replication ({@code replicationHot} ...)
 * @param writeQuorum verified copies at which a placement is durable ({@link Quorum}); 0: 1, a move switching as soon
 *     as its new primary's copy is verified
 * @param preCopyLookaheadMs under {@link Decision#HEAT}, how far ahead the forecast may make a dataset hot before its
 *     burst ({@link PreCopy}); 0: off
 */
public record TieringPolicy(String name, long halfLifeMs, Map<String, Double> opWeights, double bytesWeightPerGb,
        double hotThreshold, double warmThreshold, double hysteresis, double scoreBoost, int replicationHot,
        int replicationWarm, int replicationCold, double defaultSlaMs, boolean encryptedOnly, long cooldownMs,
        double horizonDays, long retireGraceMs, long latenessMs, Decision decision, int copies, int writeQuorum,
        long preCopyLookaheadMs) {

    /** A policy with the tiers' own replication, a write quorum of 1 and no pre-copy. */
    public TieringPolicy(String name, long halfLifeMs, Map<String, Double> opWeights, double bytesWeightPerGb,
            double hotThreshold, double warmThreshold, double hysteresis, double scoreBoost, int replicationHot,
            int replicationWarm, int replicationCold, double defaultSlaMs, boolean encryptedOnly, long cooldownMs,
            double horizonDays, long retireGraceMs, long latenessMs, Decision decision) {
        this(name, halfLifeMs, opWeights, bytesWeightPerGb, hotThreshold, warmThreshold, hysteresis, scoreBoost,
                replicationHot, replicationWarm, replicationCold, defaultSlaMs, encryptedOnly, cooldownMs, horizonDays,
                retireGraceMs, latenessMs, decision, 0, 0, 0L);
    }

    /**
     * How the tier is chosen. {@code HEAT}: boosted heat against the hot and warm thresholds. {@code COST}: the tier
     * whose best placement has the lowest expected cost over the horizon ({@link CostBasedTier}); heat and the model's
     * score remain features of the expected reads.
     */
    public enum Decision { HEAT, COST }

    /**
     * Used until a policy named 'default' is published. It decides by heat: the cost decision, which what-if prices
     * far closer to the offline optimum (docs/whatif.md), is not yet fast enough in the topology at the benchmark's
     * scale to be the default (ADR 20).
     */
    public static final TieringPolicy BUILT_IN = new TieringPolicy("built-in", 6 * 3_600_000L,
            Map.of("GET", 1.0, "PUT", 0.5, "HEAD", 0.1, "LIST", 0.1, "DELETE", 0.0), 0.0,
            20.0, 2.0, 0.25, 5.0, 2, 1, 1, 50.0, false, 15 * 60_000L, 30.0, 3_600_000L, 5 * 60_000L, Decision.HEAT);

    public double weightOf(String op, long bytes) {
        return opWeights.getOrDefault(op, 1.0) + bytesWeightPerGb * bytes / 1e9;
    }

    /** Copies (primary included) wanted of a dataset of {@code tier}: {@code copies} if set, else the tier's own. */
    public int replicationFor(Tier tier) {
        if (copies > 0) {
            return copies;
        }
        return switch (tier) {
            case HOT -> replicationHot;
            case WARM -> replicationWarm;
            case COLD -> replicationCold;
        };
    }

    /** Verified copies at which a placement of {@code tier} is durable: never more than the copies wanted. */
    public int writeQuorumFor(Tier tier) {
        return Math.min(Math.max(writeQuorum, 1), Math.max(replicationFor(tier), 1));
    }

    public long horizonMs() {
        return (long) (horizonDays * 24 * 3_600_000L);
    }

    public double horizonMonths() {
        return horizonDays / 30.0;
    }
}
