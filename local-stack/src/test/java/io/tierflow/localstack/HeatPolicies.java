package io.tierflow.localstack;

import io.tierflow.schemas.Policy;
import io.tierflow.schemas.TierDecision;
import io.tierflow.topics.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The 'default' policy deciding by heat, for integration tests about a burst's promotion or the heat decay's next
 * look, which thresholds make exact (the built-in policy decides by cost): the built-in policy's settings before it
 * did.
 */
public final class HeatPolicies {
    private HeatPolicies() {
    }

    public static Policy heatDefault() {
        return Policy.newBuilder().setName("default").setHeatHalfLifeSeconds(6 * 3600)
                .setOpWeights(Map.of("GET", 1.0, "PUT", 0.5, "HEAD", 0.1, "LIST", 0.1, "DELETE", 0.0))
                .setHotThreshold(20).setWarmThreshold(2).setHysteresis(0.25).setScoreBoost(5)
                .setReplicationHot(2).setReplicationWarm(1).setReplicationCold(1).setDefaultLatencySlaMs(50)
                .setMigrationBudgetBytesPerHour(1L << 50).setCooldownSeconds(900).setHorizonDays(30)
                .setRetireGraceSeconds(3600).setLatenessSeconds(300).setDecision(TierDecision.HEAT)
                .setUpdatedAt(Instant.now()).build();
    }

    /**
     * Publishes {@link #heatDefault()} as the 'default' policy. Call it before the streams app starts: its global
     * store then holds the policy before the first record is processed.
     */
    public static void publishDefault(LocalStack stack) throws Exception {
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.POLICIES, Serdes.String().serializer(),
                stack.topics().policies.valueSerde().serializer(),
                List.of(new ProducerRecord<>(Topics.POLICIES, "default", heatDefault())));
    }
}
