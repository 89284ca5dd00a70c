package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Provider;
import io.tierflow.schemas.Site;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random interleavings of a dataset's moves with redeliveries and replays of earlier commands (after restarts:
 * a fresh executor, nothing remembered), and the owner writing new versions where the dataset is, against real
 * {@code file://} sites: the newest version is never left on no site. The planner here plays the streams app: one
 * command in flight, the placement updated from COMPLETED statuses, each copy's version token as its store reported.
 */
class NoLastCopyLostPropertyTest {
    private static final List<String> SITES = List.of("s0", "s1", "s2");
    private static final String KEY = "datasets/property.bin";

    @TempDir
    Path dir;

    private final Map<String, Path> roots = new HashMap<>();
    private SiteStores sites;

    @Test
    void shouldNeverEndWithZeroGoodCopies() throws Exception {
        for (long seed = 1; seed <= 40; seed++) {
            runOnce(seed);
        }
    }

    private void runOnce(long seed) throws Exception {
        Random random = new Random(seed);
        Path runDir = Files.createDirectories(dir.resolve("run-" + seed));
        sites = new SiteStores(Map.of(), 64L << 20, 64L << 20).trust(SiteTrust.firstSeen());
        for (String name : SITES) {
            roots.put(name, Files.createDirectories(runDir.resolve(name)));
            sites.update(name, site(name, runDir));
        }
        try (SiteStores open = sites) {
            Planner planner = new Planner(random);
            planner.ownerWrites(SITES.get(0), random);
            List<MigrationCommand> history = new ArrayList<>();
            for (int step = 0; step < 60; step++) {
                int choice = random.nextInt(10);
                if (choice < 6) {
                    MigrationCommand next = planner.next();
                    history.add(next);
                    planner.completed(next, executor().execute(next, 1, status -> { }));
                } else if (choice < 8 && !history.isEmpty()) {
                    // a redelivery or a replay after a restart: the migrator has forgotten everything
                    executor().execute(history.get(random.nextInt(history.size())), 1, status -> { });
                } else {
                    planner.ownerWrites(planner.primary, random);
                }
                String newest = planner.version.sha256();
                assertTrue(SITES.stream().anyMatch(name -> holds(name, newest)), "seed " + seed + " step " + step
                        + ": no site holds the newest version; history " + history.stream()
                        .map(c -> c.getSequence() + ":" + c.getAction() + " " + c.getSourceSite() + "->"
                                + c.getDestinationSite() + " keep " + c.getKeepSite()).toList());
            }
        }
    }

    private CommandExecutor executor() {
        return new CommandExecutor(sites, "property", false, false, Clock.systemUTC());
    }

    private boolean holds(String site, String sha256) {
        try {
            Path file = roots.get(site).resolve(KEY);
            return Files.isRegularFile(file) && FileSiteStoreTest.sha256(Files.readAllBytes(file)).equals(sha256);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record Version(byte[] bytes, String token) {
        String sha256() {
            return FileSiteStoreTest.sha256(bytes);
        }
    }

    /** The streams app's side, reduced: where the dataset is, and the next step of a random move. */
    private final class Planner {
        final Random random;
        String primary;
        final Set<String> replicas = new LinkedHashSet<>();
        final Map<String, String> tokens = new HashMap<>();
        Version version;
        long sequence;
        final List<MigrationCommand> plan = new ArrayList<>();

        Planner(Random random) {
            this.random = random;
        }

        /** The owner writes a new version at a site, as a tool on the file share does; the inventory follows. */
        void ownerWrites(String site, Random random) throws Exception {
            byte[] bytes = new byte[1 + random.nextInt(64)];
            random.nextBytes(bytes);
            Path file = roots.get(site).resolve(KEY);
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling("owner-" + random.nextLong());
            Files.write(temp, bytes);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            String token = sites.store(site).orElseThrow().head(KEY).orElseThrow().versionToken();
            version = new Version(bytes, token);
            primary = site;
            replicas.clear(); // other copies hold an older version: no longer part of the placement
            tokens.clear();
            tokens.put(site, token);
            plan.clear();
        }

        MigrationCommand next() {
            if (plan.isEmpty()) {
                List<String> others = SITES.stream().filter(s -> !s.equals(primary)).toList();
                String destination = others.get(random.nextInt(others.size()));
                if (random.nextBoolean()) { // move the primary
                    plan.add(command(MigrationAction.COPY, primary, destination, null));
                    plan.add(command(MigrationAction.SWITCH, primary, destination, null));
                    plan.add(command(MigrationAction.RETIRE, primary, primary, destination));
                } else if (replicas.contains(destination)) { // drop a replica
                    plan.add(command(MigrationAction.RETIRE, destination, destination, primary));
                } else { // add a replica
                    plan.add(command(MigrationAction.COPY, primary, destination, null));
                }
            }
            MigrationCommand next = plan.remove(0);
            next.setSequence(++sequence);
            next.setSourceVersionToken(tokens.get(next.getSourceSite()));
            next.setKeepVersionToken(next.getKeepSite() == null ? null : tokens.get(next.getKeepSite()));
            return next;
        }

        private MigrationCommand command(MigrationAction action, String source, String destination, String keep) {
            return MigrationCommand.newBuilder()
                    .setId(action + "-" + random.nextLong())
                    .setKey(KEY)
                    .setAction(action)
                    .setSourceSite(source)
                    .setDestinationSite(destination)
                    .setStorageClass("STANDARD")
                    .setExpectedVersionToken(version.token())
                    .setExpectedSha256(version.sha256())
                    .setSizeBytes(version.bytes().length)
                    .setKeepSite(keep)
                    .setIssuedAt(Instant.now())
                    .build();
        }

        /** As the streams app applies a terminal status; anything but COMPLETED drops the rest of the move. */
        void completed(MigrationCommand command, Outcome outcome) {
            if (!(outcome instanceof Outcome.Completed done)) {
                plan.clear();
                return;
            }
            switch (command.getAction()) {
                case COPY -> {
                    replicas.add(command.getDestinationSite());
                    tokens.put(command.getDestinationSite(), done.status().getVersionToken());
                }
                case SWITCH -> {
                    replicas.remove(command.getDestinationSite());
                    replicas.add(primary);
                    primary = command.getDestinationSite();
                }
                case RETIRE -> {
                    replicas.remove(command.getSourceSite());
                    tokens.remove(command.getSourceSite());
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private static Site site(String name, Path runDir) {
        return Site.newBuilder()
                .setName(name)
                .setProvider(Provider.ONPREM)
                .setRegion("eu-west")
                .setEndpoint(runDir.toUri().toString())
                .setBucket(name)
                .setStorageClasses(List.of())
                .setP95LatencyMs(5)
                .setEgressPricePerGb(0)
                .setEncrypted(false)
                .setCapacityBytes(Long.MAX_VALUE)
                .setUp(true)
                .build();
    }
}
