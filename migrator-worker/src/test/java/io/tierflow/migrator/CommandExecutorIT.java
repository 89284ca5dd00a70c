package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Site;
import io.tierflow.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The executor against real S3Proxy sites and a file:// site from the local stack, with no Kafka in the way. */
class CommandExecutorIT {
    private static final long PART = 16L << 20;

    @TempDir
    static Path dataDir;
    static LocalStack stack;
    static SiteStores sites;
    static CommandExecutor executor;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
        // The sites as the worker sees them: from the catalogue topic the stack published.
        sites = new SiteStores(Map.of(), PART, PART).trust(SiteTrust.pinned(stack.config().sitePlaces()));
        Topics topics = stack.topics();
        for (ConsumerRecord<String, Site> record : KafkaTestClients.consume(stack.bootstrapServers(), Topics.SITES,
                topics.sites.keySerde().deserializer(), topics.sites.valueSerde().deserializer(), 4,
                Duration.ofSeconds(60))) {
            sites.update(record.key(), record.value());
        }
        executor = new CommandExecutor(sites, "test-worker", false, false, Clock.systemUTC());
    }

    @AfterAll
    static void stopStack() {
        if (sites != null) {
            sites.close();
        }
    }

    @Test
    void shouldCopyASmallObjectAcrossSitesWithItsChecksum() throws Exception {
        byte[] bytes = randomBytes(10_000);
        MigrationCommand copy = copyCommand(seed("aws", "small/" + UUID.randomUUID(), bytes), "aws", "azure",
                "STANDARD");
        List<MigrationStatus> progress = new ArrayList<>();

        MigrationStatus done = completed(executor.execute(copy, 1, progress::add));

        assertEquals(FileSiteStoreTest.sha256(bytes), done.getSha256());
        assertEquals(bytes.length, done.getBytesDone());
        assertArrayEquals(bytes, read("azure", copy.getKey()));
        assertEquals(List.of(MigrationPhase.COPYING, MigrationPhase.VERIFYING),
                progress.stream().map(MigrationStatus::getPhase).toList());
        assertEquals(done.getVersionToken(), head("azure", copy.getKey()).eTag().replace("\"", ""));
    }

    @Test
    void shouldCopyALargeObjectInPartsWithoutHoldingItInMemory() throws Exception {
        byte[] bytes = randomBytes((int) (40L << 20));
        MigrationCommand copy = copyCommand(seed("aws", "large/" + UUID.randomUUID(), bytes), "aws", "gcp",
                "STANDARD_IA");
        List<MigrationStatus> progress = new ArrayList<>();

        MigrationStatus done = completed(executor.execute(copy, 1, progress::add));

        assertEquals(FileSiteStoreTest.sha256(bytes), done.getSha256());
        assertTrue(done.getVersionToken().endsWith("-3"), "a 3-part multipart ETag: " + done.getVersionToken());
        assertArrayEquals(bytes, read("gcp", copy.getKey()));
        assertTrue(progress.stream().anyMatch(s -> s.getPhase() == MigrationPhase.COPYING && s.getBytesDone() > 0),
                "progress is reported while copying");
    }

    @Test
    void shouldFinishACopyAKilledWorkerLeftHalfDoneWithNothingVisibleMeanwhile() throws Exception {
        byte[] bytes = randomBytes((int) (20L << 20));
        MigrationCommand copy = copyCommand(seed("aws", "killed/" + UUID.randomUUID(), bytes), "aws", "gcp",
                "STANDARD");
        String staleUpload;
        try (S3Client s3 = stack.s3Client("gcp")) { // what a worker killed after its first part leaves behind
            staleUpload = s3.createMultipartUpload(b -> b.bucket(LocalStack.BUCKET).key(copy.getKey())).uploadId();
            s3.uploadPart(b -> b.bucket(LocalStack.BUCKET).key(copy.getKey()).uploadId(staleUpload).partNumber(1),
                    RequestBody.fromBytes(java.util.Arrays.copyOf(bytes, (int) PART)));
            assertTrue(s3.listMultipartUploads(b -> b.bucket(LocalStack.BUCKET).prefix(copy.getKey())).uploads()
                    .stream().anyMatch(u -> u.uploadId().equals(staleUpload)), "the site lists the stale upload");
        }
        assertFalse(exists("gcp", copy.getKey()), "an unfinished upload is not a visible object");

        MigrationStatus done = completed(executor.execute(copy, 1, status -> { }));

        assertEquals(FileSiteStoreTest.sha256(bytes), done.getSha256());
        assertArrayEquals(bytes, read("gcp", copy.getKey()));
        try (S3Client s3 = stack.s3Client("gcp")) {
            assertTrue(s3.listMultipartUploads(b -> b.bucket(LocalStack.BUCKET).prefix(copy.getKey())).uploads()
                    .stream().noneMatch(u -> u.uploadId().equals(staleUpload)), "the stale upload was aborted");
        }
    }

    @Test
    void shouldMoveACopyAgainByTheTokenItsOwnStoreReported() throws Exception {
        byte[] bytes = randomBytes((int) (20L << 20));
        Seeded seeded = seed("aws", "again/" + UUID.randomUUID(), bytes);
        // aws -> gcp in parts: gcp's ETag is a multipart one, not the inventory's MD5.
        MigrationStatus onGcp = completed(executor.execute(copyCommand(seeded, "aws", "gcp", "STANDARD"), 1,
                status -> { }));
        assertTrue(onGcp.getVersionToken().endsWith("-2"), onGcp.getVersionToken());
        // gcp -> onprem, sourced from the gcp copy by its own token, as the streams app now sends it.
        MigrationStatus onPrem = completed(executor.execute(MigrationCommand.newBuilder(
                copyCommand(seeded, "gcp", "onprem", "STANDARD")).setSourceVersionToken(onGcp.getVersionToken())
                .build(), 1, status -> { }));
        assertEquals(new FileSiteStore("onprem", stack.onPremDirectory()).head(seeded.key()).orElseThrow()
                .versionToken(), onPrem.getVersionToken(), "the status carries the file store's own token");
        // onprem -> azure: the file copy moves again.
        MigrationStatus onAzure = completed(executor.execute(MigrationCommand.newBuilder(
                copyCommand(seeded, "onprem", "azure", "STANDARD")).setSourceVersionToken(onPrem.getVersionToken())
                .build(), 1, status -> { }));
        assertEquals(FileSiteStoreTest.sha256(bytes), onAzure.getSha256());
        assertArrayEquals(bytes, read("azure", seeded.key()));
    }

    @Test
    void shouldChangeTheStorageClassInPlaceOnTheSameSite() throws Exception {
        byte[] bytes = randomBytes(5_000);
        MigrationCommand copy = copyCommand(seed("gcp", "class/" + UUID.randomUUID(), bytes), "gcp", "gcp",
                "STANDARD_IA");

        MigrationStatus done = completed(executor.execute(copy, 1, status -> { }));

        assertEquals(FileSiteStoreTest.sha256(bytes), done.getSha256());
        assertArrayEquals(bytes, read("gcp", copy.getKey()));
        // S3Proxy's filesystem store accepts the class but reports STANDARD for everything, so the class itself
        // cannot be asserted here; the server-side copy must keep bytes and checksum.
        assertEquals(FileSiteStoreTest.sha256(bytes), head("gcp", copy.getKey()).metadata().get("sha256"));
    }

    @Test
    void shouldCopyUnicodeKeysToS3AndFileSites() throws Exception {
        byte[] bytes = randomBytes(3_000);
        String key = "données/" + UUID.randomUUID() + "/ß-✓.bin";
        MigrationCommand toGcp = copyCommand(seed("aws", key, bytes), "aws", "gcp", "STANDARD");
        MigrationCommand toOnPrem = copyCommand(seed("aws", key, bytes), "aws", "onprem", "STANDARD");

        completed(executor.execute(toGcp, 1, status -> { }));
        completed(executor.execute(toOnPrem, 1, status -> { }));

        assertArrayEquals(bytes, read("gcp", key));
        assertArrayEquals(bytes, Files.readAllBytes(stack.onPremDirectory().resolve(key)));
    }

    /**
     * An inventory carries the ETag as S3 sends it, in quotes; a file:// site's version is the bare MD5. A dataset moved
     * to a file site must move on from there with the same command fields (the whole loop once stopped at this).
     */
    @Test
    void shouldMoveOnFromAFileSiteWithTheQuotedETagOfTheInventory() throws Exception {
        byte[] bytes = randomBytes(4_000);
        Seeded seeded = seed("aws", "quoted/" + UUID.randomUUID(), bytes);
        Seeded asInventoried = new Seeded(seeded.key(), "\"" + seeded.etag() + "\"", bytes);

        completed(executor.execute(copyCommand(asInventoried, "aws", "onprem", "STANDARD"), 1, status -> { }));
        MigrationStatus onward = completed(executor.execute(copyCommand(asInventoried, "onprem", "gcp", "STANDARD"),
                1, status -> { }));

        assertEquals(FileSiteStoreTest.sha256(bytes), onward.getSha256());
        assertArrayEquals(bytes, read("gcp", seeded.key()));
    }

    @Test
    void shouldReplaceAStaleCopyAnEarlierMigrationLeftAtTheDestination() throws Exception {
        String key = "stale/" + UUID.randomUUID();
        byte[] old = randomBytes(777);
        MigrationCommand earlier = copyCommand(seed("aws", key, old), "aws", "azure", "STANDARD");
        earlier.setSequence(2);
        completed(executor.execute(earlier, 1, status -> { })); // an old version left from an earlier placement
        byte[] bytes = randomBytes(9_000);
        MigrationCommand copy = copyCommand(seed("aws", key, bytes), "aws", "azure", "STANDARD");
        copy.setSequence(7);

        MigrationStatus done = completed(executor.execute(copy, 1, status -> { }));

        assertEquals(FileSiteStoreTest.sha256(bytes), done.getSha256());
        assertArrayEquals(bytes, read("azure", key));
    }

    @Test
    void shouldNeverReplaceAnObjectNoEarlierMigrationWrote() throws Exception {
        String key = "owners/" + UUID.randomUUID();
        byte[] owners = randomBytes(777);
        seed("azure", key, owners); // the owner's own object there, maybe newer than the one moved
        MigrationCommand copy = copyCommand(seed("aws", key, randomBytes(9_000)), "aws", "azure", "STANDARD");
        copy.setSequence(7);

        assertFailed(ErrorCode.VERSION_CONFLICT, executor.execute(copy, 1, status -> { }));
        assertArrayEquals(owners, read("azure", key));
    }

    @Test
    void shouldSkipAReplayedCopyWhenANewerCommandWroteTheDestination() throws Exception {
        String key = "replayed-copy/" + UUID.randomUUID();
        byte[] v1 = randomBytes(1_500);
        MigrationCommand first = copyCommand(seed("aws", key, v1), "aws", "azure", "STANDARD");
        first.setSequence(1);
        byte[] v2 = randomBytes(1_600);
        MigrationCommand newer = copyCommand(seed("gcp", key, v2), "gcp", "azure", "STANDARD");
        newer.setSequence(9);
        completed(executor.execute(first, 1, status -> { }));
        completed(executor.execute(newer, 1, status -> { }));

        Outcome replayed = executor.execute(first, 1, status -> { }); // v1 still at aws: nothing stops it but this

        assertInstanceOf(Outcome.Superseded.class, replayed);
        assertArrayEquals(v2, read("azure", key), "the newer version is not overwritten by the older");
    }

    @Test
    void shouldTreatLosingARaceToAnIdenticalCopyAsDone() throws Exception {
        byte[] bytes = randomBytes(8_000);
        MigrationCommand copy = copyCommand(seed("aws", "race/" + UUID.randomUUID(), bytes), "aws", "azure",
                "STANDARD");

        // Another worker finishes the same copy between our look at the destination and our write.
        MigrationStatus done = completed(executor.execute(copy, 1, status -> {
            if (status.getPhase() == MigrationPhase.COPYING && status.getBytesDone() == 0) {
                seed("azure", copy.getKey(), bytes);
            }
        }));

        assertEquals(FileSiteStoreTest.sha256(bytes), done.getSha256());
        assertArrayEquals(bytes, read("azure", copy.getKey()));
    }

    @Test
    void shouldNeverOverwriteAnObjectWrittenAfterItLooked() throws Exception {
        byte[] bytes = randomBytes(8_000);
        byte[] newer = randomBytes(8_001);
        MigrationCommand copy = copyCommand(seed("aws", "newer/" + UUID.randomUUID(), bytes), "aws", "azure",
                "STANDARD");

        Outcome outcome = executor.execute(copy, 1, status -> {
            if (status.getPhase() == MigrationPhase.COPYING && status.getBytesDone() == 0) {
                seed("azure", copy.getKey(), newer); // someone else's newer object appears meanwhile
            }
        });

        assertFailed(ErrorCode.VERSION_CONFLICT, outcome);
        assertArrayEquals(newer, read("azure", copy.getKey()), "the newer object is untouched");
    }

    @Test
    void shouldRefuseToCopyAnotherVersionThanExpected() throws Exception {
        byte[] bytes = randomBytes(1_000);
        MigrationCommand copy = copyCommand(seed("aws", "conflict/" + UUID.randomUUID(), bytes), "aws", "azure",
                "STANDARD");
        copy.setExpectedVersionToken("0123456789abcdef0123456789abcdef");
        // Another version: other bytes. (Another token on the same bytes, with their checksum stored, is the same
        // version as its store names it: see shouldMoveOnFromAFileSiteWithTheQuotedETagOfTheInventory.)
        copy.setExpectedSha256(FileSiteStoreTest.sha256(randomBytes(999)));

        assertFailed(ErrorCode.VERSION_CONFLICT, executor.execute(copy, 1, status -> { }));
        assertFalse(exists("azure", copy.getKey()));
    }

    @Test
    void shouldRefuseASourceRewrittenSinceTheCommandWasIssuedAndCopyNothing() throws Exception {
        String key = "rewritten/" + UUID.randomUUID();
        byte[] bytes = randomBytes(6_000);
        MigrationCommand copy = copyCommand(seed("aws", key, bytes), "aws", "azure", "STANDARD");
        byte[] rewritten = bytes.clone();
        rewritten[0] ^= 0x01; // same size, another version: only the version check can tell
        seed("aws", key, rewritten);

        Outcome outcome = executor.execute(copy, 1, status -> { });

        assertFailed(ErrorCode.VERSION_CONFLICT, outcome);
        assertFalse(exists("azure", key), "nothing copied");
    }

    @Test
    void shouldAbortAndRemoveTheCopyWhenTheSourceIsRewrittenWhileItIsCopied() throws Exception {
        String key = "rewritten-during/" + UUID.randomUUID();
        byte[] bytes = randomBytes(6_000);
        MigrationCommand copy = copyCommand(seed("aws", key, bytes), "aws", "azure", "STANDARD");
        byte[] rewritten = bytes.clone();
        rewritten[0] ^= 0x01;
        AtomicBoolean rewrote = new AtomicBoolean();

        Outcome outcome = executor.execute(copy, 1, status -> {
            // COPYING is reported once the source's GET has been answered: the owner rewrites it mid-copy.
            if (status.getPhase() == MigrationPhase.COPYING && rewrote.compareAndSet(false, true)) {
                seed("aws", key, rewritten);
            }
        });

        assertTrue(rewrote.get(), "the source was rewritten during the copy");
        assertFailed(ErrorCode.VERSION_CONFLICT, outcome);
        assertFalse(exists("azure", key), "the copy of the replaced version was removed");
        assertArrayEquals(rewritten, read("aws", key), "the source keeps its new version");
    }

    @Test
    void shouldReportAMissingCopyToSwitchTo() {
        MigrationCommand switchTo = copyCommand(new Seeded("no-copy/" + UUID.randomUUID(), "abc", new byte[1]),
                "aws", "gcp", "STANDARD");
        switchTo.setAction(MigrationAction.SWITCH);
        List<MigrationStatus> progress = new ArrayList<>();

        assertFailed(ErrorCode.MISSING_SOURCE, executor.execute(switchTo, 1, progress::add));
        assertTrue(progress.isEmpty(), "no switching phase without a copy: " + progress);
    }

    @Test
    void shouldReportAMissingSource() {
        MigrationCommand copy = copyCommand(new Seeded("missing/" + UUID.randomUUID(), "abc", new byte[0]),
                "aws", "azure", "STANDARD");

        assertFailed(ErrorCode.MISSING_SOURCE, executor.execute(copy, 1, status -> { }));
    }

    @Test
    void shouldRecogniseAFinishedCopyWhenACommandIsRedelivered() throws Exception {
        byte[] bytes = randomBytes(20_000);
        MigrationCommand copy = copyCommand(seed("azure", "duplicate/" + UUID.randomUUID(), bytes), "azure",
                "aws", "STANDARD");
        MigrationStatus first = completed(executor.execute(copy, 1, status -> { }));
        Instant writtenAt = head("aws", copy.getKey()).lastModified();
        List<MigrationStatus> progress = new ArrayList<>();
        // Last-Modified has one-second resolution: once a second has passed since it, a second PUT would show.
        Eventually.holds(Duration.ofSeconds(5), "a second after the first PUT",
                () -> Instant.now().isAfter(writtenAt.plusSeconds(1)));

        MigrationStatus second = completed(executor.execute(copy, 1, progress::add));

        assertEquals(first.getSha256(), second.getSha256());
        assertEquals(first.getVersionToken(), second.getVersionToken());
        assertEquals(writtenAt, head("aws", copy.getKey()).lastModified(), "no second PUT");
        assertTrue(progress.isEmpty(), "no copying phase the second time: " + progress);
    }

    @Test
    void shouldNeverMakeVisibleBytesThatDoNotHashToTheExpectedChecksum() throws Exception {
        byte[] bytes = randomBytes(50_000);
        MigrationCommand copy = copyCommand(seed("aws", "mismatch/" + UUID.randomUUID(), bytes), "aws", "azure",
                "STANDARD");
        copy.setExpectedSha256(FileSiteStoreTest.sha256(new byte[] {1, 2, 3}));

        assertFailed(ErrorCode.CHECKSUM_MISMATCH, executor.execute(copy, 1, status -> { }));
        assertFalse(exists("azure", copy.getKey()));
    }

    @Test
    void shouldAbortAMultipartCopyWhoseBytesDoNotHashToTheExpectedChecksum() throws Exception {
        byte[] bytes = randomBytes((int) (20L << 20));
        MigrationCommand copy = copyCommand(seed("aws", "mismatch-large/" + UUID.randomUUID(), bytes), "aws",
                "azure", "STANDARD");
        copy.setExpectedSha256(FileSiteStoreTest.sha256(new byte[] {4, 5, 6}));

        assertFailed(ErrorCode.CHECKSUM_MISMATCH, executor.execute(copy, 1, status -> { }));
        assertFalse(exists("azure", copy.getKey()));
    }

    @Test
    void shouldDetectACorruptDestinationBeforeSwitchingAndRemoveIt() throws Exception {
        byte[] bytes = randomBytes(30_000);
        MigrationCommand copy = copyCommand(seed("aws", "corrupt/" + UUID.randomUUID(), bytes), "aws", "gcp",
                "STANDARD");
        completed(executor.execute(copy, 1, status -> { }));
        byte[] rotten = bytes.clone();
        rotten[1234] ^= 0x40;
        try (S3Client s3 = stack.s3Client("gcp")) { // same size, same claimed checksum, one bit flipped
            s3.putObject(b -> b.bucket(LocalStack.BUCKET).key(copy.getKey())
                    .metadata(Map.of("sha256", copy.getExpectedSha256())), RequestBody.fromBytes(rotten));
        }
        MigrationCommand switchTo = MigrationCommand.newBuilder(copy).setAction(MigrationAction.SWITCH)
                .setId(copy.getId() + "-switch").build();

        assertFailed(ErrorCode.CHECKSUM_MISMATCH, executor.execute(switchTo, 1, status -> { }));
        assertFalse(exists("gcp", copy.getKey()), "the bad copy is removed");
        assertTrue(exists("aws", copy.getKey()), "the source is untouched");
    }

    /**
     * The same on a file:// site, where the version token is the MD5 the sidecar recorded: a corrupt file no longer
     * hashes to it, yet it must go, or the next COPY takes it for a finished copy and every SWITCH fails again.
     */
    @Test
    void shouldRemoveACorruptFileCopySoThatTheNextCopyWritesItAnew() throws Exception {
        byte[] bytes = randomBytes(30_000);
        MigrationCommand copy = copyCommand(seed("aws", "corrupt-file/" + UUID.randomUUID(), bytes), "aws",
                "onprem", "STANDARD");
        completed(executor.execute(copy, 1, status -> { }));
        Path file = stack.onPremDirectory().resolve(copy.getKey());
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file);
        byte[] rotten = bytes.clone();
        rotten[4321] ^= 0x01;
        Files.write(file, rotten); // bit rot: same size and time, so the sidecar still vouches for it
        Files.setLastModifiedTime(file, modified);
        MigrationCommand switchTo = MigrationCommand.newBuilder(copy).setAction(MigrationAction.SWITCH)
                .setId(copy.getId() + "-switch").build();

        Outcome failed = executor.execute(switchTo, 1, status -> { });

        assertFailed(ErrorCode.CHECKSUM_MISMATCH, failed);
        assertFalse(Files.exists(file), "the corrupt copy is removed: " + failed);
        completed(executor.execute(copy, 1, status -> { }));
        completed(executor.execute(switchTo, 1, status -> { }));
        assertArrayEquals(bytes, Files.readAllBytes(file), "copied anew, and switched to");
    }

    @Test
    void shouldSwitchToAGoodCopy() throws Exception {
        byte[] bytes = randomBytes(30_000);
        MigrationCommand copy = copyCommand(seed("aws", "switch/" + UUID.randomUUID(), bytes), "aws", "gcp",
                "STANDARD");
        completed(executor.execute(copy, 1, status -> { }));
        MigrationCommand switchTo = MigrationCommand.newBuilder(copy).setAction(MigrationAction.SWITCH).build();
        List<MigrationStatus> progress = new ArrayList<>();

        completed(executor.execute(switchTo, 1, progress::add));

        assertEquals(List.of(MigrationPhase.SWITCHING), progress.stream().map(MigrationStatus::getPhase).toList());
    }

    @Test
    void shouldRetireOnlyAfterTheGracePeriodAndOnlyTheExpectedVersion() throws Exception {
        byte[] bytes = randomBytes(2_000);
        Seeded seeded = seed("azure", "retire/" + UUID.randomUUID(), bytes);
        seed("gcp", seeded.key(), bytes); // the copy that stays
        MigrationCommand retire = copyCommand(seeded, "azure", "azure", "STANDARD");
        retire.setAction(MigrationAction.RETIRE);
        retire.setKeepSite("gcp");
        Instant later = Instant.now().plusSeconds(3600);
        retire.setNotBefore(later);

        assertEquals(new Outcome.NotYet(later), executor.execute(retire, 1, status -> { }));
        assertTrue(exists("azure", seeded.key()));

        retire.setNotBefore(Instant.now().minusSeconds(1));
        MigrationCommand otherVersion = MigrationCommand.newBuilder(retire)
                .setExpectedVersionToken("ffffffffffffffffffffffffffffffff")
                .setExpectedSha256(FileSiteStoreTest.sha256(new byte[] {9})).build();
        assertFailed(ErrorCode.VERSION_CONFLICT, executor.execute(otherVersion, 1, status -> { }));
        assertTrue(exists("azure", seeded.key()), "another version is kept");

        completed(executor.execute(retire, 1, status -> { }));
        assertFalse(exists("azure", seeded.key()));
        assertArrayEquals(bytes, read("gcp", seeded.key()));
        completed(executor.execute(retire, 1, status -> { })); // redelivered: already gone is done
    }

    /**
     * RETIRE relies on the store refusing a DELETE whose If-Match no longer holds; the worker asks each S3 site once.
     * S3Proxy 4.1 as the local stack runs it does honour it (older S3Proxy releases ignored it).
     */
    @Test
    void shouldFindThatTheLocalS3SitesHonourConditionalDeletes() throws Exception {
        byte[] bytes = randomBytes(2_100);
        Seeded seeded = seed("aws", "conditional/" + UUID.randomUUID(), bytes);
        try (S3Client s3 = stack.s3Client("aws")) {
            software.amazon.awssdk.services.s3.model.S3Exception refused = org.junit.jupiter.api.Assertions
                    .assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class, () -> s3.deleteObject(
                            b -> b.bucket(LocalStack.BUCKET).key(seeded.key()).ifMatch("\"" + "0".repeat(32) + "\"")));
            assertEquals(412, refused.statusCode());
        }
        assertArrayEquals(bytes, read("aws", seeded.key()), "a DELETE whose condition fails deletes nothing");
        assertTrue(sites.store("aws").orElseThrow().deletesConditionally(), "and the probe finds so");
    }

    /**
     * Deleting by version id is for buckets that keep versions. S3Proxy 4.1's filesystem store keeps none: it answers
     * GetBucketVersioning and any versionId with 501, so the probe finds the sites unversioned (RETIREs go by If-Match),
     * and a DELETE naming a version it cannot resolve deletes nothing rather than the current object.
     */
    @Test
    void shouldFindTheLocalS3SitesUnversionedAndRefusingVersionIds() throws Exception {
        byte[] bytes = randomBytes(1_500);
        Seeded seeded = seed("aws", "versions/" + UUID.randomUUID(), bytes);
        try (S3SiteStore aws = new S3SiteStore("aws", stack.site("aws").endpoint(), LocalStack.BUCKET,
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(stack.config().s3AccessKey(),
                        stack.config().s3SecretKey()), PART, PART, 1, new PartMemory(PART));
                S3Client s3 = stack.s3Client("aws")) {
            assertFalse(aws.versioned());
            assertTrue(aws.deletesConditionally(), "by If-Match, as the probe finds");

            software.amazon.awssdk.services.s3.model.S3Exception refused = org.junit.jupiter.api.Assertions
                    .assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class, () -> s3.deleteObject(
                            b -> b.bucket(LocalStack.BUCKET).key(seeded.key()).versionId("3HL4kqtJlcpXroDTDmJ")));
            assertEquals(501, refused.statusCode());
            assertArrayEquals(bytes, read("aws", seeded.key()));
            assertTrue(aws.deleteIfVersion(seeded.key(), null, seeded.etag()));
            assertFalse(exists("aws", seeded.key()));
        }
    }

    @Test
    void shouldRefuseARetireThatNamesNoCopyToKeep() throws Exception {
        byte[] bytes = randomBytes(2_200);
        Seeded seeded = seed("azure", "no-keep/" + UUID.randomUUID(), bytes);
        MigrationCommand retire = copyCommand(seeded, "azure", "azure", "STANDARD");
        retire.setAction(MigrationAction.RETIRE); // as an older streams app issued it

        assertFailed(ErrorCode.KEPT_COPY_MISSING, executor.execute(retire, 1, status -> { }));
        assertArrayEquals(bytes, read("azure", seeded.key()));
    }

    @Test
    void shouldBlockUnencryptedDestinationsWhenEncryptionIsRequired() throws Exception {
        CommandExecutor strict = new CommandExecutor(sites, "strict-worker", true, false, Clock.systemUTC());
        byte[] bytes = randomBytes(1_000);
        MigrationCommand toGcp = copyCommand(seed("aws", "policy/" + UUID.randomUUID(), bytes), "aws", "gcp",
                "STANDARD");

        assertFailed(ErrorCode.POLICY_BLOCKED, strict.execute(toGcp, 1, status -> { }));
        assertFalse(exists("gcp", toGcp.getKey()));
        // aws → azure: both encrypted, allowed
        MigrationCommand toAzure = MigrationCommand.newBuilder(toGcp).setDestinationSite("azure").build();
        completed(strict.execute(toAzure, 1, status -> { }));
    }

    @Test
    void shouldRefuseAnEncryptedOnlyCommandToASiteThatIsNotEncrypted() throws Exception {
        byte[] bytes = randomBytes(1_500);
        MigrationCommand toGcp = copyCommand(seed("aws", "encrypted-only/" + UUID.randomUUID(), bytes), "aws", "gcp",
                "STANDARD");
        toGcp.setRequireEncryption(true); // the policy's encrypted-only flag; gcp is not encrypted at rest

        Outcome refused = executor.execute(toGcp, 1, status -> { });

        assertFailed(ErrorCode.POLICY_BLOCKED, refused);
        assertTrue(((Outcome.Failed) refused).message().contains("gcp"), refused.toString());
        assertFalse(exists("gcp", toGcp.getKey()), "nothing was written to the unencrypted site");
        // the same command without the flag, or to an encrypted site, goes ahead on this lenient worker
        completed(executor.execute(MigrationCommand.newBuilder(toGcp).setDestinationSite("azure").build(), 1,
                status -> { }));
        assertArrayEquals(bytes, read("azure", toGcp.getKey()));
        completed(executor.execute(MigrationCommand.newBuilder(toGcp).setRequireEncryption(false).build(), 1,
                status -> { }));
        assertArrayEquals(bytes, read("gcp", toGcp.getKey()));
    }

    /**
     * An independent judge: rclone (Debian's package, as CI installs it) compares what the executor copied with the
     * sources, by size and MD5 where the ETags carry one, then byte for byte (--download), and must also notice a
     * corrupted copy, so its agreement means something.
     */
    @Test
    void shouldHaveRcloneCheckAgreeThatTheCopiesMatchTheirSources() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Rclone.available(),
                "rclone is not installed (apt-get install rclone; .ci/run installs it), so this check is skipped");
        String prefix = "rclone-check/" + UUID.randomUUID() + "/";
        List<byte[]> contents = List.of(randomBytes(1), randomBytes(70_000), randomBytes((int) (40L << 20)),
                randomBytes(123_457));
        List<String> keys = List.of(prefix + "one-byte", prefix + "small.bin", prefix + "multipart.bin",
                prefix + "données/ß ✓.bin");
        for (int i = 0; i < keys.size(); i++) {
            completed(executor.execute(copyCommand(seed("aws", keys.get(i), contents.get(i)), "aws", "gcp",
                    "STANDARD"), 1, status -> { }));
        }
        Rclone rclone = new Rclone(stack);

        Rclone.Result check = rclone.run("check", "aws:" + LocalStack.BUCKET + "/" + prefix,
                "gcp:" + LocalStack.BUCKET + "/" + prefix);
        Rclone.Result download = rclone.run("check", "--download", "aws:" + LocalStack.BUCKET + "/" + prefix,
                "gcp:" + LocalStack.BUCKET + "/" + prefix);

        assertEquals(0, check.exit(), check.output());
        assertTrue(check.output().contains("0 differences found"), check.output());
        assertEquals(0, download.exit(), download.output());
        assertTrue(download.output().contains("0 differences found"), download.output());
        assertTrue(download.output().contains(keys.size() + " matching files"), download.output());

        byte[] rotten = contents.get(1).clone();
        rotten[4242] ^= 0x01;
        seed("gcp", keys.get(1), rotten); // same size, one bit flipped
        Path differ = Files.createTempFile(dataDir, "rclone-differ", ".txt");
        Rclone.Result caught = rclone.run("check", "--download", "--differ", differ.toString(),
                "aws:" + LocalStack.BUCKET + "/" + prefix, "gcp:" + LocalStack.BUCKET + "/" + prefix);
        assertTrue(caught.exit() != 0, caught.output());
        assertTrue(caught.output().contains("1 differences found"), caught.output());
        assertEquals(List.of("small.bin"), Files.readAllLines(differ), "rclone names the corrupted copy");
    }

    // --- helpers

    record Seeded(String key, String etag, byte[] bytes) {
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Puts an object at an S3 site as a user would (with its checksum), returning its ETag. */
    static Seeded seed(String site, String key, byte[] bytes) {
        try (S3Client s3 = stack.s3Client(site)) {
            String etag = s3.putObject(b -> b.bucket(LocalStack.BUCKET).key(key)
                            .metadata(Map.of("sha256", FileSiteStoreTest.sha256(bytes))),
                    RequestBody.fromBytes(bytes)).eTag();
            return new Seeded(key, etag.replace("\"", ""), bytes);
        }
    }

    static MigrationCommand copyCommand(Seeded seeded, String from, String to, String storageClass) {
        return MigrationCommand.newBuilder()
                .setId(UUID.randomUUID().toString())
                .setKey(seeded.key())
                .setAction(MigrationAction.COPY)
                .setSourceSite(from)
                .setDestinationSite(to)
                .setStorageClass(storageClass)
                .setExpectedVersionToken(seeded.etag())
                .setExpectedSha256(FileSiteStoreTest.sha256(seeded.bytes()))
                .setSizeBytes(seeded.bytes().length)
                .setIssuedAt(Instant.now())
                .build();
    }

    static MigrationStatus completed(Outcome outcome) {
        Outcome.Completed done = assertInstanceOf(Outcome.Completed.class, outcome, () -> outcome.toString());
        assertEquals(MigrationPhase.COMPLETED, done.status().getPhase());
        return done.status();
    }

    static void assertFailed(ErrorCode code, Outcome outcome) {
        Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, outcome, () -> outcome.toString());
        assertEquals(code, failed.code(), failed.message());
    }

    static byte[] read(String site, String key) {
        try (S3Client s3 = stack.s3Client(site)) {
            return s3.getObjectAsBytes(b -> b.bucket(LocalStack.BUCKET).key(key)).asByteArray();
        }
    }

    static HeadObjectResponse head(String site, String key) {
        try (S3Client s3 = stack.s3Client(site)) {
            return s3.headObject(b -> b.bucket(LocalStack.BUCKET).key(key));
        }
    }

    static boolean exists(String site, String key) {
        try {
            head(site, key);
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }
}
