package io.tierflow.api;

import io.tierflow.schemas.Policy;

/** What makes a policy usable beyond its schema: thresholds in order, fractions in range, positive durations. */
final class PolicyValidation {
    private PolicyValidation() {
    }

    static void check(Policy p) {
        require(p.getHeatHalfLifeSeconds() > 0, "heatHalfLifeSeconds must be positive");
        require(p.getWarmThreshold() >= 0, "warmThreshold must not be negative");
        require(p.getHotThreshold() > p.getWarmThreshold(), "hotThreshold must be above warmThreshold");
        require(p.getHysteresis() >= 0 && p.getHysteresis() < 1, "hysteresis must be a fraction from 0 to below 1");
        require(p.getScoreBoost() >= 0, "scoreBoost must not be negative");
        require(p.getReplicationHot() >= 1 && p.getReplicationWarm() >= 1 && p.getReplicationCold() >= 1,
                "every tier needs a replication of at least 1 (the primary)");
        require(p.getDefaultLatencySlaMs() > 0, "defaultLatencySlaMs must be positive");
        require(p.getMigrationBudgetBytesPerHour() >= 0, "migrationBudgetBytesPerHour must not be negative");
        require(p.getCooldownSeconds() >= 0 && p.getRetireGraceSeconds() >= 0 && p.getLatenessSeconds() >= 0,
                "cooldownSeconds, retireGraceSeconds and latenessSeconds must not be negative");
        require(p.getHorizonDays() > 0, "horizonDays must be positive");
        p.getOpWeights().forEach((op, weight) -> require(weight >= 0, "opWeights." + op + " must not be negative"));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw ApiException.badRequest(message);
        }
    }
}
