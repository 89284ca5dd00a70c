package io.tierflow.streams.domain;

/**
 * Tier from boosted heat, with hysteresis: promotion at a threshold, demotion only once the value falls a
 * fraction {@code hysteresis} below it, so a dataset hovering around a threshold keeps its tier.
 */
public final class TierDecider {
    private TierDecider() {
    }

    public static Tier decide(double boostedHeat, Tier current, TieringPolicy policy) {
        Tier promoted = tierAt(boostedHeat, policy.hotThreshold(), policy.warmThreshold());
        if (current == null || promoted.hotterThan(current)) {
            return promoted;
        }
        double keep = 1.0 - policy.hysteresis();
        Tier held = tierAt(boostedHeat, policy.hotThreshold() * keep, policy.warmThreshold() * keep);
        // Never hotter than now (that is promotion, handled above), never colder than the promotion tier.
        return held.hotterThan(current) ? current : held;
    }

    /** The boosted heat below which a dataset of tier {@code tier} is demoted; 0 for COLD. */
    public static double demotionThreshold(Tier tier, TieringPolicy policy) {
        double keep = 1.0 - policy.hysteresis();
        return switch (tier) {
            case HOT -> policy.hotThreshold() * keep;
            case WARM -> policy.warmThreshold() * keep;
            case COLD -> 0.0;
        };
    }

    private static Tier tierAt(double value, double hot, double warm) {
        if (value >= hot) {
            return Tier.HOT;
        }
        return value >= warm ? Tier.WARM : Tier.COLD;
    }
}
