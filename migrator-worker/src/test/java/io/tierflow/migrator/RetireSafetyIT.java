package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Site;
import io.tierflow.topics.Topics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The sequences that could lose or misplace the last good copy (issue 18), each against real S3Proxy sites and the
 * local stack's file:// site: afterwards the newest version is still on a site the dataset's placement names.
 * Each executor here is a fresh one, as after a restart: it remembers no sequence, so only what the commands carry
 * and what the sites hold protect the data.
 */
class RetireSafetyIT {
    static LocalStack stack;
    static SiteStores sites;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
        sites = new SiteStores(Map.of(), 16L << 20, 16L << 20).trust(SiteTrust.pinned(stack.config().sitePlaces()));
        Topics topics = stack.topics();
        for (ConsumerRecord<String, Site> record : KafkaTestClients.consume(stack.bootstrapServers(), Topics.SITES,
                topics.sites.keySerde().deserializer(), topics.sites.valueSerde().deserializer(), 4,
                Duration.ofSeconds(60))) {
            sites.update(record.key(), record.value());
        }
    }

    @AfterAll
    static void stopStack() {
        if (sites != null) {
            sites.close();
        }
    }

    @Test
    void shouldNotDeleteTheOnlyCopyWhenAnOldRetireIsReplayedAfterAMoveBack() throws Exception {
        Version v1 = ownerPutsS3("azure", "move-back/" + UUID.randomUUID(), bytes(3_000, 1));
        run(command(MigrationAction.COPY, v1, "azure", "onprem", 1, null));
        run(command(MigrationAction.SWITCH, v1, "azure", "onprem", 2, null));
        MigrationCommand retireAzure = command(MigrationAction.RETIRE, v1, "azure", "azure", 3, "onprem");
        run(retireAzure);
        // ... and back again
        run(command(MigrationAction.COPY, v1, "onprem", "azure", 4, null));
        run(command(MigrationAction.SWITCH, v1, "onprem", "azure", 5, null));
        run(command(MigrationAction.RETIRE, v1, "onprem", "onprem", 6, "azure"));
        assertTrue(fileAt(v1.key()).isEmpty() && readS3("azure", v1.key()).isPresent(), "moved back to azure");

        Outcome replayed = executor().execute(retireAzure, 1, status -> { }); // offsets held back, a restart

        assertFalse(replayed instanceof Outcome.Completed, "the stale RETIRE did nothing: " + replayed);
        assertArrayEquals(v1.bytes(), readS3("azure", v1.key()).orElseThrow(), "the only copy is still there");
    }

    @Test
    void shouldNotDeleteTheOwnersCopyWhenARetireThatFailedIsReplayedAfterAMoveBack() throws Exception {
        // The owner's own object carries no sequence, so no newer one tells this RETIRE is stale: only the check of
        // the copy it keeps stands between it and the last copy.
        Version v1 = ownerPutsS3("azure", "failed-retire/" + UUID.randomUUID(), bytes(2_800, 10));
        run(command(MigrationAction.COPY, v1, "azure", "onprem", 1, null));
        run(command(MigrationAction.SWITCH, v1, "azure", "onprem", 2, null));
        MigrationCommand retireAzure = command(MigrationAction.RETIRE, v1, "azure", "azure", 3, "onprem");
        Site azure = sites.site("azure").orElseThrow();
        sites.update("azure", Site.newBuilder(azure).setUp(false).build());
        try {
            Outcome whileDown = executor().execute(retireAzure, 1, status -> { });
            assertFalse(whileDown instanceof Outcome.Completed, "azure is down: " + whileDown);
        } finally {
            sites.update("azure", azure);
        }
        // ... so azure's copy stays in the placement, and the dataset moves back to it
        run(command(MigrationAction.SWITCH, v1, "onprem", "azure", 4, null));
        run(command(MigrationAction.RETIRE, v1, "onprem", "onprem", 5, "azure"));

        Outcome replayed = executor().execute(retireAzure, 1, status -> { }); // offsets held back, a restart

        assertFailed(ErrorCode.KEPT_COPY_MISSING, replayed);
        assertArrayEquals(v1.bytes(), readS3("azure", v1.key()).orElseThrow(), "the only copy is still there");
    }

    @Test
    void shouldNotDeleteANewerVersionWhenASwitchIsReplayed() throws Exception {
        Version v1 = ownerPutsS3("azure", "switch-replay/" + UUID.randomUUID(), bytes(4_000, 2));
        run(command(MigrationAction.COPY, v1, "azure", "onprem", 1, null));
        MigrationCommand switchToOnprem = command(MigrationAction.SWITCH, v1, "azure", "onprem", 2, null);
        run(switchToOnprem);
        run(command(MigrationAction.RETIRE, v1, "azure", "azure", 3, "onprem"));
        byte[] v2 = bytes(4_000, 3); // same size: only the bytes tell the versions apart
        ownerWritesFile(v1.key(), v2); // the owner writes a new version where the dataset now is

        Outcome replayed = executor().execute(switchToOnprem, 1, status -> { });

        assertFalse(replayed instanceof Outcome.Completed, "another version is no copy to switch to: " + replayed);
        assertArrayEquals(v2, fileAt(v1.key()).orElseThrow(), "the owner's newer version is untouched");
    }

    @Test
    void shouldKeepTheVersionTheOwnerWroteAtTheOldPrimaryWhileTheMoveSwitched() throws Exception {
        Version v1 = ownerPutsS3("azure", "switch-race/" + UUID.randomUUID(), bytes(5_000, 4));
        run(command(MigrationAction.COPY, v1, "azure", "onprem", 1, null));
        byte[] v2 = bytes(5_000, 5);
        try (S3Client s3 = stack.s3Client("azure")) { // any S3 client: no Tierflow metadata
            s3.putObject(b -> b.bucket(LocalStack.BUCKET).key(v1.key()), RequestBody.fromBytes(v2));
        }
        run(command(MigrationAction.SWITCH, v1, "azure", "onprem", 2, null)); // the copy is v1: fine to read

        Outcome retire = executor().execute(command(MigrationAction.RETIRE, v1, "azure", "azure", 3, "onprem"), 1,
                status -> { });

        assertFailed(ErrorCode.VERSION_CONFLICT, retire);
        assertArrayEquals(v2, readS3("azure", v1.key()).orElseThrow(), "the newest version stays");
    }

    @Test
    void shouldKeepAVersionWrittenInPlaceAtAFileSiteBeforeItsRetire() throws Exception {
        Version v1 = ownerPutsS3("gcp", "file-overwrite/" + UUID.randomUUID(), bytes(6_000, 6));
        run(command(MigrationAction.COPY, v1, "gcp", "onprem", 1, null));
        byte[] v2 = bytes(6_000, 7);
        ownerWritesFile(v1.key(), v2); // the owner's tool rewrites the file; the sidecar still describes v1

        Outcome retire = executor().execute(command(MigrationAction.RETIRE, v1, "onprem", "onprem", 2, "gcp"), 1,
                status -> { });

        assertFailed(ErrorCode.VERSION_CONFLICT, retire);
        assertArrayEquals(v2, fileAt(v1.key()).orElseThrow(), "the newest version stays");
        assertArrayEquals(v1.bytes(), readS3("gcp", v1.key()).orElseThrow());
    }

    @Test
    void shouldRefuseASitesRecordThatPointsASiteAtAnotherSitesBucket() throws Exception {
        Version v1 = ownerPutsS3("gcp", "bucket-change/" + UUID.randomUUID(), bytes(2_500, 8));
        run(command(MigrationAction.COPY, v1, "gcp", "azure", 1, null));
        Site gcp = sites.site("gcp").orElseThrow();
        Site azure = sites.site("azure").orElseThrow();
        try {
            // Whoever can write the sites topic points azure at gcp's bucket: retiring "azure" would delete the
            // very copy the RETIRE keeps.
            sites.update("azure", Site.newBuilder(azure).setEndpoint(gcp.getEndpoint()).setBucket(gcp.getBucket())
                    .build());

            Outcome retire = executor().execute(command(MigrationAction.RETIRE, v1, "azure", "azure", 2, "gcp"), 1,
                    status -> { });

            assertFailed(ErrorCode.UNTRUSTED_SITE, retire);
            assertArrayEquals(v1.bytes(), readS3("gcp", v1.key()).orElseThrow(), "the kept copy stays");
            assertArrayEquals(v1.bytes(), readS3("azure", v1.key()).orElseThrow(), "and so does the other");
        } finally {
            sites.update("azure", azure);
        }
        assertTrue(sites.refusal("azure").isEmpty(), "back where it is pinned, the site is usable again");
    }

    @Test
    void shouldMoveAgainACopyWhoseStoreReportsItsOwnVersionToken() throws Exception {
        // A multipart-sized ETag in the inventory ("...-2") is not what the file store reports (a plain MD5).
        Version v1 = ownerPutsS3("gcp", "own-token/" + UUID.randomUUID(), bytes(3_300, 9));
        Version asInventoried = new Version(v1.key(), "0123456789abcdef0123456789abcdef-2", v1.bytes());
        MigrationCommand first = command(MigrationAction.COPY, asInventoried, "gcp", "onprem", 1, null);
        first.setSourceVersionToken(v1.etag()); // the token gcp itself reported
        MigrationStatus copied = run(first);
        assertEquals(sites.store("onprem").orElseThrow().head(v1.key()).orElseThrow().versionToken(),
                copied.getVersionToken(), "COMPLETED carries the token the copy's own store reports");

        MigrationCommand onward = command(MigrationAction.COPY, asInventoried, "onprem", "azure", 2, null);
        onward.setSourceVersionToken(copied.getVersionToken());
        run(onward);

        assertArrayEquals(v1.bytes(), readS3("azure", v1.key()).orElseThrow());
    }

    // --- helpers

    record Version(String key, String etag, byte[] bytes) {
        String sha256() {
            return FileSiteStoreTest.sha256(bytes);
        }
    }

    static CommandExecutor executor() {
        return new CommandExecutor(sites, "safety-it", false, false, Clock.systemUTC());
    }

    static MigrationStatus run(MigrationCommand command) {
        Outcome outcome = executor().execute(command, 1, status -> { });
        return assertInstanceOf(Outcome.Completed.class, outcome, () -> command.getAction() + " " + outcome)
                .status();
    }

    static void assertFailed(ErrorCode code, Outcome outcome) {
        Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, outcome, () -> outcome.toString());
        assertEquals(code, failed.code(), failed.message());
    }

    static MigrationCommand command(MigrationAction action, Version version, String source, String destination,
            long sequence, String keepSite) {
        return MigrationCommand.newBuilder()
                .setId(action + "-" + sequence + "-" + UUID.randomUUID())
                .setKey(version.key())
                .setAction(action)
                .setSourceSite(source)
                .setDestinationSite(destination)
                .setStorageClass("STANDARD")
                .setExpectedVersionToken(version.etag())
                .setExpectedSha256(version.sha256())
                .setSizeBytes(version.bytes().length)
                .setSequence(sequence)
                .setKeepSite(keepSite)
                .setIssuedAt(Instant.now())
                .build();
    }

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The owner's upload, as `tierflow produce` makes it: with its SHA-256, no sequence. */
    static Version ownerPutsS3(String site, String key, byte[] bytes) {
        try (S3Client s3 = stack.s3Client(site)) {
            String etag = s3.putObject(b -> b.bucket(LocalStack.BUCKET).key(key)
                    .metadata(Map.of("sha256", FileSiteStoreTest.sha256(bytes))), RequestBody.fromBytes(bytes)).eTag();
            return new Version(key, etag.replace("\"", ""), bytes);
        }
    }

    static Optional<byte[]> readS3(String site, String key) {
        try (S3Client s3 = stack.s3Client(site)) {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(LocalStack.BUCKET).key(key)).asByteArray());
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    static Path onpremRoot() {
        Site onprem = sites.site("onprem").orElseThrow();
        return Path.of(URI.create(onprem.getEndpoint())).resolve(onprem.getBucket());
    }

    static Optional<byte[]> fileAt(String key) throws Exception {
        Path file = onpremRoot().resolve(key);
        return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    /** What an owner's tool does on a file share: a new file renamed over the old one. */
    static void ownerWritesFile(String key, byte[] bytes) throws Exception {
        Path file = onpremRoot().resolve(key);
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("owner-" + UUID.randomUUID());
        Files.write(temp, bytes);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
