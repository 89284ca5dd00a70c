package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.schemas.Site;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code tierflow chaos} in-process against a real local stack, which it reaches only through Kafka. */
class ChaosCommandIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
    }

    @AfterAll
    static void stopStack() {
    }

    @Test
    void shouldReallyStopALocalSiteForTheDurationAndStartItAgainWithItsObjects() throws Exception {
        byte[] bytes = "kept across the outage".getBytes();
        try (S3Client s3 = stack.s3Client("aws")) {
            s3.putObject(b -> b.bucket(LocalStack.BUCKET).key("chaos/kept"), RequestBody.fromBytes(bytes));
        }

        CompletableFuture<Run> chaos = CompletableFuture.supplyAsync(() -> chaos("--site", "aws", "--duration", "3s"));

        awaitTrue(() -> !stack.isSiteRunning("aws"), "the stack stopped site aws");
        try (S3Client s3 = stack.s3Client("aws")) {
            assertThrows(SdkClientException.class, () -> s3.headBucket(b -> b.bucket(LocalStack.BUCKET)),
                    "the endpoint refuses requests while stopped");
        }
        Run run = chaos.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, run.exit, run.toString());
        assertTrue(run.out.contains("site aws stopped") && run.out.contains("site aws is back"), run.out);
        assertTrue(stack.isSiteRunning("aws"), "started again when the command returned");
        try (S3Client s3 = stack.s3Client("aws")) {
            assertArrayEquals(bytes, s3.getObjectAsBytes(b -> b.bucket(LocalStack.BUCKET).key("chaos/kept"))
                    .asByteArray());
        }
        List<ControlCommand> requests = control(c -> c.getType() == ControlType.OTHER
                && c.getTarget().equals("aws"), 2);
        assertEquals(List.of("stop-site", "start-site"),
                requests.stream().map(c -> c.getParameters().get("local-stack")).toList());
    }

    @Test
    void shouldMarkASiteDownAndUpInTheCatalogueAndOnControl() {
        Run down = chaos("--site", "gcp", "--mark", "down", "--operator", "oncall");

        assertEquals(0, down.exit, down.toString());
        Site gcp = latestSite("gcp", 2); // as published by the stack, then marked
        assertFalse(gcp.getUp(), "the catalogue says gcp is down");
        assertEquals(stack.site("gcp").endpoint().toString(), gcp.getEndpoint(), "the rest of the entry is kept");
        assertTrue(stack.isSiteRunning("gcp"), "marking stops nothing");
        assertEquals("oncall", control(c -> c.getType() == ControlType.SITE_DOWN && c.getTarget().equals("gcp"), 1)
                .get(0).getOperator());

        Run up = chaos("--site", "gcp", "--mark", "up");

        assertEquals(0, up.exit, up.toString());
        assertTrue(latestSite("gcp", 3).getUp());
        assertEquals(1, control(c -> c.getType() == ControlType.SITE_UP && c.getTarget().equals("gcp"), 1).size());
    }

    @Test
    void shouldRefuseASiteThatIsNotInTheCatalogue() {
        Run run = chaos("--site", "mars", "--duration", "1s");

        assertEquals(1, run.exit, run.toString());
        assertTrue(run.err.contains("'mars' is not in the catalogue"), run.err);
    }

    @Test
    void shouldRefuseToStopAFileSite() {
        Run run = chaos("--site", "onprem", "--duration", "1s");

        assertEquals(1, run.exit, run.toString());
        assertTrue(run.err.contains("--mark down"), run.err);
    }

    /** The last of the first {@code entries} catalogue entries of the site (one partition: in order). */
    private static Site latestSite(String name, int entries) {
        Topics topics = stack.topics();
        List<ConsumerRecord<String, Site>> records = KafkaTestClients.consume(stack.bootstrapServers(),
                Topics.SITES, topics.sites.keySerde().deserializer(), topics.sites.valueSerde().deserializer(),
                r -> r.key().equals(name), entries, TIMEOUT);
        return records.get(entries - 1).value();
    }

    private static List<ControlCommand> control(java.util.function.Predicate<ControlCommand> keep, int count) {
        Topics topics = stack.topics();
        return KafkaTestClients.consume(stack.bootstrapServers(), Topics.CONTROL,
                topics.control.keySerde().deserializer(), topics.control.valueSerde().deserializer(),
                r -> keep.test(r.value()), count, TIMEOUT).stream().map(ConsumerRecord::value).toList();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws Exception {
        Eventually.holds(TIMEOUT, what, condition::getAsBoolean);
    }

    private static Run chaos(String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("chaos", "--bootstrap-servers",
                stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl()));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = TierflowCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private record Run(int exit, String out, String err) {
    }
}
