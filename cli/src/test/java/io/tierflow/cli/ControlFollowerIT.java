package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tierflow.cli.traffic.DatasetSpec;
import io.tierflow.cli.traffic.OperatorBursts;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The traffic generator following the control topic of a real broker. */
class ControlFollowerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String EARLIER = "datasets/d000001";
    private static final String LATER = "datasets/d000002";

    /**
     * Commands issued before the generator started are not replayed; a record nobody can read, and commands that are
     * not bursts, are passed over without stopping the follower; the burst issued after it started runs.
     */
    @Test
    void shouldStartOnlyTheBurstsIssuedSinceItStartedReadingPastWhatItCannotUse() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        Topics topics = stack.topics();
        OperatorBursts bursts = new OperatorBursts(List.of(spec(1, EARLIER), spec(2, LATER)));
        StringWriter logged = new StringWriter();
        produce(stack, topics, burst(EARLIER));

        try (ControlFollower follower = ControlFollower.start(stack.bootstrapServers(), topics, bursts,
                new PrintWriter(logged))) {
            KafkaTestClients.produce(stack.bootstrapServers(), Topics.CONTROL, new StringSerializer(),
                    new ByteArraySerializer(), List.of(new ProducerRecord<>(Topics.CONTROL, 0, LATER,
                            "not a command".getBytes(StandardCharsets.UTF_8))));
            ControlCommand siteDown = burst(LATER);
            siteDown.setType(ControlType.SITE_DOWN);
            produce(stack, topics, siteDown);
            produce(stack, topics, burst(LATER));

            Eventually.holds(TIMEOUT, () -> "the burst on " + LATER + " followed; logged: " + logged,
                    () -> logged.toString().contains("[" + LATER + "]"));
        }

        List<AccessEvent> reads = new ArrayList<>();
        long afterTheBurst = System.nanoTime() + Duration.ofHours(1).toNanos();
        for (List<AccessEvent> some; !(some = bursts.due(afterTheBurst, Instant.now())).isEmpty(); ) {
            reads.addAll(some);
        }
        assertEquals(20, reads.size(), "the one burst: 10 a second for 2 s");
        assertEquals(List.of(LATER), reads.stream().map(AccessEvent::getKey).distinct().toList());
        assertFalse(logged.toString().contains(EARLIER), "the burst issued before it started is not replayed");
        assertFalse(logged.toString().contains("stopped following"), logged.toString());
    }

    private static void produce(LocalStack stack, Topics topics, ControlCommand command) throws Exception {
        KafkaTestClients.produce(stack.bootstrapServers(), Topics.CONTROL, new StringSerializer(),
                topics.control.valueSerde().serializer(),
                List.of(new ProducerRecord<>(Topics.CONTROL, 0, command.getTarget(), command)));
    }

    private static ControlCommand burst(String key) {
        return ControlCommand.newBuilder().setType(ControlType.BURST).setTarget(key).setKeys(List.of(key))
                .setParameters(Map.of("eventsPerSecond", "10", "durationSeconds", "2")).setOperator("alice")
                .setIssuedAt(Instant.now()).build();
    }

    private static DatasetSpec spec(int rank, String key) {
        return new DatasetSpec(rank, key, 1_000_000, "application/octet-stream", "team", "aws", rank);
    }
}
