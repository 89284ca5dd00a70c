package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.localstack.KafkaTestClients;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Site;
import io.tierflow.streams.domain.CompletedStep;
import io.tierflow.streams.domain.CopyVersions;
import io.tierflow.streams.domain.MigrationPlanner;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Random interleavings of one dataset's moves with the owner writing new versions (between two steps, and in the
 * middle of one: while a COPY streams or verifies, while a SWITCH reads its copy back, between a RETIRE's checks and
 * its delete), redeliveries of earlier commands, restarts of the worker (nothing remembered; sometimes before the
 * status of the command it ran was published, so the command runs again) and an inventory that learns of a new
 * version late, against the local stack's S3Proxy sites and its {@code file://} site.
 *
 * <p>The streams app's side is played by {@link StreamsSide}: one command in flight, and the placement changed only by
 * the topology's own rules, {@link CompletedStep} for a COMPLETED status of the command in flight and
 * {@link CopyVersions#afterNewVersion} for a new inventory version. After every step the owner's newest version is
 * intact (bytes, and any checksum the store claims for them) on at least one site; whenever the inventory has caught
 * up, every site the placement names holds it.
 *
 * <p>Seeded: a failure names its seed; {@code -Dtierflow.property.seed=N} runs that seed alone.
 */
class NoLastCopyLostPropertyIT {
    private static final Logger log = LoggerFactory.getLogger(NoLastCopyLostPropertyIT.class);
    /** Seeds 1..RUNS, each of STEPS steps; no run starts after BUDGET, so a loaded machine runs fewer. */
    private static final int RUNS = 30;
    private static final int STEPS = 25;
    private static final Duration BUDGET = Duration.ofSeconds(45);
    private static final List<String> SITES = List.of("aws", "azure", "gcp", "onprem");
    private static final String STORAGE_CLASS = "STANDARD";

    static LocalStack stack;
    static final List<Site> catalogue = new ArrayList<>();
    static final Map<String, S3Client> owners = new HashMap<>();
    /** The test's own look at what each store claims, whatever the worker's view of the sites. */
    static SiteStores inspector;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
        Topics topics = stack.topics();
        for (ConsumerRecord<String, Site> record : KafkaTestClients.consume(stack.bootstrapServers(), Topics.SITES,
                topics.sites.keySerde().deserializer(), topics.sites.valueSerde().deserializer(), SITES.size(),
                Duration.ofSeconds(60))) {
            catalogue.add(record.value());
        }
        assertEquals(Set.copyOf(SITES), catalogue.stream().map(Site::getName).collect(java.util.stream.Collectors
                .toSet()), "the local stack's sites");
        for (String site : LocalStackConfig.S3_SITES) {
            owners.put(site, stack.s3Client(site));
        }
        inspector = new SiteStores(Map.of(), 16L << 20, 16L << 20)
                .trust(SiteTrust.pinned(stack.config().sitePlaces()));
        catalogue.forEach(site -> inspector.update(site.getName(), site));
    }

    @AfterAll
    static void closeClients() {
        owners.values().forEach(S3Client::close);
        if (inspector != null) {
            inspector.close();
        }
    }

    @Test
    void shouldNeverLeaveTheNewestVersionOnNoSiteOrPlaceItWhereItIsNot() throws Exception {
        Long only = Long.getLong("tierflow.property.seed");
        Integer deeper = Integer.getInteger("tierflow.property.runs"); // more seeds, no time budget
        List<Long> seeds = new ArrayList<>();
        if (only != null) {
            seeds.add(only);
        } else {
            for (long seed = 1; seed <= (deeper != null ? deeper : RUNS); seed++) {
                seeds.add(seed);
            }
        }
        Map<String, Integer> seen = new java.util.TreeMap<>();
        long started = System.nanoTime();
        int runs = 0;
        for (long seed : seeds) {
            if (runs > 0 && deeper == null && Duration.ofNanos(System.nanoTime() - started).compareTo(BUDGET) > 0) {
                break;
            }
            new Run(seed, seen).play(STEPS);
            runs++;
        }
        log.info("{} of {} runs of {} steps in {} ms: {}", runs, seeds.size(), STEPS,
                Duration.ofNanos(System.nanoTime() - started).toMillis(), seen);
        if (runs >= RUNS) {
            // The generator must reach what it is for: completed moves, and owner writes inside commands.
            for (String event : List.of("COMPLETED COPY", "COMPLETED SWITCH", "COMPLETED RETIRE",
                    "owner write during COPY", "owner write during SWITCH", "owner write during RETIRE")) {
                assertTrue(seen.getOrDefault(event, 0) > 0, "no " + event + " in " + runs + " runs: " + seen);
            }
        }
    }

    /** One random run on its own key: the worker, the streams app's view, the owner, and what happened. */
    static final class Run {
        final long seed;
        final Map<String, Integer> seen;
        final Random random;
        final String key;
        final List<String> events = new ArrayList<>();
        final List<MigrationCommand> issued = new ArrayList<>();
        final StreamsSide streams = new StreamsSide();
        /** Sites the catalogue marks down (the worker's view; the owner still reaches them). */
        final Set<String> down = new LinkedHashSet<>();
        Worker worker = new Worker();
        Version newest;
        /** The inventory entry of the owner's last write, while the streams app has not read it yet. */
        Inventory unread;

        Run(long seed, Map<String, Integer> seen) {
            this.seed = seed;
            this.seen = seen;
            this.random = new Random(seed);
            this.key = "property/seed-" + seed + "/" + Long.toHexString(System.nanoTime()) + ".bin";
        }

        void play(int steps) throws Exception {
            try {
                Inventory first = ownerWrites(SITES.get(random.nextInt(SITES.size())));
                streams.inventory(first);
                unread = null;
                for (int step = 0; step < steps; step++) {
                    step();
                    check();
                }
                readInventory();
                check();
            } catch (AssertionError | Exception e) {
                throw new AssertionError("seed " + seed + " (rerun alone with -Dtierflow.property.seed=" + seed
                        + "), key " + key + ": " + e.getMessage() + "\n  " + String.join("\n  ", events), e);
            } finally {
                worker.close();
            }
        }

        void step() throws Exception {
            int choice = random.nextInt(100);
            if (choice < 55) {
                issueAndRun();
            } else if (choice < 70 && !issued.isEmpty()) {
                MigrationCommand old = redelivery();
                log("redelivered " + describe(old));
                Outcome outcome = worker.execute(old, Injection.NONE);
                log("  -> " + describe(outcome) + " (not in flight: the streams app drops its status)");
            } else if (choice < 77) {
                log("worker restarts");
                worker.close();
                worker = new Worker();
            } else if (choice < 85) {
                ownerWrites(ownerSite());
            } else if (choice < 92) {
                // A site goes down or comes back: a step that needs it fails and is decided again, and commands
                // of a site's old role may reach it later.
                boolean comesUp = !down.isEmpty() && random.nextInt(3) > 0;
                List<String> candidates = SITES.stream().filter(s -> down.contains(s) == comesUp).toList();
                String site = candidates.get(random.nextInt(candidates.size()));
                if (comesUp) {
                    down.remove(site);
                } else {
                    down.add(site);
                }
                log("site " + site + (comesUp ? " is up again" : " is marked down"));
                worker.mark(site, comesUp);
            } else if (unread != null) {
                readInventory();
            }
        }

        /** An earlier command, read again; RETIREs, the only deleting step, half of the time. */
        MigrationCommand redelivery() {
            List<MigrationCommand> retires = issued.stream()
                    .filter(c -> c.getAction() == MigrationAction.RETIRE).toList();
            List<MigrationCommand> from = !retires.isEmpty() && random.nextBoolean() ? retires : issued;
            return from.get(random.nextInt(from.size()));
        }

        void issueAndRun() throws Exception {
            MigrationCommand command = streams.next(random, key);
            if (command == null) {
                return;
            }
            issued.add(command);
            Injection injection = random.nextInt(3) == 0 ? injectionFor(command) : Injection.NONE;
            log("issued " + describe(command) + (injection == Injection.NONE ? "" : ", " + injection));
            Outcome outcome = worker.execute(command, injection);
            log("  -> " + describe(outcome));
            if (random.nextInt(5) == 0) {
                // The worker dies before it publishes the status: the command is read again and runs again.
                log("worker restarts before publishing; the command runs again");
                worker.close();
                worker = new Worker();
                outcome = worker.execute(command, Injection.NONE);
                log("  -> " + describe(outcome));
            }
            if (unread != null && random.nextBoolean()) {
                readInventory(); // the new version reaches the streams app before the status does
            }
            streams.status(command, outcome, random);
            log("  placement " + streams.placementDescription());
            if (outcome instanceof Outcome.Completed) {
                count("COMPLETED " + command.getAction());
            }
        }

        /** Where an owner write lands in the middle of this command. */
        Injection injectionFor(MigrationCommand command) {
            String source = command.getSourceSite();
            String destination = command.getDestinationSite();
            return switch (command.getAction()) {
                case COPY -> new Injection(random.nextBoolean() ? MigrationPhase.COPYING : MigrationPhase.VERIFYING,
                        -1, pick(source, destination, other(source, destination)));
                case SWITCH -> new Injection(MigrationPhase.SWITCHING, -1, pick(source, destination,
                        other(source, destination)));
                // calls of a RETIRE: the probe, the retired copy's look, the kept copy's look, the delete
                case RETIRE -> new Injection(null, random.nextInt(4), pick(source, command.getKeepSite(),
                        other(source, command.getKeepSite())));
            };
        }

        String pick(String... sites) {
            return sites[random.nextInt(sites.length)];
        }

        String other(String a, String b) {
            List<String> others = SITES.stream().filter(s -> !s.equals(a) && !s.equals(b)).toList();
            return others.get(random.nextInt(others.size()));
        }

        /** Mostly where the inventory says the dataset is, sometimes anywhere. */
        String ownerSite() {
            return random.nextInt(3) > 0 && streams.primary() != null ? streams.primary()
                    : SITES.get(random.nextInt(SITES.size()));
        }

        /** The owner writes a new version at {@code site}; the inventory learns of it now or a little later. */
        Inventory ownerWrites(String site) {
            // Few sizes, so versions of the same size (told apart by their bytes alone) are common.
            int[] sizes = {48, 48, 700, 1 + random.nextInt(3_000)};
            byte[] bytes = new byte[sizes[random.nextInt(sizes.length)]];
            random.nextBytes(bytes);
            String sha256 = FileSiteStoreTest.sha256(bytes);
            String token;
            if (site.equals(LocalStackConfig.ONPREM_SITE)) {
                try {
                    Path file = onpremRoot().resolve(key);
                    Files.createDirectories(file.getParent());
                    Path temp = file.resolveSibling("owner-" + random.nextLong());
                    Files.write(temp, bytes);
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    // what `tierflow produce --upload-to onprem` registers: the token the file store reports
                    token = inspector.store(site).orElseThrow().head(key).orElseThrow().versionToken();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                // as `tierflow produce` uploads (with its checksum), or as any S3 client does (without)
                boolean withChecksum = random.nextBoolean();
                token = S3SiteStore.unquote(owners.get(site).putObject(b -> b.bucket(LocalStack.BUCKET).key(key)
                        .metadata(withChecksum ? Map.of("sha256", sha256) : Map.of()),
                        RequestBody.fromBytes(bytes)).eTag());
            }
            newest = new Version(bytes, sha256);
            Inventory entry = new Inventory(site, token, sha256, bytes.length);
            unread = entry;
            log("owner writes " + bytes.length + " bytes " + sha256.substring(0, 8) + " at " + site);
            if (random.nextBoolean()) {
                readInventory();
            }
            return entry;
        }

        void readInventory() {
            if (unread != null) {
                streams.inventory(unread);
                unread = null;
                log("  the streams app reads the new inventory entry; placement " + streams.placementDescription());
            }
        }

        /**
         * The newest version is intact on some site; once the streams app has read the inventory, on every site
         * the placement names.
         */
        void check() {
            List<String> holding = SITES.stream().filter(this::holdsNewest).toList();
            assertTrue(!holding.isEmpty(), "no site holds the owner's newest version " + newest.sha256());
            if (unread == null) {
                assertNotNull(streams.primary(), "the placement names no primary");
                for (String site : streams.placement()) {
                    assertTrue(holding.contains(site), "the placement " + streams.placementDescription() + " names "
                            + site + ", which does not hold the newest version " + newest.sha256() + " (it is on "
                            + holding + ")");
                }
            }
        }

        /** The site's bytes are the newest version's, and any checksum its store claims for them is theirs. */
        boolean holdsNewest(String site) {
            Optional<byte[]> bytes = read(site);
            if (bytes.isEmpty() || !FileSiteStoreTest.sha256(bytes.get()).equals(newest.sha256())) {
                return false;
            }
            assertArrayEquals(newest.bytes(), bytes.get());
            try {
                Optional<ObjectInfo> info = inspector.store(site).orElseThrow().head(key);
                if (info.isPresent() && info.get().sha256() != null) {
                    assertEquals(newest.sha256(), info.get().sha256().toLowerCase(), "the checksum site " + site
                            + " claims for the newest version's bytes");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        }

        Optional<byte[]> read(String site) {
            if (site.equals(LocalStackConfig.ONPREM_SITE)) {
                Path file = onpremRoot().resolve(key);
                try {
                    return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            try {
                return Optional.of(owners.get(site).getObjectAsBytes(b -> b.bucket(LocalStack.BUCKET).key(key))
                        .asByteArray());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        }

        void log(String line) {
            events.add(line);
        }

        void count(String event) {
            seen.merge(event, 1, Integer::sum);
        }

        /** Runs the hooked owner write of an injection; where a store call or a status is its moment. */
        final class Hook {
            private final Injection injection;
            private boolean fired;
            private int calls;
            private RuntimeException failure;

            Hook(Injection injection) {
                this.injection = injection;
            }

            void onStatus(MigrationStatus status) {
                if (injection.phase() == status.getPhase()) {
                    fire();
                }
            }

            void beforeStoreCall() {
                if (calls++ == injection.storeCall()) {
                    fire();
                }
            }

            private void fire() {
                if (fired) {
                    return;
                }
                fired = true;
                count("owner write during " + (injection.phase() != null ? injection.phase() == MigrationPhase
                        .SWITCHING ? "SWITCH" : "COPY" : "RETIRE"));
                try {
                    ownerWrites(injection.site());
                } catch (RuntimeException e) {
                    failure = e; // the test's own failure, not the command's: thrown once the command returns
                }
            }

            void rethrow() {
                if (failure != null) {
                    throw failure;
                }
                if (!fired && injection != Injection.NONE) {
                    log("  (the command ended before that moment; no owner write)");
                }
            }
        }

        /** The migrator as after a restart: its own site stores and executor, nothing remembered. */
        final class Worker implements AutoCloseable {
            final SiteStores sites = new SiteStores(Map.of(), 16L << 20, 16L << 20)
                    .trust(SiteTrust.pinned(stack.config().sitePlaces()));
            final CommandExecutor executor;

            Worker() {
                catalogue.forEach(site -> sites.update(site.getName(), site));
                down.forEach(site -> mark(site, false));
                executor = new CommandExecutor(sites, "property-" + seed, false, false, Clock.systemUTC());
            }

            void mark(String name, boolean up) {
                sites.update(name, Site.newBuilder(sites.site(name).orElseThrow()).setUp(up).build());
            }

            Outcome execute(MigrationCommand command, Injection injection) {
                Hook hook = new Hook(injection);
                Outcome outcome;
                if (command.getAction() == MigrationAction.RETIRE && injection != Injection.NONE) {
                    outcome = retireWithHook(command, hook);
                } else {
                    outcome = executor.execute(command, 1, hook::onStatus);
                }
                hook.rethrow();
                return outcome;
            }

            /**
             * A RETIRE whose store calls pass the hook first: the executor's own {@link Retirement}, given stores
             * that let the owner write between its checks and its delete. Failures end as the executor ends them.
             */
            private Outcome retireWithHook(MigrationCommand command, Hook hook) {
                Retirement retirement = new Retirement(sites, Clock.systemUTC(), executor::status,
                        name -> new HookedStore(executor.store(name), hook));
                try {
                    return retirement.retire(command, 1);
                } catch (MigrationFailure e) {
                    return new Outcome.Failed(e.code(), e.getMessage());
                } catch (IOException | RuntimeException e) {
                    return new Outcome.Failed(ErrorClassifier.classify(e), e.toString());
                }
            }

            @Override
            public void close() {
                sites.close();
            }
        }
    }

    static Path onpremRoot() {
        Site onprem = inspector.site(LocalStackConfig.ONPREM_SITE).orElseThrow();
        return Path.of(URI.create(onprem.getEndpoint())).resolve(onprem.getBucket());
    }

    /** The owner writes at {@code site} when the command reaches {@code phase}, or before its store call number. */
    record Injection(MigrationPhase phase, int storeCall, String site) {
        static final Injection NONE = new Injection(null, -1, null);

        @Override
        public String toString() {
            return "the owner writes at " + site + (phase != null ? " during " + phase
                    : " before the RETIRE's store call " + storeCall);
        }
    }

    record Version(byte[] bytes, String sha256) {
    }

    /** What the owner's inventory entry says after a write: the site written, its token and checksum. */
    record Inventory(String site, String versionToken, String sha256, long size) {
    }

    /**
     * The streams app's side for one dataset, reduced to what decides safety: the inventory, the placement and
     * the copies' version tokens, changed only by the topology's own rules; one command in flight; commands made as
     * {@code MigrationCommands} makes them (expected version from the inventory, each copy's own token, the primary
     * kept by a RETIRE, a growing sequence). The next step follows {@link MigrationPlanner}'s order towards a random
     * goal: SWITCH to a verified copy, else COPY there; add missing replicas; RETIRE unwanted ones.
     */
    static final class StreamsSide {
        Inventory inventory;
        CompletedStep.Copies copies;
        Map<String, String> versions = new LinkedHashMap<>();
        MigrationCommand inFlight;
        String goalPrimary;
        String previousPrimary;
        Set<String> goalReplicas = new LinkedHashSet<>();
        long sequence = Instant.now().toEpochMilli();
        int commands;

        void inventory(Inventory next) {
            if (inventory == null) {
                copies = new CompletedStep.Copies(next.site(), List.of(), STORAGE_CLASS);
                versions = CopyVersions.ofInventory(next.versionToken(), next.site(), List.of());
            } else if (CopyVersions.versionChanged(inventory.versionToken(), inventory.sha256(),
                    next.versionToken(), next.sha256())) {
                CopyVersions.Placed after = CopyVersions.afterNewVersion(new CopyVersions.Placed(copies.primary(),
                        copies.replicas(), copies.storageClass(), versions), inventory.versionToken(),
                        next.versionToken(), next.site(), List.of(), STORAGE_CLASS);
                copies = new CompletedStep.Copies(after.primary(), after.replicas(), after.storageClass());
                versions = after.versions();
            }
            inventory = next;
        }

        /** A terminal outcome of a command: applied only if it is the one in flight, as DatasetChanges does. */
        void status(MigrationCommand command, Outcome outcome, Random random) {
            if (inFlight == null || !inFlight.getId().equals(command.getId())) {
                return;
            }
            inFlight = null;
            if (outcome instanceof Outcome.Completed done) {
                MigrationPlanner.Action action = MigrationPlanner.Action.valueOf(command.getAction().name());
                CompletedStep.Copies after = CompletedStep.apply(copies, action, command.getSourceSite(),
                        command.getDestinationSite(), command.getStorageClass(), inventory.sha256(),
                        done.status().getSha256());
                if (after != null) { // null: a step of another version than the inventory's, not trusted
                    if (!after.primary().equals(copies.primary())) {
                        previousPrimary = copies.primary();
                    }
                    copies = after;
                    versions = CopyVersions.afterStep(versions, action, command.getSourceSite(),
                            command.getDestinationSite(), done.status().getVersionToken());
                }
            } else if (random.nextInt(3) == 0) {
                goalPrimary = null; // after a failure the next decision may be another one
            }
        }

        MigrationCommand next(Random random, String key) {
            if (inFlight != null) {
                throw new IllegalStateException("a command is in flight");
            }
            for (int tries = 0; tries < 3; tries++) {
                if (goalPrimary == null || random.nextInt(10) == 0) {
                    // Often back where the dataset was: a move back is when an old command meets its own version.
                    goalPrimary = previousPrimary != null && random.nextBoolean() ? previousPrimary
                            : SITES.get(random.nextInt(SITES.size()));
                    goalReplicas = new LinkedHashSet<>();
                    for (String site : SITES) {
                        if (!site.equals(goalPrimary) && random.nextInt(3) == 0) {
                            goalReplicas.add(site);
                        }
                    }
                }
                MigrationCommand command = stepTowardsGoal(key);
                if (command != null) {
                    inFlight = command;
                    return command;
                }
                goalPrimary = null; // reached
            }
            return null;
        }

        private MigrationCommand stepTowardsGoal(String key) {
            String primary = copies.primary();
            if (!goalPrimary.equals(primary)) {
                return copies.replicas().contains(goalPrimary)
                        ? command(key, MigrationAction.SWITCH, primary, goalPrimary)
                        : command(key, MigrationAction.COPY, primary, goalPrimary);
            }
            for (String replica : goalReplicas) {
                if (!copies.replicas().contains(replica)) {
                    return command(key, MigrationAction.COPY, primary, replica);
                }
            }
            for (String replica : copies.replicas()) {
                if (!goalReplicas.contains(replica) && !replica.equals(primary)) {
                    return command(key, MigrationAction.RETIRE, replica, replica);
                }
            }
            return null;
        }

        private MigrationCommand command(String key, MigrationAction action, String source, String destination) {
            boolean retire = action == MigrationAction.RETIRE;
            return MigrationCommand.newBuilder()
                    .setId(key + "/" + action + "-" + (++commands))
                    .setKey(key)
                    .setAction(action)
                    .setSourceSite(source)
                    .setDestinationSite(destination)
                    .setStorageClass(STORAGE_CLASS)
                    .setExpectedVersionToken(inventory.versionToken())
                    .setExpectedSha256(inventory.sha256())
                    .setSizeBytes(inventory.size())
                    .setIssuedAt(Instant.now())
                    .setSequence(++sequence)
                    .setKeepSite(retire ? copies.primary() : null)
                    .setKeepVersionToken(retire ? CopyVersions.tokenOf(versions, copies.primary(),
                            inventory.versionToken()) : null)
                    .setSourceVersionToken(CopyVersions.tokenOf(versions, source, inventory.versionToken()))
                    .build();
        }

        String primary() {
            return copies.primary();
        }

        List<String> placement() {
            List<String> sites = new ArrayList<>();
            sites.add(copies.primary());
            sites.addAll(copies.replicas());
            return sites;
        }

        String placementDescription() {
            return "primary " + copies.primary() + " replicas " + copies.replicas();
        }
    }

    static String describe(MigrationCommand command) {
        return "#" + command.getSequence() + " " + command.getAction() + " " + command.getSourceSite() + "->"
                + command.getDestinationSite() + (command.getKeepSite() != null ? " keep " + command.getKeepSite()
                        : "") + " of " + command.getExpectedSha256().substring(0, 8);
    }

    static String describe(Outcome outcome) {
        if (outcome instanceof Outcome.Completed done) {
            return "COMPLETED " + (done.status().getSha256() == null ? "" : done.status().getSha256().substring(0, 8));
        }
        if (outcome instanceof Outcome.Failed failed) {
            return "FAILED " + failed.code() + ": " + failed.message();
        }
        return outcome.toString();
    }

    /** A store of the worker whose every call lets the owner write first, when the hook says it is time. */
    static final class HookedStore implements SiteStore {
        private final SiteStore store;
        private final Run.Hook hook;

        HookedStore(SiteStore store, Run.Hook hook) {
            this.store = store;
            this.hook = hook;
        }

        @Override
        public String name() {
            return store.name();
        }

        @Override
        public Optional<ObjectInfo> head(String key) throws IOException {
            hook.beforeStoreCall();
            return store.head(key);
        }

        @Override
        public ObjectStream open(String key, String versionToken) throws IOException, MigrationFailure {
            hook.beforeStoreCall();
            return store.open(key, versionToken);
        }

        @Override
        public WriteResult put(String key, InputStream data, long size, WriteOptions options, LongConsumer progress)
                throws IOException, MigrationFailure {
            hook.beforeStoreCall();
            return store.put(key, data, size, options, progress);
        }

        @Override
        public ObjectInfo changeStorageClass(String key, String storageClass, boolean serverSideEncryption)
                throws IOException, MigrationFailure {
            hook.beforeStoreCall();
            return store.changeStorageClass(key, storageClass, serverSideEncryption);
        }

        @Override
        public boolean deleteIfVersion(String key, String expectedSha256, String expectedVersionToken)
                throws IOException {
            hook.beforeStoreCall();
            return store.deleteIfVersion(key, expectedSha256, expectedVersionToken);
        }

        @Override
        public boolean deleteCorrupt(String key, String versionToken, String readSha256) throws IOException {
            hook.beforeStoreCall();
            return store.deleteCorrupt(key, versionToken, readSha256);
        }

        @Override
        public boolean deletesConditionally() throws IOException {
            hook.beforeStoreCall();
            return store.deletesConditionally();
        }

        @Override
        public void close() {
            // the worker's store: closed with the worker
        }
    }
}
